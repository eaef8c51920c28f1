// Why a spike happened: what its mentions have that the baseline's do not. Pure; masked text in, explanation out.
//
// Every feature (term, source, author, link, category) is scored by the log-odds ratio with an informative
// Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"): the prior is the feature's rate over both
// samples, so a term seen once in the spike and never before gets a modest score instead of an infinite one.
// Counts are per mention (a post repeating a word ten times counts once): a spike is many people, not one rant.
//
// A spike carried by one voice is not a wave of complaints: when one author (by author key, the keyed hash of
// their platform identity) or one cross-posted text (by content hash, shared by retweets and copies) accounts for
// most of the spike's mentions, `concentration` says so, and the headline should say "one author" or "one post
// shared", not "people are saying".

export interface ExplainMention {
  id: string | number;
  /** Masked text (PII already replaced). */
  text: string;
  source?: string | null;
  author?: string | null;
  category?: string | null;
  url?: string | null;
  /** Links found in the post besides those in `text`. */
  links?: string[];
  /** Keyed hash of the author's platform identity (falls back to the handle when absent). */
  authorKey?: string | null;
  /** Hash of the normalised text: retweets and cross-posts share it. */
  contentHash?: string | null;
}

export interface OverRepresented {
  value: string;
  /** Spike mentions carrying it. */
  count: number;
  /** Its share of the spike's mentions. */
  share: number;
  /** Its share of the baseline's mentions. */
  baselineShare: number;
  /** Baseline mentions carrying it (over all the baseline's hours). */
  baselineCount?: number;
  /** z-score of the log-odds ratio (spike vs baseline); > ~2 is a real difference. */
  score: number;
}

export interface SpikeExample {
  id: string | number;
  text: string;
  source?: string | null;
  url?: string | null;
}

/** The one author or one text behind most of a spike, if there is one. */
export interface Concentration {
  /** "wave": many voices; "one_author": one author key carries most of it; "cross_post": one text does. */
  kind: "wave" | "one_author" | "cross_post";
  /** The largest single author's share of the spike's mentions, and their handle (as posted). */
  topAuthor: { handle: string | null; count: number; share: number } | null;
  /** The largest group of identical (cross-posted) texts: its share and one masked example. */
  topText: { count: number; share: number; text: string } | null;
  /** Distinct authors and distinct texts among the spike's mentions. */
  authors: number;
  texts: number;
}

export interface SpikeExplanation {
  mentions: number;
  baselineMentions: number;
  /** Hours the baseline covers (for "per hour usually"); null when unknown. */
  baselineHours?: number | null;
  concentration?: Concentration;
  terms: OverRepresented[];
  sources: OverRepresented[];
  authors: OverRepresented[];
  links: OverRepresented[];
  categories: OverRepresented[];
  /** The three posts that carry the over-represented terms best, near-duplicates removed. */
  examples: SpikeExample[];
}

export interface ExplainOptions {
  /** Features scoring below this are not reported. */
  minScore?: number;
  /** At least this many spike mentions must carry a feature (one loud author is not a trend). */
  minCount?: number;
  /** Strength of the prior, in pseudo-mentions. */
  priorStrength?: number;
  limit?: number;
  /** Hours the baseline mentions cover, so "usually" can be a rate. */
  baselineHours?: number | null;
  /** Share of the spike one author or one text must carry to be "most of it". */
  concentrationShare?: number;
}

const STOPWORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from as is are was were be been being am it its it's this that " +
    "these those there here i me my mine we us our ours you your yours he him his she her they them their what which " +
    "who whom whose when where why how all any both each few more most other some such no nor not only own same so " +
    "than too very can will just don't dont should now do does did doing have has had having would could also about " +
    "into over after before again then once up down out off im i'm ive i've youre you're cant can't wont won't didnt " +
    "didn't get got one like even still really back amp rt via"
  ).split(" "),
);

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"')\]]+/gi;
// What the PII masker leaves behind ("[PHONE]"): not a word anyone wrote.
const MASK_TOKEN = /\[[A-Z_]+\]/g;

