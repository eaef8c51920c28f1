// Stores one page of prepared mentions and the cursor that covers them in ONE transaction: a crash before
// commit stores neither (the page is fetched again), after commit both (the page is never fetched again).
// Dedup is the unique (source_id, external_id) index: a mention seen twice is stored once.

import type { InValue } from "@libsql/client";
import { eq, inArray, sql } from "drizzle-orm";
import type { D1Handle, Database, Db, WriteTx } from "../db/client.js";
import type { SlaMinutes } from "../db/schema/brands.js";
import { hourlyCounts, mentions, sources } from "../db/schema/index.js";
import { slaClockStart, slaDueAt } from "../domain/sla.js";
import type { Severity } from "../domain/taxonomy.js";
import { httpUrlOrNull } from "../domain/urls.js";
import type { PreparedMention } from "./prepare.js";
import { type Router, routeStored, type StoredMention } from "./route.js";

/** Drizzle bound to the store transaction, as routers receive it. */
export type Tx = Db;

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

// Mentions are inserted with one hand-built multi-row statement per chunk: for this hot path the query
// builder cost more than SQLite itself (measured in bench/ingest.ts). Columns mirror src/db/schema/mentions.ts;
// test/integration/pipeline.test.ts reads every one back.
const MENTION_COLUMNS = [
  "source_id",
  "external_id",
  "url",
  "author_handle",
  "author_name",
  "author_id",
  "author_key",
  "text",
  "text_masked",
  "created_at",
  "fetched_at",
  "rating",
  "reach",
  "language",
  "content_hash",
  "thread_id",
  "reply_target",
  "meta",
  "raw",
  "status",
  "status_changed_at",
  "sla_due_at",
  "category",
  "relevant",
  "severity",
  "flags",
  "sentiment",
  "confidence",
  "classified_by",
  "classifier_version",
  "classified_at",
] as const;
const ROW_PLACEHOLDER = `(${MENTION_COLUMNS.map(() => "?").join(",")})`;
const CHUNK = 200; // 31 columns × 200 rows stays far below SQLite's bound-variable limit

export const hourOf = (date: Date) => new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);

/** Hourly count keys: per brand overall, and per brand × category × source (src/domain/spikes reads them). */
export function countKeys(brandId: number, category: string | null, sourceId: number): string[] {
  return [`brand:${brandId}`, `brand:${brandId}|cat:${category ?? "unclassified"}|src:${sourceId}`];
}

export async function storePage(
  database: Database,
  items: PreparedMention[],
  ctx: StoreContext,
): Promise<StoreResult> {
  if (database.kind === "d1") return storePageOnD1(database, items, ctx);
  return database.writeTransaction(async (tx) => {
    const inserted = await insertMentions(tx, items, ctx);
    if (inserted.length > 0) {
      await groupNearDuplicates(
        tx.db,
        inserted.map((m) => m.id),
      );
      await insertMentionBrands(tx, inserted);
      await addHourlyCounts(tx.db, inserted, ctx.sourceId);
      await routeStored(ctx.routers ?? [], tx.db, inserted, { sourceId: ctx.sourceId, now: ctx.now });
      await markRouted(tx.db, inserted, ctx.now);
    }
    if (ctx.cursor) {
      await tx.db.update(sources).set({ cursor: ctx.cursor.value }).where(eq(sources.id, ctx.sourceId));
    }
    return { inserted, duplicates: items.length - inserted.length };
  });
}

async function markRouted(db: Db, stored: StoredMention[], now: Date): Promise<void> {
  const ids = stored.map((m) => m.id);
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .update(mentions)
      .set({ routedAt: now })
      .where(inArray(mentions.id, ids.slice(i, i + 500)));
  }
}

/**
 * D1 has no interactive transactions, only atomic batches whose statements cannot read each other's results
 * in JavaScript. So: (1) one atomic batch stores the new mentions with their brand tags, group heads and
 * hourly counts; (2) routers run for every mention of the page not yet routed — including ones a crash left
 * unrouted on an earlier attempt — and mark them routed; (3) only then does the cursor move. A crash at any
 * point re-fetches the page: dedup stores nothing twice, step 2 finishes what was left, nothing is lost.
 * Routers must be idempotent (they key their writes: outbox idempotency keys, unique rights events).
 */
