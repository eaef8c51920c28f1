// One checker per rule, in one table: `(text, context) => Violation[]`. lintReply (lint.ts) runs the table; the
// shared reading of the reply every checker may use (brand spans, contacts and their verdicts, tokens) is done
// once in scan.ts. Every hit carries offsets into the original text so the editor can highlight it in place;
// a missing required element is a zero-width hit at the end of the text, where the wording would go.

import { lengthOverflowStart, replyLength } from "./length.js";
import type { LintContext, Violation } from "./lint.js";
import {
  COMMON_FIRST_NAMES,
  EMPATHY_PHRASES,
  PHRASE_GROUPS,
  PRIVATE_CHANNEL_PHRASES,
  PUBLIC_ASK_PHRASES,
} from "./phrases.js";
import { PLATFORM_LIMITS, RULES, type RuleCode } from "./rules.js";
import { type ContactFinding, findName, overlaps, type ReplyScan, snippet, within } from "./scan.js";
import { compilePhrase, findPhrase, foldCase, type Phrase, type Span, sentenceSpans } from "./text.js";

export interface CheckContext {
  lint: LintContext;
  scan: ReplyScan;
  /** Hits of the checkers that ran before this one (RUN_ORDER). */
  earlier: readonly Violation[];
}

export type RuleChecker = (text: string, context: CheckContext) => Violation[];

const hit = (rule: RuleCode, span: Span, message: string): Violation => ({
  rule,
  message,
  explanation: RULES[rule].explanation,
  start: span.start,
  end: span.end,
});

let compiled:
  | {
      groups: { rule: RuleCode; message: string; phrases: Phrase[] }[];
      empathy: Phrase[];
      channel: Phrase[];
      publicAsk: Phrase[];
    }
  | undefined;

function phrases() {
  compiled ??= {
    groups: PHRASE_GROUPS.map((group) => ({ ...group, phrases: group.phrases.map(compilePhrase) })),
    empathy: EMPATHY_PHRASES.map(compilePhrase),
    channel: PRIVATE_CHANNEL_PHRASES.map(compilePhrase),
    publicAsk: PUBLIC_ASK_PHRASES.map(compilePhrase),
  };
  return compiled;
}

/** The rule's phrase list (phrases.ts), outside the brand's own name and channels and outside contacts. */
function phraseHits(rule: RuleCode, text: string, scan: ReplyScan): Violation[] {
  const hits: Violation[] = [];
  for (const group of phrases().groups) {
    if (group.rule !== rule) continue;
    for (const phrase of group.phrases) {
      for (const span of findPhrase(scan.tokens, phrase)) {
        if (scan.protectedSpans.some((own) => within(span, own))) continue;
        if (scan.contactSpans.some((contact) => within(span, contact))) continue;
        hits.push(hit(rule, span, `"${snippet(text, span)}" ${group.message}.`));
      }
    }
  }
  return hits;
}

/** A rule that is only its phrase list. */
const phraseRule =
  (rule: RuleCode): RuleChecker =>
  (text, { scan }) =>
    phraseHits(rule, text, scan);

const CONTACT_MESSAGES: Partial<
  Record<`${ContactFinding["kind"]}:${ContactFinding["verdict"]}`, [RuleCode, string]>
> = {
  "email:foreign": ["B4", "is an e-mail address that is not one of our own channels."],
  "url:payment": ["B8", "links to a payment page; asking for payment in public discloses the debt."],
  "url:account": ["B2", "looks like an account-specific link; it identifies the person's file."],
  "url:outside": [
    "B2",
    "links outside our own channels; only links to our own site can be checked to carry no account data.",
  ],
  "phone:foreign": ["B4", "is a phone number that is not one of our own lines."],
  "handle:foreign": ["B4", "tags an account other than the poster's or our own."],
  "ssn:foreign": ["B4", "looks like a Social Security number."],
  "address:foreign": ["B4", "looks like a street address."],
};

