// The outbox as the rest of the app uses it: enqueue inside the transaction that caused the message, claim due
// rows for delivery, record the outcome. The unique idempotency key makes "enqueue twice" a no-op, so a retried
// transaction or a re-run job never produces a second message.
import { and, asc, desc, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { outbox } from "../../db/schema/index.js";

export type OutboxKind = (typeof outbox.$inferSelect)["kind"];
export type OutboxRow = typeof outbox.$inferSelect;
type DbLike = Pick<Db, "insert" | "select" | "update">;

export interface OutboxMessage {
  kind: OutboxKind;
  idempotencyKey: string;
  destination: string;
  payload: unknown;
  /** The workspace whose data caused the message: only its managers see (and retry) it on /alerts. */
  workspaceId?: number | null;
}

/** Writes one message; returns false when a message with the same key already exists. */
export async function enqueueOutbox(db: DbLike, message: OutboxMessage, now: Date): Promise<boolean> {
  const rows = await outboxInsert(db, message, now).returning({ id: outbox.id });
  return rows.length > 0;
}

/**
 * The same write as a statement not yet run, for an atomic batch (src/db/atomic.ts) with the change that causes
 * it. The key may be SQL computed in the batch, e.g. from the row a previous statement inserted.
 */
export function outboxInsert(
  db: Pick<Db, "insert">,
  message: Omit<OutboxMessage, "idempotencyKey"> & { idempotencyKey: string | SQL },
  now: Date,
) {
  return db
    .insert(outbox)
    .values({ ...message, status: "pending", nextAttemptAt: now, createdAt: now })
    .onConflictDoNothing({ target: outbox.idempotencyKey });
}

/**
 * Claims up to `limit` due rows by pushing their next attempt `claimMs` ahead in one statement: a second
 * deliverer (or this one after its lease expired) does not see them until then. A crash mid-send leaves the row
 * pending, so it is retried after the claim expires — never lost.
 */
export async function claimDueOutbox(
  db: Db,
  now: Date,
  limit: number,
  claimMs: number,
): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit);
  const claimed = await db
    .update(outbox)
    .set({ nextAttemptAt: new Date(now.getTime() + claimMs) })
    .where(and(inArray(outbox.id, due), eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now)))
    .returning();
  return claimed.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
}

/** An attempt starts: if the process dies now, the next run knows a request may be out (see deliver.ts). */
export async function markSending(db: Db, id: number): Promise<void> {
  await db.update(outbox).set({ status: "sending" }).where(eq(outbox.id, id));
}

/** The attempt may or may not have been acted on, and sending again could double it: a person decides. */
export async function markUnknown(db: Db, id: number, error: string, fix: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "unknown", attempts: sql`${outbox.attempts} + 1`, lastError: error, fix })
    .where(eq(outbox.id, id));
}

/**
 * Rows a dead deliverer left "sending" once their claim ran out: receivers that dedupe (e-mail by Message-ID,
 * webhooks by Idempotency-Key) get them again; Slack, which cannot, gets none, and the row says so.
 */
export async function resolveInterruptedSends(db: Db, now: Date, slackFix: string): Promise<number> {
  const stale = and(eq(outbox.status, "sending"), lte(outbox.nextAttemptAt, now));
  const unknown = await db
    .update(outbox)
    .set({
      status: "unknown",
      lastError: "the process sending it stopped mid-request: it may have been posted",
      fix: slackFix,
    })
    .where(and(stale, eq(outbox.kind, "slack")))
    .returning({ id: outbox.id });
  const again = await db
    .update(outbox)
    .set({ status: "pending" })
    .where(and(stale, inArray(outbox.kind, ["email", "webhook"])))
    .returning({ id: outbox.id });
  return unknown.length + again.length;
}

export async function markSent(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "sent", sentAt: now, attempts: sql`${outbox.attempts} + 1`, lastError: null, fix: null })
    .where(eq(outbox.id, id));
}

/** A failed attempt that may succeed later. */
export async function markRetry(db: Db, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "pending", attempts: sql`${outbox.attempts} + 1`, lastError: error, nextAttemptAt })
    .where(eq(outbox.id, id));
}

/** A row that was claimed but not tried (its destination failed first): back in line, no attempt counted. */
export async function releaseClaim(db: Db, id: number, nextAttemptAt: Date): Promise<void> {
  await db.update(outbox).set({ status: "pending", nextAttemptAt }).where(eq(outbox.id, id));
}

/** A failure no retry can fix: a person must act (`fix` says what) and press retry. */
export async function markFailed(db: Db, id: number, error: string, fix: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "failed", attempts: sql`${outbox.attempts} + 1`, lastError: error, fix })
    .where(eq(outbox.id, id));
}

/**
 * Puts a failed (or pending) row back in line now, with a fresh retry schedule (a person fixed something);
 * sent rows stay sent so a retry never sends twice.
 */
export async function requeueOutbox(db: DbLike, id: number, now: Date): Promise<OutboxRow | null> {
  const [row] = await db
    .update(outbox)
    .set({ status: "pending", nextAttemptAt: now, attempts: 0, fix: null })
    .where(and(eq(outbox.id, id), inArray(outbox.status, ["failed", "pending", "unknown"])))
    .returning();
  return row ?? null;
}

export interface OutboxSummary {
  pending: number;
  failed: number;
  sent: number;
  /** Sent without an answer: maybe delivered; a person checks and presses Retry or leaves it. */
  unknown: number;
  /** Rows needing attention first: failed, then pending (oldest first), then the latest sent. */
  rows: OutboxRow[];
}

/**
 * The rows a workspace's people may see and retry. A row that names no workspace (queued before rows carried
 * one, or by a caller that did not say) is shown only while the database holds a single workspace, where it
 * can only be that workspace's; with two, it is nobody's to see.
 */
export function outboxVisibleTo(workspaceId: number): SQL {
  return or(
    eq(outbox.workspaceId, workspaceId),
    and(isNull(outbox.workspaceId), sql`(SELECT count(*) FROM workspaces) = 1`),
  )!;
}

/** One workspace's messages: another workspace's alerts and digests (and their recipients) stay unseen. */
export async function outboxSummary(db: Db, workspaceId: number, limit = 50): Promise<OutboxSummary> {
  const counts = await db
    .select({ status: outbox.status, n: sql<number>`count(*)` })
    .from(outbox)
    .where(outboxVisibleTo(workspaceId))
    .groupBy(outbox.status);
  const count = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
  const open = await db
    .select()
    .from(outbox)
    .where(
      and(outboxVisibleTo(workspaceId), inArray(outbox.status, ["failed", "unknown", "pending", "sending"])),
    )
    .orderBy(
      sql`CASE ${outbox.status} WHEN 'failed' THEN 0 WHEN 'unknown' THEN 1 ELSE 2 END`,
      asc(outbox.createdAt),
    )
    .limit(limit);
  const sent = await db
    .select()
    .from(outbox)
    .where(and(outboxVisibleTo(workspaceId), eq(outbox.status, "sent")))
    .orderBy(desc(outbox.sentAt))
    .limit(Math.max(0, Math.min(10, limit - open.length)));
  return {
    pending: count("pending") + count("sending"),
    failed: count("failed"),
    unknown: count("unknown"),
    sent: count("sent"),
    rows: [...open, ...sent],
  };
}
