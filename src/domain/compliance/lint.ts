// The compliance linter for PUBLIC replies (DESIGN.md "Compliance rules"). Pure: text and context in, hits out.
// Every hit carries offsets into the original text so the editor can highlight it in place, and the approval
// step is blocked while any hit remains. Missing required elements (R_*) are reported as a zero-width hit at
// the end of the text, where the missing wording would go; R_LENGTH spans the overflow.
import {
  classifyContact,
  normalizeEmail,
  normalizeHandle,
  normalizePhone,
  normalizeUrl,
  urlHost,
} from "../accounts/normalize.js";
import type { Platform } from "../taxonomy.js";
import {
  COMMON_FIRST_NAMES,
  EMPATHY_PHRASES,
  PHRASE_GROUPS,
  PRIVATE_CHANNEL_PHRASES,
  PUBLIC_ASK_PHRASES,
} from "./phrases.js";
import { PLATFORM_LIMITS, RULES, type RuleCode } from "./rules.js";
import {
  compilePhrase,
  findPhrase,
  foldCase,
  type Phrase,
  type Span,
  sentenceSpans,
  tokenize,
} from "./text.js";

export { PLATFORM_LIMITS, RULE_CODES, RULES, type RuleCode, type RuleInfo } from "./rules.js";

export interface LintContext {
  platform: Platform;
  brandName: string;
  /** The brand's own channels (phone, URL, e-mail, @handle): allowed in a reply, and they satisfy R_PRIVATE_CHANNEL. */
  ownContacts: string[];
  /** Creditor clients we collect for: never named in public. */
  clients: string[];
  /** True when the brand already replied publicly in this thread (B11). */
  threadHasPublicReply?: boolean;
  /** Names and handles the poster used themselves; a reply may address them by these. */
  posterUsedNames?: string[];
}

export interface Violation {
  rule: RuleCode;
  message: string;
  explanation: string;
  start: number;
  end: number;
}

export interface LintResult {
  ok: boolean;
  violations: Violation[];
}

let compiledGroups: { rule: RuleCode; message: string; phrases: Phrase[] }[] | undefined;
let compiledEmpathy: Phrase[] | undefined;
let compiledChannel: Phrase[] | undefined;
let compiledPublicAsk: Phrase[] | undefined;

function compiled() {
  compiledGroups ??= PHRASE_GROUPS.map((group) => ({ ...group, phrases: group.phrases.map(compilePhrase) }));
  compiledEmpathy ??= EMPATHY_PHRASES.map(compilePhrase);
  compiledChannel ??= PRIVATE_CHANNEL_PHRASES.map(compilePhrase);
  compiledPublicAsk ??= PUBLIC_ASK_PHRASES.map(compilePhrase);
  return {
    groups: compiledGroups,
    empathy: compiledEmpathy,
    channel: compiledChannel,
    publicAsk: compiledPublicAsk,
  };
}

const LEGAL_SUFFIX =
  /[\s,]+(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|n\.a|na|plc|lp|llp|pllc|group|holdings|bank|financial|finance|services)\.?$/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Matches a name in any case with any spacing or punctuation between its words ("Mercy  Hospital's"). */
function nameRegExp(name: string): RegExp | null {
  const words = foldCase(name)
    .split(/[^a-z0-9&]+/)
    .filter(Boolean);
  if (words.length === 0 || words.join("").length < 3) return null;
  return new RegExp(`(?<![a-z0-9])${words.map(escapeRegExp).join("[^a-z0-9]{1,3}")}(?![a-z0-9])`, "g");
}

function nameVariants(name: string): string[] {
  const variants = new Set<string>([name.trim()]);
  let stripped = name.trim();
  while (LEGAL_SUFFIX.test(stripped)) stripped = stripped.replace(LEGAL_SUFFIX, "").trim();
  // A stripped variant must stay distinctive: "Example Co." may match as "Example", never as "".
  if (stripped.replace(/[^a-z0-9]/gi, "").length >= 4) variants.add(stripped);
  return [...variants];
}