/** The contacts scan.ts judged to break this rule (someone else's number, a payment link…). */
function contactHits(rule: RuleCode, text: string, scan: ReplyScan): Violation[] {
  return scan.contacts.flatMap((contact) => {
    const found = CONTACT_MESSAGES[`${contact.kind}:${contact.verdict}`];
    if (!found || found[0] !== rule) return [];
    return [hit(rule, contact.span, `"${snippet(text, contact.span)}" ${found[1]}`)];
  });
}

const MONEY_WORD =
  "(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)";
const AMOUNT_PATTERNS: RegExp[] = [
  /[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|mm|thousand|million|hundred)(?![a-z]))?/g,
  /(?<![\w.])\d[\d,]*(?:\.\d+)?\s?(?:k\s?)?(?:dollars?|bucks|usd|cents|euros?|eur|pounds|gbp)(?![a-z])/g,
  /(?<![\w.$])\d+(?:\.\d+)?k(?![a-z0-9])/g,
  new RegExp(
    `(?<![a-z])(?:(?:a|an|one|a few|several|a couple of|couple|few)[\\s-]+)?(?:${MONEY_WORD}(?:[\\s-]+(?:and[\\s-]+)?)?)*${MONEY_WORD}[\\s-]+(?:dollars?|bucks|grand|usd|cents)(?![a-z])`,
    "g",
  ),
  new RegExp(`[$€£]\\s?(?:${MONEY_WORD}[\\s-]*)+`, "g"),
];
const DATE_PATTERNS: RegExp[] = [
  /(?<![a-z])(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?(?![\d])/g,
  /(?<![\d/])\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december)(?![a-z])/g,
  /(?<![\d/])(?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01])(?:\/(?:\d{4}|\d{2}))?(?![\d/])/g,
  /(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)/g,
  /(?<![a-z])(?:since|in|from|during|back in|until)\s+(?:19|20)\d{2}(?!\d)/g,
];
const DIGIT_RUN = /(?<![\w.,])#?\d(?:[\d -]*\d)?(?![\w])/g;
const PERCENT_PATTERNS: RegExp[] = [
  /(?<![\w.])\d{1,3}(?:\.\d+)?\s?(?:%|percent)/g,
  new RegExp(`(?<![a-z])(?:${MONEY_WORD}[\\s-]*)+percent(?![a-z])`, "g"),
];
const PERCENT_MONEY_CONTEXT = /settle|discount|off\b|pay|balance|reduc|waive|owe|interest|fee|amount|save/;

/** B2: amounts, then dates and identifiers that are not part of an amount or a contact. */
const amountsDatesIdentifiers: RuleChecker = (text, { scan }) => {
  const { folded, contactSpans } = scan;
  const hits = contactHits("B2", text, scan);
  const moneySpans: Span[] = [];
  for (const pattern of AMOUNT_PATTERNS) {
    for (const match of folded.matchAll(pattern)) {
      const span = { start: match.index, end: match.index + match[0].trimEnd().length };
      if (moneySpans.some((other) => overlaps(other, span))) continue;
      moneySpans.push(span);
      hits.push(
        hit(
          "B2",
          span,
          `"${snippet(text, span)}" is an amount of money; any amount in a public reply discloses a debt.`,
        ),
      );
    }
  }
  for (const pattern of DATE_PATTERNS) {
    for (const match of folded.matchAll(pattern)) {
      const span = { start: match.index, end: match.index + match[0].length };
      if ([...moneySpans, ...contactSpans].some((other) => overlaps(other, span))) continue;
      moneySpans.push(span);
      hits.push(
        hit(
          "B2",
          span,
          `"${snippet(text, span)}" is a date that could tie the post to an account or a date of service.`,
        ),
      );
    }
  }
  for (const match of folded.matchAll(DIGIT_RUN)) {
    const span = { start: match.index, end: match.index + match[0].trimEnd().length };
    const digits = match[0].replace(/\D/g, "");
    const isHashRef = match[0].startsWith("#") && digits.length >= 2;
    if (digits.length < 4 && !isHashRef) continue;
    if ([...moneySpans, ...contactSpans].some((other) => overlaps(other, span))) continue;
    hits.push(hit("B2", span, `"${snippet(text, span)}" looks like an account, reference or card number.`));
  }
  return [...hits, ...phraseHits("B2", text, scan)];
};

