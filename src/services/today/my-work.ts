// "My work": what a person has to do today, ahead of everything else on Today and as a badge in the navigation.
// - assigned to me: open mentions assigned to the viewer, near-duplicates counted once (a group's head, or a member
//   whose head is not the viewer's: src/services/mentions/my-work-scope.ts, which the feed's `work=mine` uses too);
// - overdue: those of them past their SLA by the same rule as Today's overdue figure (unanswered, past due, and
//   due after Rapport stored them: src/services/metrics/queue-backlog.ts);
// - awaiting my approval (approvers only): mentions with replies submitted for approval that the viewer may approve (four
//   eyes: not written, edited or submitted by them, src/services/replies/approve.ts).
//
// Every page asks for the counts (the navigation badge), so each query reads a range of a small partial index:
// `mentions_assigned_open` holds only assigned open mentions (ingest never writes to it) and
// `replies_awaiting_approval` only replies waiting. The cost follows a person's open work, not the table.
import { type SQL, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { can } from "../../domain/permissions.js";
import { type MentionListItem, selectListPage } from "../mentions/list-mentions.js";
import { APPROVABLE_BY, MINE_OPEN } from "../mentions/my-work-scope.js";

export const MY_WORK_LIST_LIMIT = 5;

export interface MyWorkCounts {
  /** Open mentions assigned to the viewer (near-duplicate groups once: MINE_OPEN). */
  assigned: number;
  /** Of those, overdue (the team's rule: due after Rapport stored them, unanswered, past due). */
  overdue: number;
  /** Mentions with a reply the viewer may approve; null for someone who may not approve replies. */
  awaitingApproval: number | null;
  /** The badge: distinct mentions among both (one assigned to the viewer whose reply awaits them counts once). */
  total: number;
}

export interface ApprovalItem {
  replyId: number;
  mentionId: number;
  /** Who wrote the reply. */
  authorEmail: string | null;
  submittedAt: string | null;
  source: string;
  mentionAuthor: string | null;
  slaDueAt: string | null;
}

export interface MyWork {
  counts: MyWorkCounts;
  /** Soonest due first (no clock last). */
  assigned: MentionListItem[];
  /** Longest overdue first. */
  overdue: MentionListItem[];
  /** Soonest due first; null for someone who may not approve replies. */
  awaitingApproval: ApprovalItem[] | null;
}

const OVERDUE = (now: Date): SQL =>
  sql`"mentions"."relevant" = 1 AND "mentions"."sla_due_at" IS NOT NULL AND "mentions"."sla_due_at" < ${now.getTime()} AND "mentions"."first_response_at" IS NULL AND "mentions"."sla_due_at" > "mentions"."fetched_at"`;

const APPROVALS_FROM = sql.raw(
  `"replies" CROSS JOIN "mentions" ON "mentions"."id" = "replies"."mention_id" CROSS JOIN "sources" ON "sources"."id" = "mentions"."source_id"`,
);

/** The statements behind the counts, for the tests' EXPLAIN QUERY PLAN. */
export function myWorkCountQueries(
  viewer: AuthUser,
  now: Date,
): { mentions: SQL; approvals: SQL; total: SQL } {
  const mineFrom = sql`"mentions" CROSS JOIN "sources" ON "sources"."id" = "mentions"."source_id"
      WHERE "sources"."workspace_id" = ${viewer.workspaceId} AND ${MINE_OPEN(viewer.id)}`;
  return {
    mentions: sql`SELECT count(*) AS assigned, coalesce(sum(${OVERDUE(now)}), 0) AS overdue FROM ${mineFrom}`,
    // Mentions, not replies: the figure links to the feed's `work=approvals`, which lists mentions.
    approvals: sql`SELECT count(DISTINCT "replies"."mention_id") AS n FROM ${APPROVALS_FROM} WHERE ${APPROVABLE_BY(viewer)}`,
    total: sql`SELECT count(*) AS n FROM (SELECT "mentions"."id" FROM ${mineFrom}
      UNION SELECT "replies"."mention_id" FROM ${APPROVALS_FROM} WHERE ${APPROVABLE_BY(viewer)})`,
  };
}

export async function myWorkCounts(deps: Deps, viewer: AuthUser): Promise<MyWorkCounts> {
  const queries = myWorkCountQueries(viewer, deps.now());
  const mayApprove = can(viewer.role, "approveReplies");
  const [[mine], approvals, total] = await Promise.all([
    deps.db.all<{ assigned: number; overdue: number }>(queries.mentions),
    mayApprove ? deps.db.all<{ n: number }>(queries.approvals) : Promise.resolve(null),
    mayApprove ? deps.db.all<{ n: number }>(queries.total) : Promise.resolve(null),
  ]);
  const assigned = Number(mine?.assigned ?? 0);
  return {
    assigned,
    overdue: Number(mine?.overdue ?? 0),
    awaitingApproval: approvals ? Number(approvals[0]?.n ?? 0) : null,
    total: total ? Number(total[0]?.n ?? 0) : assigned,
  };
}

export async function myWork(deps: Deps, viewer: AuthUser, limit = MY_WORK_LIST_LIMIT): Promise<MyWork> {
  const now = deps.now();
  const mine = MINE_OPEN(viewer.id);
  const [counts, assigned, overdue, awaitingApproval] = await Promise.all([
    myWorkCounts(deps, viewer),
    selectListPage(deps, viewer, {
      where: mine,
      orderBy: sql`coalesce("mentions"."sla_due_at", 8.64e15) ASC, "mentions"."id" ASC`,
      limit,
      countDuplicates: true,
    }),
    selectListPage(deps, viewer, {
      where: sql`${mine} AND ${OVERDUE(now)}`,
      orderBy: sql`"mentions"."sla_due_at" ASC, "mentions"."id" ASC`,
      limit,
      countDuplicates: true,
    }),
    can(viewer.role, "approveReplies") ? approvalsList(deps, viewer, limit) : Promise.resolve(null),
  ]);
  return { counts, assigned, overdue, awaitingApproval };
}

async function approvalsList(deps: Deps, viewer: AuthUser, limit: number): Promise<ApprovalItem[]> {
  const rows = await deps.db.all<{
    reply_id: number;
    mention_id: number;
    author_email: string | null;
    submitted_at: number | null;
    source: string;
    handle: string | null;
    name: string | null;
    due: number | null;
  }>(
    sql`SELECT "replies"."id" AS reply_id, "mentions"."id" AS mention_id, "users"."email" AS author_email,
          coalesce("replies"."updated_at", "replies"."created_at") AS submitted_at, "sources"."name" AS source,
          "mentions"."author_handle" AS handle, "mentions"."author_name" AS name, "mentions"."sla_due_at" AS due
        FROM ${APPROVALS_FROM} LEFT JOIN "users" ON "users"."id" = "replies"."author_id"
        WHERE ${APPROVABLE_BY(viewer)}
        ORDER BY coalesce("mentions"."sla_due_at", 8.64e15) ASC, "replies"."id" ASC LIMIT ${limit}`,
  );
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return rows.map((r) => ({
    replyId: Number(r.reply_id),
    mentionId: Number(r.mention_id),
    authorEmail: r.author_email,
    submittedAt: iso(r.submitted_at),
    source: r.source,
    mentionAuthor: r.handle ? `@${r.handle.replace(/^@/, "")}` : r.name,
    slaDueAt: iso(r.due),
  }));
}

/**
 * "Done, next" for an approver: the mention of the reply they may approve next (soonest due first, as My work
 * lists them), other than `afterMentionId`'s; null when nothing else waits for them.
 */
export async function nextApproval(
  deps: Deps,
  viewer: AuthUser,
  afterMentionId: number,
): Promise<number | null> {
  if (!can(viewer.role, "approveReplies")) return null;
  const [row] = await deps.db.all<{ mention_id: number }>(
    sql`SELECT "mentions"."id" AS mention_id FROM ${APPROVALS_FROM}
        WHERE ${APPROVABLE_BY(viewer)} AND "mentions"."id" <> ${afterMentionId}
        ORDER BY coalesce("mentions"."sla_due_at", 8.64e15) ASC, "replies"."id" ASC LIMIT 1`,
  );
  return row ? Number(row.mention_id) : null;
}