async function storePageOnD1(
  database: D1Handle,
  items: PreparedMention[],
  ctx: StoreContext,
): Promise<StoreResult> {
  const byExternal = new Map(items.map((p) => [p.mention.externalId, p]));
  const externalIds = [...byExternal.keys()];
  const existing = new Map<string, { id: number; routedAt: unknown }>();
  for (let i = 0; i < externalIds.length; i += 90) {
    const chunk = externalIds.slice(i, i + 90);
    const [rows] = await database.batch([
      {
        sql: `SELECT id, external_id, routed_at FROM mentions WHERE source_id = ? AND external_id IN (${chunk.map(() => "?").join(",")})`,
        args: [ctx.sourceId, ...chunk],
      },
    ]);
    for (const row of rows ?? [])
      existing.set(String(row.external_id), { id: Number(row.id), routedAt: row.routed_at });
  }
  const fresh = items.filter((p) => !existing.has(p.mention.externalId));

  const statements: { sql: string; args: unknown[] }[] = [];
  // D1 caps bound parameters at 100 per statement: insert new mentions three at a time (31 columns each).
  for (let i = 0; i < fresh.length; i += 3) {
    const chunk = fresh.slice(i, i + 3);
    statements.push({
      sql: `INSERT INTO mentions (${MENTION_COLUMNS.join(",")}) VALUES ${chunk.map(() => ROW_PLACEHOLDER).join(",")}
            ON CONFLICT DO NOTHING RETURNING id, external_id`,
      args: chunk.flatMap((p) => mentionValues(p, ctx)),
    });
  }
  const insertStatements = statements.length;
  for (const p of fresh) {
    for (const brandId of p.brandIds) {
      statements.push({
        sql: "INSERT INTO mention_brands (mention_id, brand_id) SELECT id, ? FROM mentions WHERE source_id = ? AND external_id = ? ON CONFLICT DO NOTHING",
        args: [brandId, ctx.sourceId, p.mention.externalId],
      });
    }
    statements.push({
      sql: "UPDATE mentions SET group_id = (SELECT min(m2.id) FROM mentions m2 WHERE m2.content_hash = mentions.content_hash) WHERE source_id = ? AND external_id = ?",
      args: [ctx.sourceId, p.mention.externalId],
    });
  }
  for (const row of hourlyCountRows(
    fresh.map((prepared) => ({ id: 0, prepared })),
    ctx.sourceId,
  )) {
    statements.push({
      sql: "INSERT INTO hourly_counts (key, hour, count) VALUES (?, ?, ?) ON CONFLICT (key, hour) DO UPDATE SET count = count + excluded.count",
      args: [row.key, row.hour.getTime(), row.count],
    });
  }
  const inserted: StoredMention[] = [];
  if (statements.length > 0) {
    const results = await database.batch(statements);
    for (const rows of results.slice(0, insertStatements)) {
      for (const row of rows) {
        const prepared = byExternal.get(String(row.external_id));
        if (prepared) inserted.push({ id: Number(row.id), prepared });
      }
    }
  }

  const unrouted = [
    ...inserted,
    ...[...existing.entries()]
      .filter(([, row]) => row.routedAt === null)
      .map(([externalId, row]) => ({ id: row.id, prepared: byExternal.get(externalId)! })),
  ];
  if (unrouted.length > 0) {
    await routeStored(ctx.routers ?? [], database.db, unrouted, { sourceId: ctx.sourceId, now: ctx.now });
    await markRouted(database.db, unrouted, ctx.now);
  }
  if (ctx.cursor) {
    await database.db.update(sources).set({ cursor: ctx.cursor.value }).where(eq(sources.id, ctx.sourceId));
  }
  return { inserted, duplicates: items.length - inserted.length };
}