/** Lower-case host without www., path without trailing slash; tracking parameters and fragments dropped. */
export function normalizeLink(link: string): string | null {
  try {
    const url = new URL(link.replace(/[.,;:!?]+$/, ""));
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    for (const key of [...url.searchParams.keys()]) {
      if (/^(utm_|fbclid|gclid|ref|s$|t$)/i.test(key)) url.searchParams.delete(key);
    }
    const query = url.searchParams.toString();
    const path = url.pathname.replace(/\/+$/, "");
    return `${url.hostname.toLowerCase().replace(/^www\./, "")}${path}${query ? `?${query}` : ""}`;
  } catch {
    return null;
  }
}

/** Unigrams and bigrams of content words, once each. */
export function termsOf(text: string): Set<string> {
  const words = text
    .replace(URL_PATTERN, " ")
    .replace(MASK_TOKEN, " ")
    .replace(/[@#]\w+/g, " ")
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’]+/u)
    .map((w) => w.replace(/^['’]+|['’]+$/g, "").replace(/’/g, "'"))
    .filter((w) => w.length > 0);
  const terms = new Set<string>();
  let previous: string | null = null;
  for (const word of words) {
    const content = word.length >= 3 && !STOPWORDS.has(word) && !/^\d+$/.test(word);
    if (content) {
      terms.add(word);
      if (previous) terms.add(`${previous} ${word}`);
      previous = word;
    } else {
      previous = null;
    }
  }
  return terms;
}

function linksOf(m: ExplainMention): Set<string> {
  const found = new Set<string>();
  for (const raw of [...(m.text.match(URL_PATTERN) ?? []), ...(m.links ?? [])]) {
    const link = normalizeLink(raw);
    if (link) found.add(link);
  }
  return found;
}

function tally(docs: Set<string>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const value of doc) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function overRepresented(spikeDocs: Set<string>[], baselineDocs: Set<string>[], o: Required<ExplainOptions>) {
  const spike = tally(spikeDocs);
  const baseline = tally(baselineDocs);
  const n1 = Math.max(spikeDocs.length, 1);
  const n2 = Math.max(baselineDocs.length, 1);
  const total = spikeDocs.length + baselineDocs.length;
  const out: OverRepresented[] = [];
  for (const [value, y1] of spike) {
    if (y1 < o.minCount) continue;
    if (baselineDocs.length === 0) {
      // Nothing to compare with (a new brand or category): the most common features are the best we can say.
      out.push({ value, count: y1, share: y1 / n1, baselineShare: 0, baselineCount: 0, score: 0 });
      continue;
    }
    const y2 = baseline.get(value) ?? 0;
    // Prior: the feature's pooled rate, spread over `priorStrength` pseudo-mentions.
    const alpha = Math.max((o.priorStrength * (y1 + y2)) / Math.max(total, 1), 0.01);
    const a0 = o.priorStrength;
    const logOdds = (y: number, n: number) => Math.log((y + alpha) / Math.max(n + a0 - y - alpha, 1e-9));
    const delta = logOdds(y1, n1) - logOdds(y2, n2);
    const score = delta / Math.sqrt(1 / (y1 + alpha) + 1 / (y2 + alpha));
    if (score < o.minScore) continue;
    out.push({
      value,
      count: y1,
      share: y1 / n1,
      baselineShare: y2 / n2,
      baselineCount: y2,
      score: Math.round(score * 100) / 100,
    });
  }
  // On a tie the longer phrase wins: "payment portal" says more than "payment".
  const words = (v: string) => v.split(" ").length;
  return out
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.count - a.count ||
        words(b.value) - words(a.value) ||
        a.value.localeCompare(b.value),
    )
    .slice(0, o.limit);
}

/** Drops terms that only restate a stronger bigram ("payment portal" makes "portal" redundant if no stronger). */
function pruneTerms(terms: OverRepresented[]): OverRepresented[] {
  const kept: OverRepresented[] = [];
  for (const term of terms) {
    const covered = kept.some(
      (k) =>
        k.count >= term.count &&
        (k.value.split(" ").includes(term.value) || term.value.split(" ").includes(k.value)),
    );
    if (!covered) kept.push(term);
  }
  return kept;
}

