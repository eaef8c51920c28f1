// PII detection and masking. The masked text is what leaves the database (Claude, Slack, e-mail),
// so detection leans towards masking when a number sits next to words that make it personal.

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
  { kind: "email", pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, group: 0 },
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
      /\b(?:ssn|social security(?: number| no\.?| #)?|social)\s*(?:is|was|:|#)?\s*(\d{9}|\d{3}[- ]\d{2}[- ]\d{4})(?!\d)/gi,
    group: 1,
  },
  {
    kind: "dob",
    pattern: new RegExp(
      `\\b(?:dob|d\\.o\\.b\\.?|date of birth|birth ?date|birthday|born(?: on)?)\\s*(?:is|was|:|-)?\\s*(${DATE})`,
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
      /\b(?:account|acct|a\/c|reference|ref|case|file|claim|loan|member|customer|invoice|policy)\.?\s*(?:number|num|no\.?|nbr|#|id)?\s*(?:is|was|:|#)?\s*#?\s*([A-Z0-9][A-Z0-9-]{3,24})\b/gi,
    group: 1,
    accept: (v) => (v.match(/\d/g)?.length ?? 0) >= 4,
  },
  {
    kind: "account",
    pattern:
      /\b(?:ending|ends) (?:in|with)\s*(\d{4,})\b|\blast (?:4|four)(?: digits)?(?: (?:are|is|of))?\s*:?\s*(\d{4})\b/gi,
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

export function detectPii(text: string): PiiHit[] {
  const hits: PiiHit[] = [];
  const overlaps = (start: number, end: number) => hits.some((h) => start < h.end && end > h.start);
  for (const detector of DETECTORS) {
    detector.pattern.lastIndex = 0;
    for (let m = detector.pattern.exec(text); m !== null; m = detector.pattern.exec(text)) {
      const span = groupSpan(m, detector.group);
      if (!span || span.end === span.start) continue;
      if (detector.accept && !detector.accept(span.value)) continue;
      if (overlaps(span.start, span.end)) continue;
      hits.push({ kind: detector.kind, start: span.start, end: span.end });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

export function maskPii(text: string): MaskResult {
  const hits = detectPii(text);
  if (hits.length === 0) return { masked: text, hits };
  let out = "";
  let cursor = 0;
  for (const hit of hits) {
    out += text.slice(cursor, hit.start) + MASK_LABEL[hit.kind];
    cursor = hit.end;
  }
  out += text.slice(cursor);
  return { masked: out, hits };
}
