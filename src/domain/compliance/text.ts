// Text machinery for the linter: a tokenizer that keeps offsets into the ORIGINAL text (so the UI highlights in
// place), inflection-aware word matching (so "settled", "settling" and "settlement" hit the rule written as
// "settle"), and a tiny phrase language with gaps (so "work out a schedule to pay" hits "work out ~3 schedule ~3 pay").

export interface Token {
  /** Lowercased surface forms this token can stand for ("'s" stands for "is", "has" and the possessive). */
  forms: string[];
  start: number;
  end: number;
  /** Index of the sentence the token is in; phrases never match across sentences. */
  sentence: number;
}

/** Same length as the input (offsets stay valid): lowercase, curly quotes straightened. */
export function foldCase(text: string): string {
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const folded = lower.length === ch.length ? lower : ch;
    out += folded.replace(/[\u2018\u2019\u02bc]/, "'").replace(/[\u201c\u201d]/, '"');
  }
  return out;
}

const CONTRACTIONS: Record<string, string[]> = {
  "'re": ["are"],
  "'ve": ["have"],
  "'ll": ["will"],
  "'d": ["would", "had"],
  "'m": ["am"],
  "'s": ["'s", "is", "has", "us"],
};
const NEGATED_BASES: Record<string, string> = { ca: "can", wo: "will", sha: "shall", ai: "is" };

/** Punctuation that ends a sentence only when followed by a space or the end ("example.com" is one sentence). */
const SENTENCE_BREAK = /[.!?;](?:\s|$)|\n|\s[—–]\s/;

