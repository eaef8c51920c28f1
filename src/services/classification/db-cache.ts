// The hybrid classifier's content-hash cache, kept in the database so a retweet seen next week, or by another
// process, is not sent to Claude again.
import { eq } from "drizzle-orm";
import type { CachedClassification, ClassificationCache } from "../../classifier/index.js";
import type { Db } from "../../db/client.js";
import { classificationCache } from "../../db/schema/index.js";

export function dbClassificationCache(db: Db, engine = "claude"): ClassificationCache {
  return {
    async get(hash) {
      const [row] = await db
        .select()
        .from(classificationCache)
        .where(eq(classificationCache.contentHash, hash));
      return row ? (row.result as unknown as CachedClassification) : undefined;
    },
    async set(hash, result) {
      await db
        .insert(classificationCache)
        .values({
          contentHash: hash,
          engine,
          version: result.version,
          result: result as unknown as Record<string, unknown>,
        })
        .onConflictDoUpdate({
          target: classificationCache.contentHash,
          set: { version: result.version, result: result as unknown as Record<string, unknown> },
        });
    },
  };
}
