// Text → sparse hashed feature vector shared by training and inference. Changing anything here changes the
// meaning of the committed weights: bump FEATURE_VERSION and retrain.
//
// One hand-written pass over the text, no regular expressions: mention text is hostile (no pattern can be made
// to backtrack) and the classifier runs on every mention (no per-call string or RegExp allocation: each token's
// characters go to a reused buffer and are hashed in place).

export const FEATURE_VERSION = 5;

export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export interface FeatureOptions {
  /** log2 of the hash space. */
  bits: number;
  charWeight?: number;
  cueWeight?: number;
  bigrams?: boolean;
}

// Cues carry the taxonomy's own vocabulary (CFPB sub-issues, rights language) into the model as features, so a
// short post that shares no n-grams with the long training narratives still lands near its code. The model
// learns how much to trust each cue; a cue is a hint, not a rule. Everyday words with a second sense
// (collection, recovery, agency, balance, statement, settle) are deliberately not cues: alone they say nothing.
// Entries are tokens as the tokenizer produces them (lower case, apostrophes dropped, digit runs as "0");
// "a b" is a two-token phrase.
const CUE_WORDS: Record<string, string> = {
  collections: `debt debts debtor collector collectors owe owed owing creditor creditors garnish garnished garnishment
    garnishing delinquent chargeoff charged_off past_due "debt collector" "collection agency" "collection agencies"
    "collections agency" "in collections" "to collections" "sent to collections" "collection calls" "payment plan"
    "collection account" "collection letter" "collection notice"`,
  debt_not_owed: `"not my" "isnt my" "dont owe" "never owed" "already paid" "paid off" "identity theft" "wrong person"
    discharged "same name" "never had" "never opened" "not mine"`,
  written_notice: `validate validation validated verify verification verified "written notice" "in writing" letter
    letters notice proof documentation itemized itemization "original creditor" "right to dispute" paperwork`,
  communication_tactics: `call calls calling called phone texts texting voicemail voicemails robocall robocalls harass
    harassed harassing harassment rude yelled yelling screamed screaming cursed cursing abusive "every day"
    "times a day" nonstop "stop calling" "stop contacting" "hung up" "0 am" "0 pm" "0am" "0pm"`,
  false_statements: `"wrong amount" fees fee inflated lie lied lying lies false misrepresented misrepresentation
    pretended pretending impersonated impersonating impersonate "claimed to be" crime criminal sheriff police`,
  legal_threats: `sue sued suing lawsuit court judgment levy seize seized arrest arrested jail "credit report"
    "credit score" "credit bureau" "credit bureaus" reported "ruin my" immigration deport deported "legal action"
    "bank account" frozen froze exempt`,
  privacy: `employer boss coworker coworkers neighbor neighbors neighbour neighbours family mother mom father dad
    sister brother wife husband relative relatives "third party" "told my" "called my" "my job" "at work"`,
  payment_service: `portal website autopay "made a payment" "payment portal" receipt refund "on hold"
    "customer service" transferred "charged twice" "double charged" login "log in" app`,
  praise: `thank thanks grateful appreciate appreciated kind kindly patient respectful professional helpful polite
    shoutout kudos "great service" "so nice" friendly understanding compassionate compassion`,
};
const CUE_NAMES = Object.keys(CUE_WORDS);

const SEED_WORD = 1;
const SEED_CHAR = 2;
const SEED_CUE = 3;
const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;

// FNV-1a over UTF-16 code units, seeded by feature family so "w:debt" and "c:debt" do not collide by design.
function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

