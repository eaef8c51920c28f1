// Personal data in mention text: detection, and THE masking policy for every place text goes. One function,
// `maskFor(destination, text)`, decides what each destination may see; nothing else masks. Detection leans towards
// masking when a number sits next to words that make it personal.
//
// Mention text is written by strangers and can be megabytes long, so every pattern here runs in linear time:
// no unbounded quantifier sits next to another that can match the same characters (white space between a keyword
// and its number is bounded), and e-mail addresses are found from their "@" outwards instead of by a pattern that
// retries from every letter of a long word.

export const PII_KINDS = ["email", "phone", "ssn", "card", "account", "dob"] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiHit {
  kind: PiiKind;
  start: number;
  end: number;
}

export interface MaskResult {
  masked: string;
  hits: PiiHit[];
}

const MASK_LABEL: Record<PiiKind, string> = {
  email: "[EMAIL]",
  phone: "[PHONE]",
  ssn: "[SSN]",
  card: "[CARD]",
  account: "[ACCOUNT]",
  dob: "[DOB]",
};

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const MONTHS =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{1,2}-\\d{1,2}|${MONTHS}\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}|\\d{1,2} ${MONTHS}\\.? \\d{4})`;

interface Detector {
  kind: PiiKind;
  pattern: RegExp;
  /** Index of the capture group holding the PII itself (0 = whole match); context words stay readable. */
  group: number;
  accept?: (value: string) => boolean;
}

// Order matters: on overlap the earlier detector wins (a Luhn-valid card beats a phone-shaped run of digits).
const DETECTORS: Detector[] = [
  {
    kind: "card",
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    group: 0,
    accept: (v) => luhnValid(v.replace(/[ -]/g, "")),
  },
  {
    kind: "ssn",
    pattern: /(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])/g,
    group: 0,
  },
  {
    kind: "ssn",
    pattern:
      /\b(?:ssn|social security(?: number| no\.?| #)?|social)\s{0,4}(?:(?:is|was|:|#)\s{0,4})?(\d{9}|\d{3}[- ]\d{2}[- ]\d{4})(?!\d)/gi,
    group: 1,
  },
  {
    kind: "dob",
    pattern: new RegExp(
      `\\b(?:dob|d\\.o\\.b\\.?|date of birth|birth ?date|birthday|born(?: on)?)\\s{0,4}(?:(?:is|was|:|-)\\s{0,4})?(${DATE})`,
      "gi",
    ),
    group: 1,
  },
  {
    kind: "phone",
    pattern:
      /(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)|(?<![\w+-])\+?1?\d{10}(?!\d)/g,
    group: 0,
  },
  {
    kind: "account",
    pattern:
      /\b(?:account|acct|a\/c|reference|ref|case|file|claim|loan|member|customer|invoice|policy)\.?\s{0,4}(?:(?:number|num|no\.?|nbr|#|id)\s{0,4})?(?:(?:is|was|:|#)\s{0,4})?(?:#\s{0,4})?([A-Z0-9][A-Z0-9-]{3,24})\b/gi,
    group: 1,
    accept: (v) => (v.match(/\d/g)?.length ?? 0) >= 4,
  },
  {
    kind: "account",
    pattern:
      /\b(?:ending|ends) (?:in|with)\s{0,4}(\d{4,})\b|\blast (?:4|four)(?: digits)?(?: (?:are|is|of))?\s{0,4}(?::\s{0,4})?(\d{4})\b/gi,
    group: 1,
  },
];

function groupSpan(
  match: RegExpExecArray,
  group: number,
): { start: number; end: number; value: string } | null {
  if (group === 0) return { start: match.index, end: match.index + match[0].length, value: match[0] };
  // The account detector has two alternatives; take whichever capture group matched.
  for (let g = group; g < match.length; g++) {
    const value = match[g];
    if (value === undefined) continue;
    const offset = match[0].lastIndexOf(value);
    return { start: match.index + offset, end: match.index + offset + value.length, value };
  }
  return null;
}

const isLocalPartChar = (c: number) =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 46 ||
  c === 95 ||
  c === 37 ||
  c === 43 ||
  c === 45; // a-z A-Z 0-9 . _ % + -
const EMAIL_DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
/** RFC 5321's limits: a local part of at most 64 characters, a domain of at most 255. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

/** E-mail addresses, found from each "@" outwards: bounded work per "@", so linear in the text. */
export function findEmails(text: string): PiiHit[] {
  const hits: PiiHit[] = [];
  let lastEnd = 0;
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    if (at < lastEnd) continue;
    let start = at;
    while (start > lastEnd && at - start < MAX_LOCAL && isLocalPartChar(text.charCodeAt(start - 1))) start--;
    if (start === at) continue;
    const domain = EMAIL_DOMAIN.exec(text.slice(at + 1, at + 1 + MAX_DOMAIN));
    if (!domain) continue;
    lastEnd = at + 1 + domain[0].length;
    hits.push({ kind: "email", start, end: lastEnd });
  }
  return hits;
}

/**
 * Keeps the candidates that overlap no earlier hit (earlier detectors win). Both lists are sorted by start and the
 * candidates do not overlap each other, so one sweep does it: linear, however many hits a long text has.
 */
function withoutOverlaps(accepted: readonly PiiHit[], candidates: readonly PiiHit[]): PiiHit[] {
  const kept: PiiHit[] = [];
  let j = 0;
  for (const hit of candidates) {
    while (j < accepted.length && accepted[j]!.end <= hit.start) j++;
    const next = accepted[j];
    if (next && next.start < hit.end) continue;
    kept.push(hit);
  }
  return kept;
}

export function detectPii(text: string): PiiHit[] {
  let hits = findEmails(text);
  for (const detector of DETECTORS) {
    const candidates: PiiHit[] = [];
    detector.pattern.lastIndex = 0;
    for (let m = detector.pattern.exec(text); m !== null; m = detector.pattern.exec(text)) {
      const span = groupSpan(m, detector.group);
      if (!span || span.end === span.start) continue;
      if (detector.accept && !detector.accept(span.value)) continue;
      candidates.push({ kind: detector.kind, start: span.start, end: span.end });
    }
    const kept = withoutOverlaps(hits, candidates);
    if (kept.length > 0) hits = [...hits, ...kept].sort((a, b) => a.start - b.start);
  }
  return hits;
}

export function maskPii(text: string): MaskResult {
  const hits = detectPii(text);
  if (hits.length === 0) return { masked: text, hits };
  const parts: string[] = [];
  let cursor = 0;
  for (const hit of hits) {
    parts.push(text.slice(cursor, hit.start), MASK_LABEL[hit.kind]);
    cursor = hit.end;
  }
  parts.push(text.slice(cursor));
  return { masked: parts.join(""), hits };
}

/**
 * Where text goes, and so how much of it may be seen there:
 * - `stored`: what `text_masked` holds, the classifier reads, and people without `viewPii` see.
 * - `slack`, `email`: a shared channel or an inbox; also any run of 6+ digits the detectors did not recognise
 *   (account and card fragments), since a message cannot be recalled.
 * - `claude`: a third party; also every run of 4+ digits, and the creditor clients' and the poster's names when the
 *   caller knows them (compliance.md §4: names tied to a person stay out of prompts). Classification and drafting
 *   send the same masking.
 */
export type MaskDestination = "stored" | "slack" | "email" | "claude";

export interface MaskContext {
  /** Creditor client names (masked as [CLIENT] for Claude). */
  clients?: readonly string[];
  /** The poster's name and handle (masked as [NAME] for Claude). */
  names?: readonly (string | null | undefined)[];
}

const LONG_DIGITS = /\d(?:[\s.-]?\d){5,}/g;
const DIGITS_4 = /\d(?:[\s-]?\d){3,}/g;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function maskNames(text: string, context: MaskContext): string {
  let masked = text;
  for (const client of [...(context.clients ?? [])].sort((a, b) => b.length - a.length)) {
    if (client.trim().length < 2) continue;
    masked = masked.replace(new RegExp(`\\b${escapeRegExp(client.trim())}\\b`, "gi"), "[CLIENT]");
  }
  for (const name of context.names ?? []) {
    const clean = name?.trim().replace(/^@/, "");
    if (!clean || clean.length < 3) continue;
    masked = masked.replace(new RegExp(`@?\\b${escapeRegExp(clean)}\\b`, "gi"), "[NAME]");
  }
  return masked;
}

/** The one masking policy: what `destination` may see of `text`. Idempotent, so masking twice is harmless. */
export function maskFor(destination: MaskDestination, text: string, context: MaskContext = {}): string {
  const stored = maskPii(text).masked;
  switch (destination) {
    case "stored":
      return stored;
    case "slack":
    case "email":
      return stored.replace(LONG_DIGITS, "[NUMBER]");
    case "claude":
      return maskNames(stored.replace(DIGITS_4, "[NUMBER]"), context);
  }
}
