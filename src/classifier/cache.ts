// Claude results keyed by a hash of the normalized, masked text: a retweet or cross-post is never sent twice.
import { createHash } from "node:crypto";
import { maskPii } from "../domain/masking.js";
import type { Classification } from "../domain/taxonomy.js";

export interface CachedClassification extends Classification {
  version: string;
}

/** The DB implementation stores rows in a `classification_cache` table (hash primary key, JSON result). */
export interface ClassificationCache {
  get(hash: string): Promise<CachedClassification | undefined>;
  set(hash: string, result: CachedClassification): Promise<void>;
}

/** Retweet prefixes, handles, links, case and spacing do not change what a post says. */
export function normalizeForHash(text: string): string {
  return maskPii(text)
    .masked.replace(/^\s*(?:rt|via)\s+@\w+:?\s*/i, "")
    .replace(/https?:\/\/\S+/g, "")
    .replace(/@\w+/g, "@")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

export function contentHash(text: string): string {
  return createHash("sha256").update(normalizeForHash(text)).digest("hex");
}

export class MemoryClassificationCache implements ClassificationCache {
  private readonly entries = new Map<string, CachedClassification>();

  constructor(private readonly maxEntries = 50_000) {}

  async get(hash: string) {
    return this.entries.get(hash);
  }

  async set(hash: string, result: CachedClassification) {
    if (this.entries.size >= this.maxEntries && !this.entries.has(hash)) {
      // Oldest first: Map preserves insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hash, result);
  }

  get size() {
    return this.entries.size;
  }
}
