// Every state change goes through here: who, what, when, before/after. Pass `deps.db` or a transaction so
// the audit row commits (or rolls back) with the change it describes.

import { is, SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";

export type DbOrTx = Pick<Db, "insert" | "select" | "update" | "delete">;

export interface AuditActor {
  id: number | null;
  email: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, email: "system" };

export interface AuditEntry {
  actor: AuditActor;
  /** Verb in `area.verb` form, e.g. `mention.status`, `user.role`, `source.add`. */
  action: string;
  entityType: string;
  /** SQL for an id an earlier statement of the same atomic batch produced, e.g. `last_insert_rowid()`. */
  entityId?: string | number | SQL | null;
  before?: unknown;
  after?: unknown;
  at?: Date;
  /** Whose log the row is in. Omit when a person acts: their workspace is taken from the users table in the same
   * statement. System entries (jobs, routers) should pass it, or only the CLI's export shows them. */
  workspaceId?: number | null;
}

function rowOf(entry: AuditEntry) {
  const workspaceId =
    entry.workspaceId ??
    (entry.actor.id != null ? sql`(SELECT workspace_id FROM users WHERE id = ${entry.actor.id})` : null);
  return {
    workspaceId,
    actorId: entry.actor.id,
    actorEmail: entry.actor.email,
    action: entry.action,
    entityType: entry.entityType,
    entityId:
      entry.entityId == null
        ? null
        : is(entry.entityId, SQL)
          ? sql`CAST(${entry.entityId} AS TEXT)`
          : String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
    ...(entry.at ? { at: entry.at } : {}),
  };
}

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await auditInsert(db, entry);
}

/** The same write as a statement not yet run, for an atomic batch with the change it describes (src/db/atomic.ts). */
export function auditInsert(db: Pick<Db, "insert">, entry: AuditEntry) {
  return db.insert(auditLog).values(rowOf(entry));
}

/** Shorthand for several rows at once (bulk actions). */
export async function recordAuditMany(db: DbOrTx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(entries.map(rowOf));
}