export function tokenize(text: string): Token[] {
  const folded = foldCase(text);
  const tokens: Token[] = [];
  let sentence = 0;
  let previousEnd = 0;
  for (const match of folded.matchAll(/[a-z0-9]+(?:'[a-z]+)?/g)) {
    const word = match[0];
    const start = match.index;
    const end = start + word.length;
    if (tokens.length > 0 && SENTENCE_BREAK.test(folded.slice(previousEnd, start))) sentence++;
    previousEnd = end;
    const apostrophe = word.indexOf("'");
    if (apostrophe < 0) {
      tokens.push({ forms: [word], start, end, sentence });
      continue;
    }
    if (word.endsWith("n't")) {
      const base = word.slice(0, -3);
      tokens.push({ forms: [NEGATED_BASES[base] ?? base], start, end, sentence });
      tokens.push({ forms: ["not"], start, end, sentence });
      continue;
    }
    const head = word.slice(0, apostrophe);
    const tail = word.slice(apostrophe);
    const expansion = CONTRACTIONS[tail];
    if (expansion) {
      tokens.push({ forms: [head], start, end: start + head.length, sentence });
      tokens.push({ forms: expansion, start: start + head.length, end, sentence });
    } else {
      tokens.push({ forms: [word, head], start, end, sentence });
    }
  }
  return tokens;
}

const IRREGULAR: Record<string, string[]> = {
  be: ["is", "are", "was", "were", "been", "being", "am", "'s"],
  have: ["has", "had", "having"],
  do: ["does", "did", "done", "doing"],
  pay: ["paid", "pays", "paying"],
  take: ["took", "taken"],
  send: ["sent"],
  tell: ["told"],
  make: ["made"],
  get: ["got", "gotten"],
  give: ["gave", "given"],
  say: ["said"],
  hear: ["heard"],
  leave: ["left"],
  speak: ["spoke", "spoken"],
  write: ["wrote", "written"],
  go: ["went", "gone"],
  see: ["saw", "seen"],
  know: ["knew", "known"],
  buy: ["bought"],
  lose: ["lost"],
  catch: ["caught"],
  seek: ["sought"],
  bring: ["brought"],
  keep: ["kept"],
  lend: ["lent"],
  sell: ["sold"],
};
/** Derivations the rules treat as the same idea. */
const DERIVED: Record<string, string[]> = {
  settle: ["settlement", "settlements"],
  garnish: ["garnishment", "garnishments", "garnishee"],
  seize: ["seizure", "seizures"],
  repossess: ["repossession", "repossessions"],
  arrest: ["arrests"],
  sue: ["lawsuit", "lawsuits"],
  delinquent: ["delinquency", "delinquencies"],
  collect: ["collection", "collections"],
  apologize: ["apologise", "apologised", "apologises", "apologising", "apology", "apologies"],
  install: ["installment", "installments", "instalment", "instalments"],
};

const VOWEL = /[aeiou]/;

/** Every inflection of a base word that the rules should treat as the same word. */
export function inflections(base: string): Set<string> {
  const out = new Set<string>([base, `${base}s`, `${base}es`, `${base}ed`, `${base}ing`, `${base}'s`]);
  if (base.endsWith("e")) {
    out.add(`${base}d`);
    out.add(`${base.slice(0, -1)}ing`);
  }
  if (/[^aeiou]y$/.test(base)) {
    out.add(`${base.slice(0, -1)}ies`);
    out.add(`${base.slice(0, -1)}ied`);
  }
  // Short consonant-vowel-consonant words double their last letter: stop → stopped, bug → bugging.
  const last = base.at(-1) ?? "";
  const beforeLast = base.at(-2) ?? "";
  if (
    base.length <= 4 &&
    /[bdgklmnprt]/.test(last) &&
    VOWEL.test(beforeLast) &&
    !VOWEL.test(base.at(-3) ?? "a")
  ) {
    out.add(`${base}${last}ed`);
    out.add(`${base}${last}ing`);
  }
  for (const form of IRREGULAR[base] ?? []) out.add(form);
  for (const form of DERIVED[base] ?? []) out.add(form);
  return out;
}

type Slot = { kind: "word"; alternatives: Set<string>; optional: boolean } | { kind: "gap"; max: number };

export interface Phrase {
  source: string;
  slots: Slot[];
}

/**
 * Compiles a phrase: words separated by spaces; "a|b" alternatives; "=word" matches that exact form only;
 * "?word" is optional; "~N" skips up to N tokens. Every other word matches any of its inflections.
 */
export function compilePhrase(source: string): Phrase {
  const slots: Slot[] = source
    .trim()
    .split(/\s+/)
    .map((part): Slot => {
      const gap = /^~(\d+)$/.exec(part);
      if (gap) return { kind: "gap", max: Number(gap[1]) };
      const optional = part.startsWith("?");
      const body = optional ? part.slice(1) : part;
      const alternatives = new Set<string>();
      for (const alternative of body.split("|")) {
        if (alternative.startsWith("=")) alternatives.add(alternative.slice(1));
        else for (const form of inflections(alternative)) alternatives.add(form);
      }
      return { kind: "word", alternatives, optional };
    });
  return { source, slots };
}

export interface Span {
  start: number;
  end: number;
}

function tokenMatches(token: Token, alternatives: Set<string>): boolean {
  return token.forms.some((form) => alternatives.has(form));
}

/** Returns the index after the last token consumed, or -1. `first` records the first consumed token. */
function matchFrom(
  tokens: Token[],
  slots: Slot[],
  slotIndex: number,
  tokenIndex: number,
  first: { index: number },
): number {
  if (slotIndex === slots.length) return tokenIndex;
  const slot = slots[slotIndex]!;
  if (slot.kind === "gap") {
    for (let skip = 0; skip <= slot.max && tokenIndex + skip <= tokens.length; skip++) {
      const end = matchFrom(tokens, slots, slotIndex + 1, tokenIndex + skip, first);
      if (end >= 0) return end;
    }
    return -1;
  }
  const token = tokens[tokenIndex];
  if (token && tokenMatches(token, slot.alternatives)) {
    const firstBefore = first.index;
    if (first.index < 0) first.index = tokenIndex;
    const end = matchFrom(tokens, slots, slotIndex + 1, tokenIndex + 1, first);
    if (end >= 0) return end;
    first.index = firstBefore;
  }
  if (slot.optional) return matchFrom(tokens, slots, slotIndex + 1, tokenIndex, first);
  return -1;
}

/** All non-overlapping matches of a phrase, as spans of the original text; never across a sentence break. */
export function findPhrase(tokens: Token[], phrase: Phrase): Span[] {
  return sentencesOf(tokens).flatMap((sentence) => findInSentence(sentence, phrase));
}

// The linter runs hundreds of phrases over the same tokens; split them into sentences once.
const sentenceCache = new WeakMap<Token[], Token[][]>();

function sentencesOf(tokens: Token[]): Token[][] {
  const cached = sentenceCache.get(tokens);
  if (cached) return cached;
  const sentences: Token[][] = [];
  for (const token of tokens) {
    const last = sentences.at(-1);
    if (last && last[0]!.sentence === token.sentence) last.push(token);
    else sentences.push([token]);
  }
  sentenceCache.set(tokens, sentences);
  return sentences;
}

function findInSentence(tokens: Token[], phrase: Phrase): Span[] {
  const spans: Span[] = [];
  let index = 0;
  while (index < tokens.length) {
    const first = { index: -1 };
    const end = matchFrom(tokens, phrase.slots, 0, index, first);
    if (end > index && first.index >= 0) {
      const startToken = tokens[first.index]!;
      const endToken = tokens[end - 1]!;
      spans.push({ start: startToken.start, end: endToken.end });
      index = end;
    } else {
      index++;
    }
  }
  return spans;
}

/** Sentence boundaries, so "ask for details" can be judged against the channel offered in the same sentence. */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?\n]+(\s+|$)|\s[—–-]\s/g)) {
    const end = match.index + match[0].length;
    if (end > start) spans.push({ start, end });
    start = end;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans;
}