function hashPair(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const BOUNDARY_HASH = hashString("<s>", SEED_WORD);
const CUE_HASHES = CUE_NAMES.map((name) => hashString(name, SEED_CUE));
const LENGTH_HASHES = ["len:short", "len:medium", "len:long"].map((name) => hashString(name, SEED_CUE));
const URL_HASH = hashString("urltoken", SEED_WORD);
const HANDLE_HASH = hashString("handletoken", SEED_WORD);
const MONEY_HASH = hashString("moneytoken", SEED_WORD);

/** Word hash → bit set of cues; word-pair hash → bit set of cues (phrases of two tokens). */
const CUE_UNIGRAMS = new Map<number, number>();
const CUE_BIGRAMS = new Map<number, number>();
const CUE_TRIGRAMS = new Map<number, number>();
for (const [c, name] of CUE_NAMES.entries()) {
  const entries = (CUE_WORDS[name] as string).match(/"[^"]*"|\S+/g) ?? [];
  for (const entry of entries) {
    const words = entry.replace(/"/g, "").replace(/_/g, " ").split(" ");
    const hashes = words.map((w) => hashString(w, SEED_WORD));
    if (hashes.length === 1) {
      const h = hashes[0] as number;
      CUE_UNIGRAMS.set(h, (CUE_UNIGRAMS.get(h) ?? 0) | (1 << c));
    } else if (hashes.length === 2) {
      const h = hashPair(hashes[0] as number, hashes[1] as number);
      CUE_BIGRAMS.set(h, (CUE_BIGRAMS.get(h) ?? 0) | (1 << c));
    } else {
      const h = hashPair(hashPair(hashes[0] as number, hashes[1] as number), hashes[2] as number);
      CUE_TRIGRAMS.set(h, (CUE_TRIGRAMS.get(h) ?? 0) | (1 << c));
    }
  }
}

const WORD_WEIGHT = 1;
const CHAR_WEIGHT = 0.3;
const CUE_WEIGHT = 0.5;
const MAX_CHAR_WORD = 24;
const MAX_CUE_HITS = 8;

// Reused dense scratch space per hash size: counting into arrays is several times faster than Maps,
// and the classifier runs on every mention.
interface Scratch {
  counts: Float64Array;
  out: Float64Array;
  outTouched: number[];
  wordIndices: number[];
  charIndices: number[];
  cueHits: Int32Array;
  /** The current token's characters, padded with a space on each side for character n-grams. */
  token: Uint16Array;
}
const scratches = new Map<number, Scratch>();
function scratchFor(bits: number): Scratch {
  let s = scratches.get(bits);
  if (!s) {
    s = {
      counts: new Float64Array(1 << bits),
      out: new Float64Array(1 << bits),
      outTouched: [],
      wordIndices: [],
      charIndices: [],
      cueHits: new Int32Array(CUE_NAMES.length),
      token: new Uint16Array(MAX_CHAR_WORD + 2),
    };
    scratches.set(bits, s);
  }
  return s;
}

function addOut(s: Scratch, index: number, amount: number) {
  if (s.out[index] === 0) s.outTouched.push(index);
  s.out[index] = (s.out[index] as number) + amount;
}

/** Sublinear term frequency, L2-normalized within the group, scaled by the group's weight. */
function addGroup(s: Scratch, indices: number[], weight: number) {
  if (indices.length === 0 || weight === 0) return;
  const { counts } = s;
  let norm = 0;
  // First pass counts; a slot seen for the first time is remembered by writing its index back in place.
  let unique = 0;
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j] as number;
    if (counts[i] === 0) indices[unique++] = i;
    counts[i] = (counts[i] as number) + 1;
  }
  // Most terms occur once (weight exactly 1): skip the logarithm for them.
  for (let j = 0; j < unique; j++) {
    const i = indices[j] as number;
    const c = counts[i] as number;
    const v = c === 1 ? 1 : 1 + Math.log(c);
    counts[i] = v;
    norm += v * v;
  }
  const scale = weight / Math.sqrt(norm);
  for (let j = 0; j < unique; j++) {
    const i = indices[j] as number;
    addOut(s, i, (counts[i] as number) * scale);
    counts[i] = 0;
  }
  indices.length = 0;
}

/** Whitespace-separated words, counted without allocating. */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13);
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

