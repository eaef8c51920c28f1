// The audit log for admins: newest first, filterable, keyset-paginated, exportable as CSV.

import { and, desc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { AuthUser } from "../../auth/types.js";
import { auditLog, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import type { AuditEntryLike } from "../../domain/audit-sentences.js";
import { toCsv } from "../../platform/csv.js";
import { SYSTEM_ACTOR } from "./record-audit.js";

export const auditQuerySchema = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(50).optional(),
  action: z.string().max(80).optional(),
  actor: z.string().max(320).optional().describe('actor e-mail, or "system" for what Rapport did on its own'),
  since: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), "since must be an ISO date, e.g. 2026-03-01")
    .optional(),
  until: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), "until must be an ISO date, e.g. 2026-03-31")
    .optional()
    .describe("inclusive: a bare date (2026-03-31) includes that whole day (UTC)"),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  before: z.coerce.number().int().positive().optional().describe("cursor: the last id of the previous page"),
});

/** The actor filter's value for entries no person made (jobs, the pipeline): recorded as "system" (or, in old
 * entries, no e-mail at all). */
export const SYSTEM_ACTOR_FILTER = "system";

const DAY_MS = 86_400_000;

/** The end of an "until" filter, exclusive: a bare date means through the end of that day (UTC). */
function untilExclusive(until: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? Date.parse(until) + DAY_MS : Date.parse(until) + 1;
}

export interface AuditRow extends AuditEntryLike {
  id: number;
  at: string;
}

/**
 * The viewer's workspace only: another workspace's admin never reads this log. System rows that name no
 * workspace are shown only while the database holds a single workspace (then they can only be its own).
 */
export async function listAudit(
  deps: Deps,
  viewer: Pick<AuthUser, "workspaceId">,
  query: z.infer<typeof auditQuerySchema>,
  maxRows?: number,
) {
  const conds: SQL[] = [
    or(
      eq(auditLog.workspaceId, viewer.workspaceId),
      and(isNull(auditLog.workspaceId), sql`(SELECT count(*) FROM workspaces) = 1`),
    )!,
  ];
  if (query.entityType) conds.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) conds.push(eq(auditLog.entityId, query.entityId));
  if (query.action) conds.push(eq(auditLog.action, query.action));
  if (query.actor === SYSTEM_ACTOR_FILTER)
    conds.push(or(isNull(auditLog.actorEmail), eq(auditLog.actorEmail, SYSTEM_ACTOR.email!))!);
  else if (query.actor) conds.push(eq(auditLog.actorEmail, query.actor));
  if (query.since) conds.push(sql`${auditLog.at} >= ${Date.parse(query.since)}`);
  if (query.until) conds.push(sql`${auditLog.at} < ${untilExclusive(query.until)}`);
  if (query.before) conds.push(lt(auditLog.id, query.before));
  const limit = maxRows ?? query.limit ?? 100;
  const rows = await deps.db
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const items: AuditRow[] = page.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorEmail,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    before: r.before,
    after: r.after,
  }));
  return { items, next: rows.length > limit ? String(page[page.length - 1]!.id) : null };
}

export function auditCsv(rows: AuditRow[]): string {
  return toCsv(
    ["id", "at", "actor", "action", "entity_type", "entity_id", "before", "after"],
    rows.map((r) => [r.id, r.at, r.actor, r.action, r.entityType, r.entityId, r.before, r.after]),
  );
}

/**
 * The people the audit page's "who" filter offers: everyone in the viewer's workspace (from the users table, not
 * by scanning a log that may hold millions of entries), with their id for sentences that name people by id.
 */
export async function auditPeople(
  deps: Deps,
  viewer: Pick<AuthUser, "workspaceId">,
): Promise<{ id: number; email: string; name: string }[]> {
  return deps.db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.workspaceId, viewer.workspaceId))
    .orderBy(users.email);
}
