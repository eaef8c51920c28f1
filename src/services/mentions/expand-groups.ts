// One decision covers a near-duplicate group: acting on a group's first mention acts on all of it.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { mentions, sources } from "../../db/schema/index.js";
import type { DbOrTx } from "../audit/record-audit.js";

export interface TargetMention {
  id: number;
  status: string;
  assigneeId: number | null;
  firstResponseAt: Date | null;
  groupId: number | null;
  flags: string[];
}

/** The mentions `ids` stand for, restricted to the viewer's workspace. */
export async function expandGroups(db: DbOrTx, viewer: AuthUser, ids: number[]): Promise<TargetMention[]> {
  return db
    .select({
      id: mentions.id,
      status: mentions.status,
      assigneeId: mentions.assigneeId,
      firstResponseAt: mentions.firstResponseAt,
      groupId: mentions.groupId,
      flags: mentions.flags,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(
      and(
        eq(sources.workspaceId, viewer.workspaceId),
        or(
          inArray(mentions.id, ids),
          and(inArray(mentions.groupId, ids), sql`${mentions.groupId} <> ${mentions.id}`),
        ),
      ),
    );
}