const single = (value: string | null | undefined) => new Set(value ? [value] : []);
const fingerprint = (text: string) =>
  [...termsOf(text)]
    .filter((t) => !t.includes(" "))
    .sort()
    .join(" ");

/** Who or what carries the spike: many voices, one author, or one text shared many times. */
export function concentrationOf(spikeMentions: ExplainMention[], mostShare = 0.5): Concentration {
  const n = spikeMentions.length;
  const byAuthor = new Map<string, { handle: string | null; count: number }>();
  const byText = new Map<string, { text: string; count: number }>();
  for (const m of spikeMentions) {
    const author = m.authorKey ?? (m.author ? `handle:${m.author.toLowerCase()}` : null);
    if (author) {
      const entry = byAuthor.get(author) ?? { handle: m.author ?? null, count: 0 };
      entry.count++;
      byAuthor.set(author, entry);
    }
    // Without a stored hash, the bag of words stands in for it (a retweet keeps every word).
    const text = m.contentHash ?? `terms:${fingerprint(m.text)}`;
    const entry = byText.get(text) ?? { text: m.text, count: 0 };
    entry.count++;
    byText.set(text, entry);
  }
  const top = <T extends { count: number }>(map: Map<string, T>) =>
    [...map.values()].reduce<T | null>((best, e) => (best === null || e.count > best.count ? e : best), null);
  const author = top(byAuthor);
  const text = top(byText);
  const authorShare = author && n ? author.count / n : 0;
  const textShare = text && n ? text.count / n : 0;
  // Two mentions are not "a storm": the rule needs a few repeats to say anything.
  const enough = (count: number) => count >= 3;
  const kind =
    textShare >= mostShare && enough(text!.count) && textShare >= authorShare
      ? "cross_post"
      : authorShare >= mostShare && enough(author!.count)
        ? "one_author"
        : textShare >= mostShare && enough(text!.count)
          ? "cross_post"
          : "wave";
  return {
    kind,
    topAuthor: author ? { handle: author.handle, count: author.count, share: authorShare } : null,
    topText: text ? { count: text.count, share: textShare, text: text.text } : null,
    authors: byAuthor.size,
    texts: byText.size,
  };
}

export function explainSpike(
  spikeMentions: ExplainMention[],
  baselineMentions: ExplainMention[],
  options: ExplainOptions = {},
): SpikeExplanation {
  const o: Required<ExplainOptions> = {
    minScore: 1.96,
    minCount: 2,
    priorStrength: 10,
    limit: 8,
    baselineHours: null,
    concentrationShare: 0.5,
    ...options,
  };
  const spikeTerms = spikeMentions.map((m) => termsOf(m.text));
  const baselineTerms = baselineMentions.map((m) => termsOf(m.text));
  const terms = pruneTerms(overRepresented(spikeTerms, baselineTerms, { ...o, limit: o.limit * 2 })).slice(
    0,
    o.limit,
  );
  const facet = (pick: (m: ExplainMention) => Set<string>) =>
    overRepresented(spikeMentions.map(pick), baselineMentions.map(pick), o);

  const weights = new Map(terms.map((t) => [t.value, t.score]));
  const ranked = spikeMentions
    .map((m, i) => {
      let weight = 0;
      for (const term of spikeTerms[i]!) weight += weights.get(term) ?? 0;
      return { m, weight, i };
    })
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  const examples: SpikeExample[] = [];
  const seen = new Set<string>();
  for (const { m } of ranked) {
    const print = fingerprint(m.text);
    if (seen.has(print) || (m.contentHash && seen.has(`hash:${m.contentHash}`))) continue;
    seen.add(print);
    if (m.contentHash) seen.add(`hash:${m.contentHash}`);
    examples.push({ id: m.id, text: m.text, source: m.source ?? null, url: m.url ?? null });
    if (examples.length === 3) break;
  }

  return {
    mentions: spikeMentions.length,
    baselineMentions: baselineMentions.length,
    baselineHours: o.baselineHours,
    concentration: concentrationOf(spikeMentions, o.concentrationShare),
    terms,
    sources: facet((m) => single(m.source)),
    authors: facet((m) => single(m.author?.toLowerCase())),
    links: facet(linksOf),
    categories: facet((m) => single(m.category)),
    examples,
  };
}