function findName(folded: string, name: string): Span[] {
  const spans: Span[] = [];
  for (const variant of nameVariants(name)) {
    const regex = nameRegExp(variant);
    if (!regex) continue;
    for (const match of folded.matchAll(regex))
      spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}
function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

interface OwnChannels {
  phones: Set<string>;
  emails: Set<string>;
  urls: Set<string>;
  hosts: Set<string>;
  handles: Set<string>;
}

function ownChannels(ownContacts: string[]): OwnChannels {
  const own: OwnChannels = {
    phones: new Set(),
    emails: new Set(),
    urls: new Set(),
    hosts: new Set(),
    handles: new Set(),
  };
  for (const raw of ownContacts) {
    const contact = classifyContact(raw);
    if (!contact) continue;
    if (contact.kind === "phone") own.phones.add(contact.value);
    if (contact.kind === "email") {
      own.emails.add(contact.value);
      own.hosts.add(contact.value.split("@")[1] ?? "");
    }
    if (contact.kind === "url") {
      own.urls.add(contact.value);
      own.hosts.add(urlHost(contact.value));
    }
    if (contact.kind === "handle") own.handles.add(contact.value);
  }
  return own;
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
const PHONE_PATTERN =
  /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?:,?\s*(?:ext\.?|x|extension)\s*\d{1,5})?(?![\w])/g;
const PHONE_EXTENSION = /,?\s*(?:ext\.?|x|extension)\s*\d{1,5}$/;
const EMAIL_PATTERN = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/g;
const URL_PATTERN =
  /(?<![\w@.])(?:https?:\/\/)?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|net|org|co|us|io|info|biz|gov|edu|ly|me|app|help|support|care|pay|link|site|online|[a-z]{2})(?![a-z0-9-])(?:[/?#][^\s)"'<>]*)?/g;
const HANDLE_PATTERN = /(?<![\w@])@[a-z0-9_]{2,30}(?![\w@]|\.[a-z])/g;
const SSN_PATTERN = /(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)/g;
const DIGIT_RUN = /(?<![\w.,])#?\d(?:[\d -]*\d)?(?![\w])/g;
const ADDRESS_PATTERN =
  /(?<![\w])\d{1,6}\s+(?:[a-z0-9.]+\s+){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|circle|cir|highway|hwy|parkway|pkwy)(?![a-z])/g;
const PERCENT_PATTERNS: RegExp[] = [
  /(?<![\w.])\d{1,3}(?:\.\d+)?\s?(?:%|percent)/g,
  new RegExp(`(?<![a-z])(?:${MONEY_WORD}[\\s-]*)+percent(?![a-z])`, "g"),
];
const PERCENT_MONEY_CONTEXT = /settle|discount|off\b|pay|balance|reduc|waive|owe|interest|fee|amount|save/;
const CONTEMPT_EMOJI =
  /[\u{1F644}\u{1F602}\u{1F923}\u{1F612}\u{1F60F}\u{1F921}\u{1F480}\u{1F643}\u{1F624}\u{1F595}\u{1F92A}\u{1F971}]/gu;
/** "Well, thanks a lot." — thanks with nothing to be thankful for, after a sigh word, is sarcasm; "Thanks a lot for
 * letting us know" names what it thanks for and stays sincere. */
const SARCASTIC_THANKS =
  /(?<=^|[.!?]\s+)(?:well|gee|oh|wow|yeah|great|golly)[,\s]+(?:thanks|thank you)(?: (?:a lot|so much|a bunch|a million|very much))?(?=\s*(?:[.,;]|$))/g;
const SCARE_QUOTES = /(?<![a-z])(?:your|this|the|so-called|so called|that)\s+"[^"\n]{1,30}"/g;
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

/** X counts every link as 23 characters and CJK/emoji as 2 (the "weighted" length of twitter-text). */
function weightedUnits(text: string): { offset: number; weight: number }[] {
  const units: { offset: number; weight: number }[] = [];
  const folded = foldCase(text);
  const urls = [...folded.matchAll(URL_PATTERN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  let offset = 0;
  while (offset < text.length) {
    const url = urls.find((span) => span.start === offset);
    if (url) {
      units.push({ offset, weight: 23 });
      offset = url.end;
      continue;
    }
    const codePoint = text.codePointAt(offset) ?? 0;
    const size = codePoint > 0xffff ? 2 : 1;
    const light =
      codePoint <= 4351 ||
      (codePoint >= 8192 && codePoint <= 8205) ||
      (codePoint >= 8208 && codePoint <= 8223) ||
      (codePoint >= 8242 && codePoint <= 8247);
    units.push({ offset, weight: light ? 1 : 2 });
    offset += size;
  }
  return units;
}

/** The reply's length as the platform counts it. */
export function replyLength(text: string, platform: Platform): number {
  if (PLATFORM_LIMITS[platform].weighted)
    return weightedUnits(text).reduce((sum, unit) => sum + unit.weight, 0);
  return [...text].length;
}

function codePointUnits(text: string): { offset: number; weight: number }[] {
  const units: { offset: number; weight: number }[] = [];
  let offset = 0;
  for (const ch of text) {
    units.push({ offset, weight: 1 });
    offset += ch.length;
  }
  return units;
}

function lengthOverflowStart(text: string, platform: Platform): number | null {
  const { maxChars, weighted } = PLATFORM_LIMITS[platform];
  let total = 0;
  const units = weighted ? weightedUnits(text) : codePointUnits(text);
  for (const unit of units) {
    total += unit.weight;
    if (total > maxChars) return unit.offset;
  }
  return null;
}

function snippet(text: string, span: Span): string {
  const raw = text.slice(span.start, span.end).replace(/\s+/g, " ");
  return raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
}

export function lintReply(text: string, ctx: LintContext): LintResult {
  const folded = foldCase(text);
  const tokens = tokenize(text);
  const own = ownChannels(ctx.ownContacts);
  const posterNames = new Set(
    (ctx.posterUsedNames ?? [])
      .flatMap((name) => foldCase(name).replace(/^@/, "").split(/\s+/))
      .filter(Boolean),
  );
  const hits: Violation[] = [];
  const add = (rule: RuleCode, span: Span, message: string) => {
    hits.push({ rule, message, explanation: RULES[rule].explanation, start: span.start, end: span.end });
  };

  // Spans that belong to the brand itself (its name, its own channels): words inside them are not hits,
  // so "Acme Collections" may sign a reply even though "collections" alone would confirm a debt.
  const protectedSpans: Span[] = findName(folded, ctx.brandName);
  const brandPresent = protectedSpans.length > 0;
  let ownChannelPresent = false;
  const contactSpans: Span[] = [];

  for (const match of folded.matchAll(EMAIL_PATTERN)) {
    const span = { start: match.index, end: match.index + match[0].length };
    contactSpans.push(span);
    const email = normalizeEmail(match[0]);
    if (email && own.emails.has(email)) {
      protectedSpans.push(span);
      ownChannelPresent = true;
    } else {
      add("B4", span, `"${snippet(text, span)}" is an e-mail address that is not one of our own channels.`);
    }
  }
  for (const match of folded.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(/[.,!?;:]+$/, "");
    const span = { start: match.index, end: match.index + raw.length };
    if (contactSpans.some((other) => overlaps(other, span))) continue;
    contactSpans.push(span);
    const url = normalizeUrl(raw);
    const host = urlHost(url);
    const path = url.slice(host.length);
    if (/pay|checkout|billing|invoice|settle/.test(path)) {
      add(
        "B8",
        span,
        `"${snippet(text, span)}" links to a payment page; asking for payment in public discloses the debt.`,
      );
    } else if (/\d{3,}|[?&](?:id|acct|account|ref|token|case)=|account|acct|\/ref\b|token/.test(path)) {
      add(
        "B2",
        span,
        `"${snippet(text, span)}" looks like an account-specific link; it identifies the person's file.`,
      );
    } else if (own.urls.has(url) || own.hosts.has(host)) {
      protectedSpans.push(span);
      ownChannelPresent = true;
    } else {
      add(
        "B2",
        span,
        `"${snippet(text, span)}" links outside our own channels; only links to our own site can be checked to carry no account data.`,
      );
    }
  }
  for (const match of folded.matchAll(PHONE_PATTERN)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (contactSpans.some((other) => overlaps(other, span))) continue;
    contactSpans.push(span);
    const phone = normalizePhone(match[0].replace(PHONE_EXTENSION, ""));
    if (phone && own.phones.has(phone)) {
      protectedSpans.push(span);
      ownChannelPresent = true;
    } else {
      add("B4", span, `"${snippet(text, span)}" is a phone number that is not one of our own lines.`);
    }
  }
  for (const match of folded.matchAll(HANDLE_PATTERN)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (contactSpans.some((other) => overlaps(other, span))) continue;
    contactSpans.push(span);
    const handle = normalizeHandle(match[0]) ?? "";
    if (own.handles.has(handle)) {
      protectedSpans.push(span);
      ownChannelPresent = true;
    } else if (!posterNames.has(handle)) {
      add("B4", span, `"${snippet(text, span)}" tags an account other than the poster's or our own.`);
    }
  }
  for (const match of folded.matchAll(SSN_PATTERN)) {
    const span = { start: match.index, end: match.index + match[0].length };
    contactSpans.push(span);
    add("B4", span, `"${snippet(text, span)}" looks like a Social Security number.`);
  }
  for (const match of folded.matchAll(ADDRESS_PATTERN)) {
    const span = { start: match.index, end: match.index + match[0].length };
    contactSpans.push(span);
    add("B4", span, `"${snippet(text, span)}" looks like a street address.`);
  }

  // Amounts, dates, identifiers (B2).
  const moneySpans: Span[] = [];
  for (const pattern of AMOUNT_PATTERNS) {
    for (const match of folded.matchAll(pattern)) {
      const span = { start: match.index, end: match.index + match[0].trimEnd().length };
      if (moneySpans.some((other) => overlaps(other, span))) continue;
      moneySpans.push(span);
      add(
        "B2",
        span,
        `"${snippet(text, span)}" is an amount of money; any amount in a public reply discloses a debt.`,
      );
    }
  }
  for (const pattern of DATE_PATTERNS) {
    for (const match of folded.matchAll(pattern)) {
      const span = { start: match.index, end: match.index + match[0].length };
      if ([...moneySpans, ...contactSpans].some((other) => overlaps(other, span))) continue;
      moneySpans.push(span);
      add(
        "B2",
        span,
        `"${snippet(text, span)}" is a date that could tie the post to an account or a date of service.`,
      );
    }
  }
  for (const match of folded.matchAll(DIGIT_RUN)) {
    const span = { start: match.index, end: match.index + match[0].trimEnd().length };
    const digits = match[0].replace(/\D/g, "");
    const isHashRef = match[0].startsWith("#") && digits.length >= 2;
    if (digits.length < 4 && !isHashRef) continue;
    if ([...moneySpans, ...contactSpans].some((other) => overlaps(other, span))) continue;
    add("B2", span, `"${snippet(text, span)}" looks like an account, reference or card number.`);
  }
  for (const pattern of PERCENT_PATTERNS) {
    for (const match of folded.matchAll(pattern)) {
      const span = { start: match.index, end: match.index + match[0].length };
      const around = folded.slice(Math.max(0, span.start - 40), Math.min(folded.length, span.end + 40));
      if (PERCENT_MONEY_CONTEXT.test(around)) {
        add("B8", span, `"${snippet(text, span)}" reads as a settlement or discount offer.`);
      }
    }
  }

  // Client roster (B3): naming a creditor we collect for tells readers who the person owes.
  for (const client of ctx.clients) {
    for (const span of findName(folded, client)) {
      if (protectedSpans.some((own) => within(span, own))) continue;
      add(
        "B3",
        span,
        `"${snippet(text, span)}" is one of our clients; naming a creditor in public reveals the debt.`,
      );
    }
  }

  // Phrase rules.
  const { groups, empathy, channel, publicAsk } = compiled();
  for (const group of groups) {
    for (const phrase of group.phrases) {
      for (const span of findPhrase(tokens, phrase)) {
        if (protectedSpans.some((own) => within(span, own))) continue;
        if (contactSpans.some((contact) => within(span, contact))) continue;
        add(group.rule, span, `"${snippet(text, span)}" ${group.message}.`);
      }
    }
  }

  // Personal names the poster did not use (B4).
  const nameSpans: Span[] = [];
  const considerName = (start: number, name: string) => {
    const words = foldCase(name)
      .replace(/^(?:mr|mrs|ms|miss|mx|dr)\.?\s+/, "")
      .split(/\s+/)
      .filter(Boolean);
    if (words.length === 0 || words.every((word) => NOT_A_NAME.has(word))) return;
    if (words.some((word) => posterNames.has(word))) return;
    const span = { start, end: start + name.length };
    if (protectedSpans.some((own) => overlaps(span, own))) return;
    if (nameSpans.some((other) => overlaps(other, span))) return;
    nameSpans.push(span);
    add("B4", span, `"${snippet(text, span)}" looks like a personal name the poster did not use in public.`);
  };
  for (const match of text.matchAll(SALUTATION_NAME)) {
    const name = match[1] ?? "";
    considerName(match.index + match[0].length - name.length, name);
  }
  for (const match of text.matchAll(TITLE_NAME)) considerName(match.index, match[0]);
  // A common first name mid-sentence, or addressed directly ("Jane, we're sorry…").
  for (const match of text.matchAll(
    /(?<=[a-z,;:]\s+)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|(?<![A-Za-z])[A-Z][a-z]+(?=,)/g,
  )) {
    const first = foldCase(match[0].split(/\s+/)[0] ?? "");
    if (COMMON_FIRST_NAMES.has(first)) considerName(match.index, match[0]);
  }

  // Tone signals beyond words (B10): shouting, contempt emoji, scare quotes, piled-up punctuation.
  for (const match of text.matchAll(/(?<![A-Za-z])[A-Z]{5,}(?![A-Za-z])/g)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (protectedSpans.some((own) => within(span, own))) continue;
    // Acronyms another rule already flagged (FDCPA, CFPB…) are not shouting.
    if (hits.some((hit) => overlaps(hit, span))) continue;
    add("B10", span, `"${match[0]}" in capitals reads as shouting.`);
  }
  // "Whatever." as a sentence of its own is a shrug at the person; "whatever the issue" is fine.
  for (const match of folded.matchAll(/(?<=^|[.!?]\s+)whatever(?=\s*[.!]|$)/g)) {
    add(
      "B10",
      { start: match.index, end: match.index + 8 },
      `"${text.slice(match.index, match.index + 8)}" on its own is dismissive.`,
    );
  }
  for (const match of folded.matchAll(SARCASTIC_THANKS)) {
    const span = { start: match.index, end: match.index + match[0].length };
    add("B10", span, `${snippet(text, span)} thanks for nothing in particular, which reads as sarcasm.`);
  }
  for (const match of text.matchAll(CONTEMPT_EMOJI)) {
    add("B10", { start: match.index, end: match.index + match[0].length }, `"${match[0]}" reads as mockery.`);
  }
  for (const match of folded.matchAll(SCARE_QUOTES)) {
    const span = { start: match.index, end: match.index + match[0].length };
    add(
      "B10",
      span,
      `${snippet(text, span)} puts the person's words in scare quotes, which reads as sarcasm.`,
    );
  }
  for (const match of text.matchAll(/!{2,}|\?+!+[?!]*|\/s(?![\w])/g)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (contactSpans.some((contact) => overlaps(contact, span))) continue;
    add("B10", span, `"${match[0]}" reads as exasperated or sarcastic.`);
  }

  if (ctx.threadHasPublicReply) {
    add(
      "B11",
      { start: 0, end: text.length },
      "We already replied publicly in this thread; continue in private instead.",
    );
  }

  // Required elements.
  const end = text.length;
  const hasEmpathy = empathy.some((phrase) => findPhrase(tokens, phrase).length > 0);
  if (!hasEmpathy) {
    add(
      "R_EMPATHY",
      { start: end, end },
      'The reply shows no empathy: acknowledge the experience (for example "We\'re sorry to hear about this") without admitting anything.',
    );
  }
  const channelSpans = channel.flatMap((phrase) => findPhrase(tokens, phrase));
  if (!ownChannelPresent && channelSpans.length === 0) {
    add(
      "R_PRIVATE_CHANNEL",
      { start: end, end },
      "The reply does not invite the person to a private channel: add our phone line, contact page or a direct-message invitation.",
    );
  }
  const sentences = sentenceSpans(text);
  for (const phrase of publicAsk) {
    for (const span of findPhrase(tokens, phrase)) {
      const sentence = sentences.find((s) => s.start <= span.start && span.start < s.end) ?? {
        start: 0,
        end,
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
      add(
        "R_PRIVATE_CHANNEL",
        span,
        `"${snippet(text, span)}" asks for details in public; anything posted in reply is public too. Invite them to a private channel instead.`,
      );
    }
  }
  if (!brandPresent) {
    add(
      "R_BRAND",
      { start: end, end },
      `The reply does not name the company or team: sign it, for example "— ${ctx.brandName.trim() || "the company"}".`,
    );
  }
  const overflow = lengthOverflowStart(text, ctx.platform);
  if (overflow !== null) {
    const length = replyLength(text, ctx.platform);
    const limit = PLATFORM_LIMITS[ctx.platform].maxChars;
    add(
      "R_LENGTH",
      { start: overflow, end },
      `The reply is ${length} characters${PLATFORM_LIMITS[ctx.platform].weighted ? " as X counts them" : ""}; the limit for ${ctx.platform} is ${limit}.`,
    );
  }

  const violations = dedupe(hits);
  return { ok: violations.length === 0, violations };
}

/** One hit per rule per stretch of text: overlapping hits of the same rule keep the earliest, longest one. */
function dedupe(hits: Violation[]): Violation[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Violation[] = [];
  for (const hit of sorted) {
    const zeroWidth = hit.start === hit.end;
    const duplicate = kept.some(
      (other) =>
        other.rule === hit.rule &&
        (zeroWidth ? other.start === hit.start && other.end === hit.end : overlaps(other, hit)),
    );
    if (!duplicate) kept.push(hit);
  }
  return kept;
}
