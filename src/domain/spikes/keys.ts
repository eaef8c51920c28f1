// Hourly count keys, as src/pipeline/store.ts writes them: `brand:<id>`, or `brand:<id>|cat:<category>|src:<sourceId>`.

export interface ParsedKey {
  brandId: number;
  category?: string;
  sourceId?: number;
}

/** `brand:<id>` or `brand:<id>|cat:<category>|src:<sourceId>` (see countKeys in src/pipeline/store.ts). */
export function parseCountKey(key: string): ParsedKey | null {
  const match = /^brand:(\d+)(?:\|cat:([a-z_]+)\|src:(\d+))?$/.exec(key);
  if (!match) return null;
  return {
    brandId: Number(match[1]),
    ...(match[2] ? { category: match[2], sourceId: Number(match[3]) } : {}),
  };
}
