// Brand matching: which of the workspace's brands a mention is about. Pure.

export interface BrandMatcherInput {
  id: number;
  name: string;
  keywords: string[];
  exclusions: string[];
}

interface CompiledBrand {
  id: number;
  include: RegExp[];
  exclude: RegExp[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A phrase matches on word boundaries, case-insensitively, with any run of spaces/hyphens between words. */
function phrasePattern(phrase: string): RegExp | null {
  const words = phrase
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  if (words.length === 0) return null;
  const body = words.join("[\\s\\-]+");
  const start = /^[\w]/.test(phrase.trim()) ? "(?<![\\w])" : "";
  const end = /[\w]$/.test(phrase.trim()) ? "(?![\\w])" : "";
  return new RegExp(`${start}${body}${end}`, "iu");
}

export function compileBrandMatcher(brands: BrandMatcherInput[]): (text: string) => number[] {
  const compiled: CompiledBrand[] = brands.map((b) => ({
    id: b.id,
    include: [b.name, ...b.keywords].map(phrasePattern).filter((r): r is RegExp => r !== null),
    exclude: b.exclusions.map(phrasePattern).filter((r): r is RegExp => r !== null),
  }));
  return (text: string) =>
    compiled
      .filter((b) => b.include.some((r) => r.test(text)) && !b.exclude.some((r) => r.test(text)))
      .map((b) => b.id);
}

/** A feed is already a query: an entry that names no brand still belongs to the source's own brand. */
export function brandsForMention(matched: number[], sourceBrandId: number | null): number[] {
  if (matched.length > 0) return matched;
  return sourceBrandId === null ? [] : [sourceBrandId];
}
