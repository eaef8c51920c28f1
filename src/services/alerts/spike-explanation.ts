// Why an hour spiked: what is over-represented in its mentions against the key's baseline week, and the three
// posts that carry it best. Pure (mentions in, explanation out); masked text only.
// (Kept here because src/domain/spikes had no explanation builder when the spike job was written.)

export interface ExplainedMention {
  id: number;
  textMasked: string;
  sourceName: string;
  authorHandle: string | null;
  category: string | null;
  contentHash: string;
}

export interface OverRepresented {
  value: string;
  /** Mentions in the spike hour carrying it. */
  count: number;
  /** Its share of the spike hour's mentions. */
  share: number;
  /** Its share of the baseline's mentions. */
  baselineShare: number;
}

export interface SpikeExplanation {
  mentions: number;
  baselineMentions: number;
  terms: OverRepresented[];
  sources: OverRepresented[];
  authors: OverRepresented[];
  links: OverRepresented[];
  categories: OverRepresented[];
  examples: { id: number; textMasked: string; sourceName: string }[];
}

const STOPWORDS = new Set(
  (
    "the and for are but not you your yours with this that they them their there was were have has had will would " +
    "could should can cant can't don't dont just from what when where who why how all any out about into over after " +
    "again than then too very our ours its it's i'm im ive i've me my mine him her his she he we us also been being " +
    "because did does doing only own same some such off more most other here each few both while which these those " +
    "get got like one two even still said says say http https www com amp"
  ).split(" "),
);

/** Words of a post, once each: masked placeholders ([PHONE]) and stopwords left out. */
export function termsOf(text: string): Set<string> {
  const words = text
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\[[A-Z_]+\]/g, " ")
    .toLowerCase()
    .match(/[a-z][a-z'-]{2,}/g);
  return new Set(
    (words ?? []).map((w) => w.replace(/^'+|'+$/g, "")).filter((w) => w.length >= 3 && !STOPWORDS.has(w)),
  );
}

export function linksOf(text: string): Set<string> {
  const hosts = new Set<string>();
  for (const match of text.matchAll(/https?:\/\/[^\s)>\]]+/g)) {
    try {
      hosts.add(new URL(match[0]).hostname.replace(/^www\./, ""));
    } catch {
      // not a URL after all
    }
  }
  return hosts;
}

function counter(items: Iterable<Iterable<string>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const values of items) for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * Values whose share in the spike is well above their (smoothed) share in the baseline, strongest first.
 * Needs at least two mentions (one post is an anecdote) and twice the baseline share.
 */
function overRepresented(
  spike: Map<string, number>,
  spikeTotal: number,
  baseline: Map<string, number>,
  baselineTotal: number,
  limit: number,
  minCount = 2,
): OverRepresented[] {
  const out: (OverRepresented & { weight: number })[] = [];
  for (const [value, count] of spike) {
    if (count < minCount) continue;
    const share = count / spikeTotal;
    // Add-one smoothing: a value never seen in the baseline is rare, not infinitely rare.
    const baselineShare = ((baseline.get(value) ?? 0) + 1) / (baselineTotal + 2);
    if (share < 2 * baselineShare) continue;
    out.push({
      value,
      count,
      share: round(share),
      baselineShare: round((baseline.get(value) ?? 0) / Math.max(1, baselineTotal)),
      weight: count * Math.log(share / baselineShare),
    });
  }
  return out
    .sort((a, b) => b.weight - a.weight || b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, limit)
    .map(({ weight: _weight, ...rest }) => rest);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function explainSpike(spike: ExplainedMention[], baseline: ExplainedMention[]): SpikeExplanation {
  const n = spike.length;
  const b = baseline.length;
  const spikeTerms = spike.map((m) => termsOf(m.textMasked));
  const terms = overRepresented(
    counter(spikeTerms),
    n,
    counter(baseline.map((m) => termsOf(m.textMasked))),
    b,
    8,
  );
  const single = (pick: (m: ExplainedMention) => string | null) => (ms: ExplainedMention[]) =>
    counter(ms.map((m) => (pick(m) ? [pick(m)!] : [])));
  const bySource = single((m) => m.sourceName);
  const byAuthor = single((m) => (m.authorHandle ? `@${m.authorHandle.replace(/^@/, "")}` : null));
  const byCategory = single((m) => m.category);
  const byLinks = (ms: ExplainedMention[]) => counter(ms.map((m) => linksOf(m.textMasked)));

  // Representative: covers the most top terms; one per near-duplicate group so three retweets are not "three posts".
  const topTerms = new Set(terms.map((t) => t.value));
  const seen = new Set<string>();
  const examples = spike
    .map((m, i) => ({ m, score: [...spikeTerms[i]!].filter((t) => topTerms.has(t)).length }))
    .sort((x, y) => y.score - x.score || x.m.id - y.m.id)
    .filter(({ m }) => {
      if (seen.has(m.contentHash)) return false;
      seen.add(m.contentHash);
      return true;
    })
    .slice(0, 3)
    .map(({ m }) => ({ id: m.id, textMasked: m.textMasked, sourceName: m.sourceName }));

  return {
    mentions: n,
    baselineMentions: b,
    terms,
    sources: overRepresented(bySource(spike), n, bySource(baseline), b, 3),
    authors: overRepresented(byAuthor(spike), n, byAuthor(baseline), b, 3, 3),
    links: overRepresented(byLinks(spike), n, byLinks(baseline), b, 3),
    categories: overRepresented(byCategory(spike), n, byCategory(baseline), b, 3),
    examples,
  };
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** One line per dimension that stands out, for Slack and the digest. */
export function explanationHighlights(e: SpikeExplanation): string[] {
  const lines: string[] = [];
  if (e.terms.length)
    lines.push(
      `words: ${e.terms
        .slice(0, 6)
        .map((t) => `"${t.value}" (${t.count})`)
        .join(", ")}`,
    );
  const withShares = (
    label: string,
    items: OverRepresented[],
    name = (v: string) => v.replace(/_/g, " "),
  ) => {
    if (items.length)
      lines.push(
        `${label}: ${items.map((i) => `${name(i.value)} ${percent(i.share)} vs ${percent(i.baselineShare)} usually`).join(", ")}`,
      );
  };
  withShares("categories", e.categories);
  withShares("sources", e.sources, (v) => v);
  withShares("authors", e.authors, (v) => v);
  withShares("links", e.links, (v) => v);
  return lines;
}
