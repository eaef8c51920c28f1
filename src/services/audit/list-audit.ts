// The audit log for admins: newest first, filterable, keyset-paginated, exportable as CSV.

import { and, desc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { AuthUser } from "../../auth/types.js";
import { auditLog } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { toCsv } from "../../platform/csv.js";

export const auditQuerySchema = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(50).optional(),
  action: z.string().max(80).optional(),
  actor: z.string().max(320).optional().describe("actor e-mail"),
  since: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO date")
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  before: z.coerce.number().int().positive().optional().describe("cursor: the last id of the previous page"),
});

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
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
  if (query.actor) conds.push(eq(auditLog.actorEmail, query.actor));
  if (query.since) conds.push(sql`${auditLog.at} >= ${Date.parse(query.since)}`);
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
