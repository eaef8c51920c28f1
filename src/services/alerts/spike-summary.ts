// A spike's explanation as short lines of words, for the dashboard and the digest (Slack has its own layout).
import type { OverRepresented, SpikeExplanation } from "../../domain/spikes/explain.js";

const percent = (x: number) => `${Math.round(x * 100)}%`;

export function explanationHighlights(e: SpikeExplanation): string[] {
  const lines: string[] = [];
  if (e.terms.length)
    lines.push(
      `words: ${e.terms
        .slice(0, 6)
        .map((t) => `"${t.value}" (${t.count})`)
        .join(", ")}`,
    );
  const withShares = (label: string, items: OverRepresented[], name = (v: string) => v) => {
    if (items.length)
      lines.push(
        `${label}: ${items
          .slice(0, 3)
          .map((i) => `${name(i.value)} ${percent(i.share)} vs ${percent(i.baselineShare)} usually`)
          .join(", ")}`,
      );
  };
  withShares("categories", e.categories, (v) => v.replace(/_/g, " "));
  withShares("sources", e.sources);
  withShares("authors", e.authors);
  withShares("links", e.links);
  return lines;
}