/** B3: naming a creditor we collect for tells readers who the person owes. */
const clientNames: RuleChecker = (text, { lint, scan }) => {
  const hits: Violation[] = [];
  for (const client of lint.clients) {
    for (const span of findName(scan.folded, client)) {
      if (scan.protectedSpans.some((own) => within(span, own))) continue;
      hits.push(
        hit(
          "B3",
          span,
          `"${snippet(text, span)}" is one of our clients; naming a creditor in public reveals the debt.`,
        ),
      );
    }
  }
  return [...hits, ...phraseHits("B3", text, scan)];
};

const SALUTATION_NAME =
  /\b(?:Hi|Hello|Hey|Dear|Thanks|Thank you|Sorry|Greetings|Good (?:morning|afternoon|evening))[,!]?\s+((?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)/g;
const TITLE_NAME = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z'’-]+/g;
const NOT_A_NAME = new Set(
  (
    "there all everyone everybody team folks friend friends again so for and we our us you customer customers care " +
    "support service neighbor thanks thank sorry hello hi hey welcome hope glad good great please yes no okay ok " +
    "wow oh well again absolutely certainly"
  ).split(" "),
);

/** Personal names the poster did not use: after a greeting or a title, or a common first name. */
function personalNames(text: string, scan: ReplyScan): Violation[] {
  const hits: Violation[] = [];
  const nameSpans: Span[] = [];
  const considerName = (start: number, name: string) => {
    const words = foldCase(name)
      .replace(/^(?:mr|mrs|ms|miss|mx|dr)\.?\s+/, "")
      .split(/\s+/)
      .filter(Boolean);
    if (words.length === 0 || words.every((word) => NOT_A_NAME.has(word))) return;
    if (words.some((word) => scan.posterNames.has(word))) return;
    const span = { start, end: start + name.length };
    if (scan.protectedSpans.some((own) => overlaps(span, own))) return;
    if (nameSpans.some((other) => overlaps(other, span))) return;
    nameSpans.push(span);
    hits.push(
      hit(
        "B4",
        span,
        `"${snippet(text, span)}" looks like a personal name the poster did not use in public.`,
      ),
    );
  };
  for (const match of text.matchAll(SALUTATION_NAME)) {
    const name = match[1] ?? "";
    considerName(match.index + match[0].length - name.length, name);
  }
  for (const match of text.matchAll(TITLE_NAME)) considerName(match.index, match[0]);
  // A common first name mid-sentence, or addressed directly ("Jane, we're sorry…").
  for (const match of text.matchAll(
    /(?<=[a-z,;:]\s{1,4})[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|(?<![A-Za-z])[A-Z][a-z]+(?=,)/g,
  )) {
    const first = foldCase(match[0].split(/\s+/)[0] ?? "");
    if (COMMON_FIRST_NAMES.has(first)) considerName(match.index, match[0]);
  }
  return hits;
}

/** B4: someone else's contact details, SSNs and addresses, personal-data phrases, and names. */
const personalData: RuleChecker = (text, { scan }) => [
  ...contactHits("B4", text, scan),
  ...phraseHits("B4", text, scan),
  ...personalNames(text, scan),
];

/** B8: payment links, percentages near money words, payment and settlement phrases. */
const paymentRequests: RuleChecker = (text, { scan }) => {
  const hits = contactHits("B8", text, scan);
  for (const pattern of PERCENT_PATTERNS) {
    for (const match of scan.folded.matchAll(pattern)) {
      const span = { start: match.index, end: match.index + match[0].length };
      const around = scan.folded.slice(
        Math.max(0, span.start - 40),
        Math.min(scan.folded.length, span.end + 40),
      );
      if (PERCENT_MONEY_CONTEXT.test(around)) {
        hits.push(hit("B8", span, `"${snippet(text, span)}" reads as a settlement or discount offer.`));
      }
    }
  }
  return [...hits, ...phraseHits("B8", text, scan)];
};

const CONTEMPT_EMOJI =
  /[\u{1F644}\u{1F602}\u{1F923}\u{1F612}\u{1F60F}\u{1F921}\u{1F480}\u{1F643}\u{1F624}\u{1F595}\u{1F92A}\u{1F971}]/gu;
/** "Well, thanks a lot." — thanks with nothing to be thankful for, after a sigh word, is sarcasm; "Thanks a lot for
 * letting us know" names what it thanks for and stays sincere. */
const SARCASTIC_THANKS =
  /(?<=^|[.!?]\s{1,4})(?:well|gee|oh|wow|yeah|great|golly)[,\s]+(?:thanks|thank you)(?: (?:a lot|so much|a bunch|a million|very much))?(?=\s{0,4}(?:[.,;]|$))/g;
const SCARE_QUOTES = /(?<![a-z])(?:your|this|the|so-called|so called|that)\s+"[^"\n]{1,30}"/g;

/** B10: contemptuous words, and tone beyond words: shouting, contempt emoji, scare quotes, piled-up punctuation. */
const contempt: RuleChecker = (text, { scan, earlier }) => {
  const { folded, protectedSpans, contactSpans } = scan;
  const hits = phraseHits("B10", text, scan);
  for (const match of text.matchAll(/(?<![A-Za-z])[A-Z]{5,}(?![A-Za-z])/g)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (protectedSpans.some((own) => within(span, own))) continue;
    // Acronyms another rule already flagged (FDCPA, CFPB…) are not shouting.
    if ([...earlier, ...hits].some((other) => overlaps(other, span))) continue;
    hits.push(hit("B10", span, `"${match[0]}" in capitals reads as shouting.`));
  }
  // "Whatever." as a sentence of its own is a shrug at the person; "whatever the issue" is fine.
  for (const match of folded.matchAll(/(?<=^|[.!?]\s{1,4})whatever(?=\s{0,4}[.!]|$)/g)) {
    hits.push(
      hit(
        "B10",
        { start: match.index, end: match.index + 8 },
        `"${text.slice(match.index, match.index + 8)}" on its own is dismissive.`,
      ),
    );
  }
  for (const match of folded.matchAll(SARCASTIC_THANKS)) {
    const span = { start: match.index, end: match.index + match[0].length };
    hits.push(
      hit("B10", span, `${snippet(text, span)} thanks for nothing in particular, which reads as sarcasm.`),
    );
  }
  for (const match of text.matchAll(CONTEMPT_EMOJI)) {
    hits.push(
      hit(
        "B10",
        { start: match.index, end: match.index + match[0].length },
        `"${match[0]}" reads as mockery.`,
      ),
    );
  }
  for (const match of folded.matchAll(SCARE_QUOTES)) {
    const span = { start: match.index, end: match.index + match[0].length };
    hits.push(
      hit(
        "B10",
        span,
        `${snippet(text, span)} puts the person's words in scare quotes, which reads as sarcasm.`,
      ),
    );
  }
  for (const match of text.matchAll(/!{2,}|\?+!+[?!]*|\/s(?![\w])/g)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (contactSpans.some((contact) => overlaps(contact, span))) continue;
    hits.push(hit("B10", span, `"${match[0]}" reads as exasperated or sarcastic.`));
  }
  return hits;
};

const secondReply: RuleChecker = (text, { lint }) =>
  lint.threadHasPublicReply
    ? [
        hit(
          "B11",
          { start: 0, end: text.length },
          "We already replied publicly in this thread; continue in private instead.",
        ),
      ]
    : [];

const atEnd = (text: string): Span => ({ start: text.length, end: text.length });

/** R_EMPATHY: admissions are hits where they stand; no empathy at all is a hit at the end. */
const empathy: RuleChecker = (text, { scan }) => {
  const hits = phraseHits("R_EMPATHY", text, scan);
  if (!phrases().empathy.some((phrase) => findPhrase(scan.tokens, phrase).length > 0)) {
    hits.push(
      hit(
        "R_EMPATHY",
        atEnd(text),
        'The reply shows no empathy: acknowledge the experience (for example "We\'re sorry to hear about this") without admitting anything.',
      ),
    );
  }
  return hits;
};

/** R_PRIVATE_CHANNEL: an invitation somewhere, and no ask for details in a sentence that offers no channel. */
const privateChannel: RuleChecker = (text, { scan }) => {
  const { tokens, protectedSpans, contactSpans } = scan;
  const hits: Violation[] = [];
  const channelSpans = phrases().channel.flatMap((phrase) => findPhrase(tokens, phrase));
  if (!scan.ownChannelPresent && channelSpans.length === 0) {
    hits.push(
      hit(
        "R_PRIVATE_CHANNEL",
        atEnd(text),
        "The reply does not invite the person to a private channel: add our phone line, contact page or a direct-message invitation.",
      ),
    );
  }
  const sentences = sentenceSpans(text);
  for (const phrase of phrases().publicAsk) {
    for (const span of findPhrase(tokens, phrase)) {
      const sentence = sentences.find((s) => s.start <= span.start && span.start < s.end) ?? {
        start: 0,
        end: text.length,
      };
      const sentenceHasChannel =
        channelSpans.some((c) => overlaps(c, sentence)) ||
        protectedSpans.some(
          (p) => overlaps(p, sentence) && contactSpans.some((c) => within(p, c) || within(c, p)),
        );
      const before = foldCase(text.slice(sentence.start, span.start));
      const negated = /\b(?:not|never|avoid|without)\b|n't\b|\bno\b/.test(
        `${before} ${foldCase(text.slice(span.start, span.end))}`,
      );
      if (sentenceHasChannel || negated) continue;
      hits.push(
        hit(
          "R_PRIVATE_CHANNEL",
          span,
          `"${snippet(text, span)}" asks for details in public; anything posted in reply is public too. Invite them to a private channel instead.`,
        ),
      );
    }
  }
  return hits;
};

