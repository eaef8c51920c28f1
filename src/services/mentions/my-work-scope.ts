// Which mentions "My work" counts, as conditions both its figures (src/services/today/my-work.ts) and the feed's
// `work=` filter (list-mentions.ts) use, so a figure and the list it links to hold the same mentions.
import { type SQL, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { OPEN_QUEUE_STATUSES } from "../../domain/sla.js";

const OPEN_IN = `(${OPEN_QUEUE_STATUSES.map((s) => `'${s}'`).join(", ")})`;

// Spelled exactly as the partial index's WHERE, so SQLite uses it (see OPEN_QUEUE_STATUSES).
export const ASSIGNED_OPEN = (userId: number): SQL =>
  sql`"mentions"."assignee_id" = ${userId} AND ${sql.raw(
    `"mentions"."assignee_id" IS NOT NULL AND "mentions"."status" IN ${OPEN_IN}`,
  )}`;

/**
 * Open and assigned to the viewer, near-duplicates once: a group's head, or a member whose head is not itself
 * open and assigned to the viewer (the member is then the viewer's only job in that group, so it counts).
 */
export const MINE_OPEN = (userId: number): SQL =>
  sql`${ASSIGNED_OPEN(userId)} AND ("mentions"."group_id" IS NULL OR "mentions"."group_id" = "mentions"."id"
    OR NOT EXISTS (SELECT 1 FROM "mentions" AS "head" WHERE "head"."id" = "mentions"."group_id"
      AND "head"."assignee_id" = ${userId} AND ${sql.raw(`"head"."status" IN ${OPEN_IN}`)}))`;

/** The reply waits for approval and the viewer is none of its writers (the four-eyes rule of approve.ts). */
export const APPROVABLE_BY = (viewer: AuthUser): SQL =>
  sql`"replies"."status" = 'awaiting_approval' AND "replies"."author_id" <> ${viewer.id} AND "sources"."workspace_id" = ${viewer.workspaceId}
      AND NOT EXISTS (SELECT 1 FROM "audit_log" AS "a" WHERE "a"."entity_type" = 'reply' AND "a"."entity_id" = CAST("replies"."id" AS TEXT)
        AND "a"."actor_id" = ${viewer.id} AND "a"."action" IN ('reply.draft', 'reply.edit', 'reply.submit'))`;

/** A mention (of a query joining "mentions" and "sources") with a reply the viewer may approve. */
export const HAS_REPLY_APPROVABLE_BY = (viewer: AuthUser): SQL =>
  sql`EXISTS (SELECT 1 FROM "replies" WHERE "replies"."mention_id" = "mentions"."id" AND ${APPROVABLE_BY(viewer)})`;
