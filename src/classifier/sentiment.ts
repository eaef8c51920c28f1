// A small lexicon scorer: sentiment is a display and routing hint, not a category decision,
// so a fast, explainable score in −1…1 is worth more than a second model.

const POSITIVE = new Set(
  `thank thanks thankful grateful appreciate appreciated helpful helped kind kindly polite professional patient
  respectful great excellent amazing awesome good best wonderful fantastic easy smooth quick quickly fast resolved
  fair understanding recommend love loved happy pleased relieved nice friendly courteous caring compassionate
  shoutout kudos impressed perfect glad`.split(/\s+/),
);
const NEGATIVE = new Set(
  `harass harassed harassing harassment abusive abuse rude threatening threatened threat threats scam scammers
  scammer illegal horrible terrible awful worst disgusting predatory lie lied lies lying liar liars fraud fraudulent
  angry furious sick tired stressed stress anxiety scared afraid unfair wrong ridiculous incompetent useless
  nightmare hate hated bully bullying intimidate intimidating embarrassed humiliated ruined ruin damage damaged
  garnish garnished sue sued lawsuit arrest jail refuse refused ignore ignored deceptive misleading false
  unprofessional disrespectful yelled screamed cursed annoying annoyed frustrated frustrating upset crying
  desperate hopeless unacceptable shameful shame garbage trash pathetic nonstop constantly dispute disputed`.split(
    /\s+/,
  ),
);
const NEGATORS = new Set([
  "not",
  "no",
  "never",
  "don't",
  "dont",
  "didn't",
  "didnt",
  "isn't",
  "isnt",
  "wasn't",
  "wasnt",
  "won't",
  "cant",
  "can't",
  "nothing",
]);

export function sentimentScore(text: string): number {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  let score = 0;
  let hits = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const stem = word.endsWith("s") && !POSITIVE.has(word) && !NEGATIVE.has(word) ? word.slice(0, -1) : word;
    const polarity = POSITIVE.has(stem) ? 1 : NEGATIVE.has(stem) ? -1 : 0;
    if (polarity === 0) continue;
    const negated =
      (i > 0 && NEGATORS.has(words[i - 1] as string)) || (i > 1 && NEGATORS.has(words[i - 2] as string));
    score += negated ? -polarity * 0.5 : polarity;
    hits++;
  }
  if (hits === 0) return 0;
  // Saturating: a few strong words already say most of what there is to say.
  const value = Math.tanh(score / Math.sqrt(hits + 1));
  return Math.round(value * 100) / 100;
}