const brandName: RuleChecker = (text, { lint, scan }) =>
  scan.brandPresent
    ? []
    : [
        hit(
          "R_BRAND",
          atEnd(text),
          `The reply does not name the company or team: sign it, for example "— ${lint.brandName.trim() || "the company"}".`,
        ),
      ];

const length: RuleChecker = (text, { lint }) => {
  const overflow = lengthOverflowStart(text, lint.platform);
  if (overflow === null) return [];
  const { maxChars, weighted } = PLATFORM_LIMITS[lint.platform];
  return [
    hit(
      "R_LENGTH",
      { start: overflow, end: text.length },
      `The reply is ${replyLength(text, lint.platform)} characters${weighted ? " as X counts them" : ""}; the limit for ${lint.platform} is ${maxChars}.`,
    ),
  ];
};

/** Every rule's checker: a rule without one is a type error. */
export const RULE_CHECKS: Record<RuleCode, RuleChecker> = {
  B1: phraseRule("B1"),
  B2: amountsDatesIdentifiers,
  B3: clientNames,
  B4: personalData,
  B5: phraseRule("B5"),
  B6: phraseRule("B6"),
  B7: phraseRule("B7"),
  B8: paymentRequests,
  B9: phraseRule("B9"),
  B10: contempt,
  B11: secondReply,
  B12: phraseRule("B12"),
  R_EMPATHY: empathy,
  R_PRIVATE_CHANNEL: privateChannel,
  R_BRAND: brandName,
  R_LENGTH: length,
};

/**
 * The order the table runs in. B10 comes after every checker whose hits may cover an acronym (FDCPA, CFPB…) so
 * that those are not called shouting, and before B11, whose hit spans the whole text.
 */
export const RUN_ORDER: readonly RuleCode[] = [
  "B1",
  "B2",
  "B3",
  "B4",
  "B5",
  "B6",
  "B7",
  "B8",
  "B9",
  "B12",
  "R_EMPATHY",
  "B10",
  "B11",
  "R_PRIVATE_CHANNEL",
  "R_BRAND",
  "R_LENGTH",
];