async function insertMentions(
  tx: WriteTx,
  items: PreparedMention[],
  ctx: StoreContext,
): Promise<StoredMention[]> {
  const inserted: StoredMention[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    const args = chunk.flatMap((p) => mentionValues(p, ctx));
    const rows = await tx.exec(
      `INSERT INTO mentions (${MENTION_COLUMNS.join(",")}) VALUES ${chunk.map(() => ROW_PLACEHOLDER).join(",")}
       ON CONFLICT DO NOTHING RETURNING id, external_id`,
      args,
    );
    const byExternal = new Map(chunk.map((p) => [p.mention.externalId, p]));
    for (const row of rows) {
      const prepared = byExternal.get(String(row.external_id));
      if (prepared) inserted.push({ id: Number(row.id), prepared });
    }
  }
  return inserted;
}

/** The earliest mention with the same content heads the group: one decision covers retweets and cross-posts. */
async function groupNearDuplicates(db: Db, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .update(mentions)
      .set({
        groupId: sql`(SELECT min(m2.id) FROM ${mentions} m2 WHERE m2.content_hash = ${mentions.contentHash})`,
      })
      .where(inArray(mentions.id, ids.slice(i, i + 500)));
  }
}

async function insertMentionBrands(tx: WriteTx, inserted: StoredMention[]): Promise<void> {
  const pairs = inserted.flatMap((m) => m.prepared.brandIds.map((brandId) => [m.id, brandId] as const));
  for (let i = 0; i < pairs.length; i += 400) {
    const chunk = pairs.slice(i, i + 400);
    await tx.exec(
      `INSERT INTO mention_brands (mention_id, brand_id) VALUES ${chunk.map(() => "(?,?)").join(",")} ON CONFLICT DO NOTHING`,
      chunk.flat(),
    );
  }
}

async function addHourlyCounts(db: Db, inserted: StoredMention[], sourceId: number): Promise<void> {
  const rows = hourlyCountRows(inserted, sourceId);
  for (let i = 0; i < rows.length; i += 300) {
    await db
      .insert(hourlyCounts)
      .values(rows.slice(i, i + 300))
      .onConflictDoUpdate({
        target: [hourlyCounts.key, hourlyCounts.hour],
        set: { count: sql`${hourlyCounts.count} + excluded.count` },
      });
  }
}

function hourlyCountRows(inserted: StoredMention[], sourceId: number) {
  const counts = new Map<string, { key: string; hour: Date; count: number }>();
  for (const m of inserted) {
    const hour = hourOf(m.prepared.mention.createdAt);
    for (const brandId of m.prepared.brandIds) {
      for (const key of countKeys(brandId, m.prepared.classification?.category ?? null, sourceId)) {
        const id = `${key}@${hour.getTime()}`;
        const entry = counts.get(id) ?? { key, hour, count: 0 };
        entry.count++;
        counts.set(id, entry);
      }
    }
  }
  return [...counts.values()];
}

function mentionValues(p: PreparedMention, ctx: StoreContext): InValue[] {
  const m = p.mention;
  const c = p.classification;
  const firstBrand = p.brandIds[0];
  // The clock runs from the post's own time (see src/domain/sla.ts), not from now.
  const due = slaDueAt(
    (c?.severity ?? null) as Severity | null,
    c?.relevant ?? null,
    slaClockStart(m.createdAt, ctx.now),
    firstBrand !== undefined ? ctx.brandSla.get(firstBrand) : undefined,
  );
  const now = ctx.now.getTime();
  return [
    ctx.sourceId,
    m.externalId,
    // The last gate for every source: a feed anyone can write may send javascript: or data: links.
    httpUrlOrNull(m.url),
    m.authorHandle ?? null,
    m.authorName ?? null,
    m.authorId ?? null,
    p.authorKey,
    m.text,
    p.textMasked,
    m.createdAt.getTime(),
    now,
    m.rating ?? null,
    m.reach ?? null,
    m.language ?? null,
    p.contentHash,
    m.threadId ?? null,
    m.replyTarget ?? null,
    JSON.stringify(m.meta ?? {}),
    m.raw === undefined ? null : JSON.stringify(m.raw),
    "new",
    now,
    due ? due.getTime() : null,
    c?.category ?? null,
    c ? (c.relevant ? 1 : 0) : null,
    c?.severity ?? null,
    JSON.stringify(c?.flags ?? m.flags ?? []),
    c?.sentiment ?? null,
    c?.confidence ?? null,
    c?.engine ?? null,
    c?.version ?? null,
    c ? now : null,
  ];
}
