// Text → sparse hashed feature vector shared by training and inference. Changing anything here changes the
// meaning of the committed weights: bump FEATURE_VERSION and retrain.

export const FEATURE_VERSION = 3;

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
// learns how much to trust each cue; a cue is a hint, not a rule.
const CUES: Record<string, RegExp> = {
  collections:
    /\b(?:collect(?:or|ors|ion|ions|ing)?|debt|debts|owe|owed|owing|balance|past due|agency|garnish\w*|settle\w*|payment plan|creditor|recovery)\b/gi,
  debt_not_owed:
    /\b(?:not (?:my|mine)|isn'?t my|don'?t owe|do not owe|never owed|already paid|paid (?:it )?(?:off|in full)|identity theft|stole my identity|wrong person|discharged|never (?:had|opened)|same name|fraud(?:ulent)? account)\b/gi,
  written_notice:
    /\b(?:validat\w*|verif\w*|written notice|in writing|letter|notice|proof|documentation|itemi[sz]\w*|original creditor|right to dispute|paperwork|statement)\b/gi,
  communication_tactics:
    /\b(?:calls?|calling|called|phone|texts?|texting|emails?|voicemails?|robocalls?|harass\w*|rude|yell\w*|scream\w*|curs\w*|abusive|every day|times a day|nonstop|stop (?:calling|contacting)|hung up|at work|\d ?(?:am|pm))\b/gi,
  false_statements:
    /\b(?:wrong amount|fees?|interest|inflated|lie|lied|lying|false|misrepresent\w*|pretend\w*|impersonat\w*|claimed to be|crime|criminal|sheriff|police|attorney|amount)\b/gi,
  legal_threats:
    /\b(?:sue|sued|suing|lawsuit|court|judgment|garnish\w*|levy|seiz\w*|arrest\w*|jail|credit (?:report|score|bureaus?)|reported|ruin my credit|immigration|deport\w*|legal action|bank account|frozen|froze|exempt)\b/gi,
  privacy:
    /\b(?:employer|boss|job|work|coworkers?|co-workers?|neighbou?rs?|family|mother|mom|father|dad|sister|brother|wife|husband|relatives?|friends?|references?|third[- ]part\w*|facebook wall|told my|called my)\b/gi,
  payment_service:
    /\b(?:portal|website|site|app|online|log ?in|autopay|payment (?:plan|portal|site)|made a payment|pay(?:ment)? (?:didn'?t|not|wasn'?t) (?:go|post|appl)\w*|applied|receipt|refund|on hold|customer service|transferred|charged twice|double charged)\b/gi,
  praise:
    /\b(?:thank\w*|grateful|appreciat\w*|kind|kindly|patient|respectful|professional|helpful|polite|shout ?out|kudos|great (?:service|experience)|so nice|friendly|understanding|compassion\w*)\b/gi,
};
const CUE_NAMES = Object.keys(CUES);

const MAX_CHAR_WORD = 24;

export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, " urltoken ")
    .replace(/@\w+/g, " handletoken ")
    .replace(/#(\w+)/g, " $1 ")
    .replace(/x{2,}(?:\/x{2,})*/g, " xxxx ")
    .replace(/\{?\$[\d,.]+\}?/g, " moneytoken ")
    .replace(/\d+/g, "0");
}

// FNV-1a over UTF-16 code units, seeded by feature family so "w:debt" and "c:debt" do not collide by design.
function hashString(s: string, seed: number, from = 0, to = s.length): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function hashPair(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const SEED_WORD = 1;
const SEED_CHAR = 2;
const SEED_CUE = 3;
const CUE_HASHES = CUE_NAMES.map((name) => hashString(name, SEED_CUE));
const LENGTH_HASHES = ["len:short", "len:medium", "len:long"].map((name) => hashString(name, SEED_CUE));

const WORD_WEIGHT = 1;
const CHAR_WEIGHT = 0.6;
const CUE_WEIGHT = 0.5;

// Reused dense scratch space per hash size: counting into arrays is several times faster than Maps,
// and the classifier runs on every mention.
interface Scratch {
  counts: Float64Array;
  out: Float64Array;
  outTouched: number[];
}
const scratches = new Map<number, Scratch>();
function scratchFor(bits: number): Scratch {
  let s = scratches.get(bits);
  if (!s) {
    s = { counts: new Float64Array(1 << bits), out: new Float64Array(1 << bits), outTouched: [] };
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
  const unique: number[] = [];
  for (const i of indices) {
    if (counts[i] === 0) unique.push(i);
    counts[i] = (counts[i] as number) + 1;
  }
  // Most terms occur once (weight exactly 1): skip the logarithm for them.
  let norm = 0;
  for (const i of unique) {
    const c = counts[i] as number;
    const v = c === 1 ? 1 : 1 + Math.log(c);
    counts[i] = v;
    norm += v * v;
  }
  const scale = weight / Math.sqrt(norm);
  for (const i of unique) {
    addOut(s, i, (counts[i] as number) * scale);
    counts[i] = 0;
  }
}

/** Whitespace-separated words, counted without allocating (the relevance blend needs the length per call). */
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

export function extractFeatures(
  text: string,
  { bits, charWeight = CHAR_WEIGHT, cueWeight = CUE_WEIGHT, bigrams = true }: FeatureOptions,
): SparseVector {
  const mask = (1 << bits) - 1;
  const normalized = normalizeText(text);
  const words = normalized.match(/[a-z0-9']+/g) ?? [];

  const s = scratchFor(bits);
  const wordIndices: number[] = [];
  const charIndices: number[] = [];
  let previous = hashString("<s>", SEED_WORD);
  for (const word of words) {
    const h = hashString(word, SEED_WORD);
    wordIndices.push(h & mask);
    if (bigrams) wordIndices.push(hashPair(previous, h) & mask);
    previous = h;
    if (word.length > MAX_CHAR_WORD || charWeight === 0) continue;
    const padded = ` ${word} `;
    // 3-, 4- and 5-grams from each position in one pass: FNV extends a prefix's hash by one character.
    for (let i = 0; i + 3 <= padded.length; i++) {
      let h = hashString(padded, SEED_CHAR, i, i + 3);
      charIndices.push(h & mask);
      for (let j = i + 3; j < i + 5 && j < padded.length; j++) {
        h = Math.imul(h ^ padded.charCodeAt(j), 16777619) >>> 0;
        charIndices.push(h & mask);
      }
    }
  }

  addGroup(s, wordIndices, WORD_WEIGHT);
  addGroup(s, charIndices, charWeight);
  if (cueWeight > 0) {
    for (let c = 0; c < CUE_NAMES.length; c++) {
      const pattern = CUES[CUE_NAMES[c] as string] as RegExp;
      pattern.lastIndex = 0;
      let hits = 0;
      while (hits < 8 && pattern.exec(normalized) !== null) hits++;
      pattern.lastIndex = 0;
      if (hits > 0) addOut(s, (CUE_HASHES[c] as number) & mask, cueWeight * Math.log1p(hits));
    }
  }

  // A per-length bias: short posts and long narratives have different base rates, and the model should not
  // carry the narratives' prior over to tweets.
  const lengthBucket = words.length <= 12 ? 0 : words.length <= 40 ? 1 : 2;
  addOut(s, (LENGTH_HASHES[lengthBucket] as number) & mask, 1);

  // Insertion order depends only on the text, so training sums run in the same order every time.
  const n = s.outTouched.length;
  const indices = new Int32Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = s.outTouched[i] as number;
    indices[i] = k;
    values[i] = s.out[k] as number;
    s.out[k] = 0;
  }
  s.outTouched.length = 0;
  return { indices, values };
}