// Letters: ASCII a-z (input is lower-cased first) and the letter blocks above Latin-1 punctuation; general
// punctuation (’ “ …), surrogate halves (emoji) and specials are separators.
const isLetter = (c: number) =>
  (c >= 97 && c <= 122) ||
  (c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7) ||
  (c >= 0x3040 && c < 0xd800) ||
  (c >= 0xf900 && c < 0xfff0);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isApostrophe = (c: number) => c === 39 || c === 0x2019;
const isSpace = (c: number) => c <= 32;

/** Lower case of one UTF-16 unit: ASCII by arithmetic, the rest through the (cached, one-char) built-in. */
function lower(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 0xc0) return c;
  return String.fromCharCode(c).toLowerCase().charCodeAt(0);
}

export interface TokenStats {
  /** Tokens seen (words, numbers, and the url/handle/money placeholders). */
  tokens: number;
}

/**
 * Tokens are runs of letters and digits (apostrophes inside a word dropped: "don't" → "dont"; every digit run
 * is "0"); a URL is one "urltoken", an @handle one "handletoken", "$1,234.56" one "moneytoken", "#tag" the word
 * "tag", and a word of only x's (the CFPB's masking: XXXX, XX/XX/XXXX) the word "xxxx".
 */
export function extractFeatures(
  text: string,
  { bits, charWeight = CHAR_WEIGHT, cueWeight = CUE_WEIGHT, bigrams = true }: FeatureOptions,
): SparseVector {
  const mask = (1 << bits) - 1;
  const s = scratchFor(bits);
  const { wordIndices, charIndices, cueHits, token } = s;
  cueHits.fill(0);
  let previous = BOUNDARY_HASH;
  let beforePrevious = BOUNDARY_HASH;
  let tokens = 0;
  const n = text.length;

  const emitWord = (h: number, charLength: number) => {
    tokens++;
    wordIndices.push(h & mask);
    const pair = hashPair(previous, h);
    if (bigrams) wordIndices.push(pair & mask);
    if (cueWeight > 0) {
      const cues =
        (CUE_UNIGRAMS.get(h) ?? 0) |
        (CUE_BIGRAMS.get(pair) ?? 0) |
        (CUE_TRIGRAMS.get(hashPair(hashPair(beforePrevious, previous), h)) ?? 0);
      if (cues !== 0)
        for (let c = 0; c < CUE_NAMES.length; c++)
          if (cues & (1 << c)) cueHits[c] = (cueHits[c] as number) + 1;
    }
    beforePrevious = previous;
    previous = h;
    if (charLength === 0 || charWeight === 0) return;
    // token[0] and token[charLength + 1] are the padding spaces. 3-, 4- and 5-grams from each position in one
    // pass: FNV extends a prefix's hash by one character.
    const padded = charLength + 2;
    for (let i = 0; i + 3 <= padded; i++) {
      let g = (FNV_OFFSET ^ SEED_CHAR) >>> 0;
      g = Math.imul(g ^ (token[i] as number), FNV_PRIME);
      g = Math.imul(g ^ (token[i + 1] as number), FNV_PRIME);
      g = Math.imul(g ^ (token[i + 2] as number), FNV_PRIME) >>> 0;
      charIndices.push(g & mask);
      for (let j = i + 3; j < i + 5 && j < padded; j++) {
        g = Math.imul(g ^ (token[j] as number), FNV_PRIME) >>> 0;
        charIndices.push(g & mask);
      }
    }
  };

  let i = 0;
  while (i < n) {
    const c = lower(text.charCodeAt(i));
    // URL: "http://" or "https://" up to the next space.
    if (c === 104 && i + 7 <= n && startsUrl(text, i)) {
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      emitWord(URL_HASH, 0);
      continue;
    }
    if (c === 64 /* @ */ && i + 1 < n && isWordChar(lower(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n && isWordChar(lower(text.charCodeAt(i)))) i++;
      emitWord(HANDLE_HASH, 0);
      continue;
    }
    if (c === 36 /* $ */ && i + 1 < n && isDigit(text.charCodeAt(i + 1))) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isDigit(d) || ((d === 44 || d === 46) && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) i++;
        else break;
      }
      emitWord(MONEY_HASH, 0);
      continue;
    }
    if (!isLetter(c) && !isDigit(c)) {
      i++;
      continue;
    }
    // A word: letters, digits (each run one "0"), inner apostrophes dropped.
    let h = (FNV_OFFSET ^ SEED_WORD) >>> 0;
    let length = 0;
    let onlyX = true;
    token[0] = 32;
    while (i < n) {
      let d = lower(text.charCodeAt(i));
      if (isApostrophe(d) && i + 1 < n && isLetter(lower(text.charCodeAt(i + 1))) && length > 0) {
        i++;
        continue;
      }
      if (isDigit(d)) {
        while (i + 1 < n && isDigit(text.charCodeAt(i + 1))) i++;
        d = 48;
      } else if (!isLetter(d)) break;
      if (d !== 120) onlyX = false;
      h = Math.imul(h ^ d, FNV_PRIME);
      if (length < MAX_CHAR_WORD) token[length + 1] = d;
      length++;
      i++;
    }
    if (onlyX && length >= 2) {
      h = (FNV_OFFSET ^ SEED_WORD) >>> 0;
      for (let k = 0; k < 4; k++) h = Math.imul(h ^ 120, FNV_PRIME);
      token[1] = token[2] = token[3] = token[4] = 120;
      length = 4;
    }
    const charLength = length > MAX_CHAR_WORD ? 0 : length;
    token[charLength + 1] = 32;
    emitWord(h >>> 0, charLength);
  }

  addGroup(s, wordIndices, WORD_WEIGHT);
  addGroup(s, charIndices, charWeight);
  if (cueWeight > 0) {
    for (let c = 0; c < CUE_NAMES.length; c++) {
      const hits = Math.min(cueHits[c] as number, MAX_CUE_HITS);
      if (hits > 0) addOut(s, (CUE_HASHES[c] as number) & mask, cueWeight * Math.log1p(hits));
    }
  }

  // A per-length bias: short posts and long narratives have different base rates, and the model should not
  // carry the narratives' prior over to tweets.
  const lengthBucket = tokens <= 12 ? 0 : tokens <= 40 ? 1 : 2;
  addOut(s, (LENGTH_HASHES[lengthBucket] as number) & mask, 1);

  // Insertion order depends only on the text, so training sums run in the same order every time.
  const count = s.outTouched.length;
  const indices = new Int32Array(count);
  const values = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const slot = s.outTouched[k] as number;
    indices[k] = slot;
    values[k] = s.out[slot] as number;
    s.out[slot] = 0;
  }
  s.outTouched.length = 0;
  return { indices, values };
}

