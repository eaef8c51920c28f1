// Stores one page of prepared mentions and the cursor that covers them in ONE transaction: a crash before
// commit stores neither (the page is fetched again), after commit both (the page is never fetched again).
// Dedup is the unique (source_id, external_id) index: a mention seen twice is stored once.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Cursor } from "../../connectors/types.js";
import type { Db } from "../db/client.js";
import { hourlyCounts, mentionBrands, mentions, sources } from "../db/schema/index.js";
import type { SlaMinutes } from "../db/schema/brands.js";
import { slaDueAt } from "../domain/sla.js";
import type { Severity } from "../domain/taxonomy.js";
import type { PreparedMention } from "./prepare.js";
import { routeStored, type Router, type StoredMention } from "./route.js";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface StoreContext {
  sourceId: number;
  now: Date;
  brandSla: Map<number, SlaMinutes>;
  /** Writes the cursor in the same transaction; undefined leaves the stored cursor as it is. */
  cursor?: { value: Record<string, unknown> | null };
  routers?: Router[];
}

export interface StoreResult {
  inserted: StoredMention[];
  duplicates: number;
}

// SQLite caps bound variables per statement; ~40 columns a row keeps a 100-row chunk well inside it.
const CHUNK = 100;

export const hourOf = (date: Date) => new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);

export function countKeys(brandId: number, category: string | null, sourceId: number): string[] {
  return [`brand:${brandId}`, `brand:${brandId}|cat:${category ?? "unclassified"}|src:${sourceId}`];
}

export async function storePage(db: Db, items: PreparedMention[], ctx: StoreContext): Promise<StoreResult> {
  return db.transaction(async (tx) => {
    const inserted: StoredMention[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      const rows = chunk.map((p) => toRow(p, ctx));
      const returned = await tx
        .insert(mentions)
        .values(rows)
        .onConflictDoNothing()
        .returning({ id: mentions.id, externalId: mentions.externalId });
      const byExternal = new Map(chunk.map((p) => [p.mention.externalId, p]));
      for (const r of returned) {
        const prepared = byExternal.get(r.externalId);
        if (prepared) inserted.push({ id: r.id, prepared });
      }
    }

    if (inserted.length > 0) {
      const ids = inserted.map((m) => m.id);
      // The earliest mention with the same content is the group's head: one decision covers the group.
      await tx
        .update(mentions)
        .set({ groupId: sql`(SELECT min(m2.id) FROM ${mentions} m2 WHERE m2.content_hash = ${mentions.contentHash})` })
        .where(inArray(mentions.id, ids));

      const brandRows = inserted.flatMap((m) => m.prepared.brandIds.map((brandId) => ({ mentionId: m.id, brandId })));
      for (let i = 0; i < brandRows.length; i += 500) {
        await tx.insert(mentionBrands).values(brandRows.slice(i, i + 500)).onConflictDoNothing();
      }

      const counts = new Map<string, { key: string; hour: Date; count: number }>();
      for (const m of inserted) {
        const hour = hourOf(m.prepared.mention.createdAt);
        for (const brandId of m.prepared.brandIds) {
          for (const key of countKeys(brandId, m.prepared.classification?.category ?? null, ctx.sourceId)) {
            const id = `${key}@${hour.getTime()}`;
            const entry = counts.get(id) ?? { key, hour, count: 0 };
            entry.count++;
            counts.set(id, entry);
          }
        }
      }
      const countRows = [...counts.values()];
      for (let i = 0; i < countRows.length; i += 300) {
        await tx
          .insert(hourlyCounts)
          .values(countRows.slice(i, i + 300))
          .onConflictDoUpdate({
            target: [hourlyCounts.key, hourlyCounts.hour],
            set: { count: sql`${hourlyCounts.count} + excluded.count` },
          });
      }
      await routeStored(ctx.routers ?? [], tx, inserted, { sourceId: ctx.sourceId, now: ctx.now });
    }

    if (ctx.cursor) {
      await tx
        .update(sources)
        .set({ cursor: ctx.cursor.value as Cursor | null })
        .where(and(eq(sources.id, ctx.sourceId)));
    }
    return { inserted, duplicates: items.length - inserted.length };
  });
}

function toRow(p: PreparedMention, ctx: StoreContext): typeof mentions.$inferInsert {
  const m = p.mention;
  const c = p.classification;
  const severity = (c?.severity ?? null) as Severity | null;
  const firstBrand = p.brandIds[0];
  return {
    sourceId: ctx.sourceId,
    externalId: m.externalId,
    url: m.url ?? null,
    authorHandle: m.authorHandle ?? null,
    authorName: m.authorName ?? null,
    authorId: m.authorId ?? null,
    authorKey: p.authorKey,
    text: m.text,
    textMasked: p.textMasked,
    createdAt: m.createdAt,
    fetchedAt: ctx.now,
    rating: m.rating ?? null,
    reach: m.reach ?? null,
    language: m.language ?? null,
    contentHash: p.contentHash,
    threadId: m.threadId ?? null,
    replyTarget: m.replyTarget ?? null,
    meta: m.meta ?? {},
    raw: m.raw ?? null,
    statusChangedAt: ctx.now,
    slaDueAt: slaDueAt(
      severity,
      c?.relevant ?? null,
      ctx.now,
      firstBrand !== undefined ? ctx.brandSla.get(firstBrand) : undefined,
    ),
    ...(c
      ? {
          category: c.category,
          relevant: c.relevant,
          severity: c.severity,
          flags: c.flags,
          sentiment: c.sentiment,
          confidence: c.confidence,
          classifiedBy: c.engine,
          classifierVersion: c.version,
          classifiedAt: ctx.now,
        }
      : { flags: m.flags ?? [] }),
  };
}
