// Spike detection counts mentions per brand × category × source and hour (hourly_counts). When a mention's
// category changes after it was counted (reclassification, a person's correction), its count moves with it.
import { and, eq, inArray, sql } from "drizzle-orm";
import { hourlyCounts, mentionBrands } from "../../db/schema/index.js";
import { countKeys, hourOf } from "../../pipeline/store.js";
import type { DbOrTx } from "../audit/record-audit.js";

export interface MovedMention {
  id: number;
  category: string | null;
  sourceId: number;
  createdAt: Date;
}

/** Spike detection counts per category: mentions that changed category move to their new count. */
export async function moveHourlyCounts(
  db: DbOrTx,
  moved: { row: MovedMention; to: string }[],
  paramsPerQuery = 100,
): Promise<void> {
  if (moved.length === 0) return;
  const brandsOf = new Map<number, number[]>();
  for (let i = 0; i < moved.length; i += paramsPerQuery) {
    const links = await db
      .select({ mentionId: mentionBrands.mentionId, brandId: mentionBrands.brandId })
      .from(mentionBrands)
      .where(
        inArray(
          mentionBrands.mentionId,
          moved.slice(i, i + paramsPerQuery).map((m) => m.row.id),
        ),
      );
    for (const l of links) brandsOf.set(l.mentionId, [...(brandsOf.get(l.mentionId) ?? []), l.brandId]);
  }
  const deltas = new Map<string, { key: string; hour: Date; delta: number }>();
  const add = (key: string, hour: Date, delta: number) => {
    const id = `${key}@${hour.getTime()}`;
    const entry = deltas.get(id) ?? { key, hour, delta: 0 };
    entry.delta += delta;
    deltas.set(id, entry);
  };
  for (const { row, to } of moved) {
    const hour = hourOf(row.createdAt);
    for (const brandId of brandsOf.get(row.id) ?? []) {
      // countKeys()[1] is the brand × category × source key; the brand-wide key does not change.
      add(countKeys(brandId, row.category, row.sourceId)[1]!, hour, -1);
      add(countKeys(brandId, to, row.sourceId)[1]!, hour, +1);
    }
  }
  for (const { key, hour, delta } of deltas.values()) {
    if (delta < 0) {
      await db
        .update(hourlyCounts)
        .set({ count: sql`max(${hourlyCounts.count} + ${delta}, 0)` })
        .where(and(eq(hourlyCounts.key, key), eq(hourlyCounts.hour, hour)));
    } else if (delta > 0) {
      await db
        .insert(hourlyCounts)
        .values({ key, hour, count: delta })
        .onConflictDoUpdate({
          target: [hourlyCounts.key, hourlyCounts.hour],
          set: { count: sql`${hourlyCounts.count} + ${delta}` },
        });
    }
  }
}