function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

function startsUrl(text: string, i: number): boolean {
  // "http" then optional "s" then "://", compared case-insensitively without building a substring.
  const t = (k: number) => lower(text.charCodeAt(i + k));
  if (t(1) !== 116 || t(2) !== 116 || t(3) !== 112) return false;
  let k = 4;
  if (t(k) === 115) k++;
  return (
    text.charCodeAt(i + k) === 58 && text.charCodeAt(i + k + 1) === 47 && text.charCodeAt(i + k + 2) === 47
  );
}

/** The token strings the extractor hashes (for tests and debugging; inference never builds them). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /https?:\/\/\S+|@[\p{L}\p{N}_]+|\$\d[\d,.]*|[\p{L}\p{N}]+(?:['’][\p{L}]+)*/giu;
  for (const m of text.toLowerCase().matchAll(re)) {
    const t = m[0];
    if (t.startsWith("http")) out.push("urltoken");
    else if (t.startsWith("@")) out.push("handletoken");
    else if (t.startsWith("$")) out.push("moneytoken");
    else {
      const w = t.replace(/['’]/g, "").replace(/\d+/g, "0");
      out.push(/^x{2,}$/.test(w) ? "xxxx" : w);
    }
  }
  return out;
}

/** Exposed so tests can check that cue phrases match what the tokenizer produces. */
export const CUE_VOCABULARY = CUE_WORDS;
