// A spike's explanation in words, for the dashboard, Slack and the digest. Extractive: every word comes from the
// explanation (counts, over-represented terms, categories, sources) or from the masked posts themselves. There is
// no Claude summary path for spikes; the two sentences below are what an alert says without one.
import type { OverRepresented, SpikeExplanation } from "../../domain/spikes/explain.js";

const percent = (x: number) => `${Math.round(x * 100)}%`;
const label = (v: string) => v.replace(/_/g, " ");

/** "18 now vs 0.4 an hour usually", or shares when the baseline's hours are unknown. */
function growth(i: OverRepresented, e: SpikeExplanation): string {
  if (e.baselineHours && e.baselineHours > 0 && i.baselineCount !== undefined) {
    const usual = i.baselineCount / e.baselineHours;
    return `${i.count} vs ${usual < 10 ? usual.toFixed(1) : Math.round(usual)}/h usually`;
  }
  return `${percent(i.share)} vs ${percent(i.baselineShare)} usually`;
}

/** Who carries the spike, when it is not many people: the first thing a reader should know. */
export function concentrationLine(e: SpikeExplanation): string | null {
  const c = e.concentration;
  if (!c || c.kind === "wave") return null;
  if (c.kind === "cross_post" && c.topText)
    return `One post shared ${c.topText.count} times (${percent(c.topText.share)} of the spike): a cross-post or retweet storm, not a wave of complaints.`;
  if (c.kind === "one_author" && c.topAuthor)
    return `One author wrote ${c.topAuthor.count} of the ${e.mentions} mentions (${percent(c.topAuthor.share)}): one voice, not a wave of complaints.`;
  return null;
}

export function explanationHighlights(e: SpikeExplanation): string[] {
  const lines: string[] = [];
  const concentration = concentrationLine(e);
  if (concentration) lines.push(concentration);
  if (e.terms.length)
    lines.push(
      `words: ${e.terms
        .slice(0, 6)
        .map((t) => `"${t.value}" (${t.count})`)
        .join(", ")}`,
    );
  const withGrowth = (name: string, items: OverRepresented[], show = (v: string) => v) => {
    if (items.length)
      lines.push(
        `${name}: ${items
          .slice(0, 3)
          .map((i) => `${show(i.value)} ${growth(i, e)}`)
          .join(", ")}`,
      );
  };
  withGrowth("categories", e.categories, label);
  withGrowth("sources", e.sources);
  withGrowth("authors", e.authors);
  withGrowth("links", e.links);
  return lines;
}

/**
 * Two sentences: what grew, and what people say (or who says it). Built from the explanation only, so it can be
 * shown wherever the explanation can (the posts it quotes were masked before they were stored).
 */
export function extractiveSummary(e: SpikeExplanation, count: number, expected: number): string {
  const times = expected > 0 ? count / expected : Number.POSITIVE_INFINITY;
  const ratio = Number.isFinite(times)
    ? `${times >= 10 ? Math.round(times) : times.toFixed(1)}×`
    : "far above";
  const where = [
    e.categories[0] ? `mostly ${label(e.categories[0].value)}` : null,
    e.sources[0] ? `on ${e.sources[0].value}` : null,
  ]
    .filter(Boolean)
    .join(" ");
  const first = `${count} mentions in the hour, ${ratio} the usual ${expected < 1 ? expected.toFixed(1) : Math.round(expected)}${where ? `, ${where}` : ""}.`;
  const concentration = concentrationLine(e);
  if (concentration) return `${first} ${concentration}`;
  const terms = e.terms.slice(0, 3).map((t) => `"${t.value}"`);
  const second = terms.length
    ? `People are writing about ${terms.length > 1 ? `${terms.slice(0, -1).join(", ")} and ${terms.at(-1)}` : terms[0]}.`
    : "No words stand out from the usual posts.";
  return `${first} ${second}`;
}
