// Assigns mentions (and their near-duplicates) to a person, or unassigns them.

import { and, eq, inArray } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { mentions, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan, can, denialReason } from "../../domain/permissions.js";
import { badRequest, notFound } from "../../errors.js";
import { recordAuditMany } from "../audit/record-audit.js";
import type { BulkResult } from "./change-status.js";
import { expandGroups } from "./expand-groups.js";

export interface AssignInput {
  ids: number[];
  assignee: "me" | number | null;
}

export async function assignMentions(deps: Deps, actor: AuthUser, input: AssignInput): Promise<BulkResult> {
  assertCan(actor.role, "triage", "change a mention");
  const assigneeId = input.assignee === "me" ? actor.id : input.assignee;
  if (assigneeId !== null && assigneeId !== actor.id) {
    const [person] = await deps.db
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(and(eq(users.id, assigneeId), eq(users.workspaceId, actor.workspaceId)));
    if (!person) throw badRequest(`No user with id ${assigneeId}`);
    if (!can(person.role, "beAssigned")) throw badRequest(denialReason("beAssigned", "be assigned mentions"));
  }
  return inTransaction(deps.db, "assigning mentions", async (tx) => {
    const targets = await expandGroups(tx, actor, input.ids);
    if (targets.length === 0) throw notFound("Mention");
    const changing = targets.filter((t) => t.assigneeId !== assigneeId);
    const now = deps.now();
    if (changing.length > 0) {
      await tx
        .update(mentions)
        .set({ assigneeId })
        .where(
          inArray(
            mentions.id,
            changing.map((t) => t.id),
          ),
        );
      await recordAuditMany(
        tx,
        changing.map((t) => ({
          actor: { id: actor.id, email: actor.email },
          action: "mention.assign",
          entityType: "mention",
          entityId: t.id,
          before: { assigneeId: t.assigneeId },
          after: { assigneeId },
          at: now,
        })),
      );
    }
    const changedIds = new Set(changing.map((t) => t.id));
    return {
      changed: [...changedIds],
      unchanged: targets.filter((t) => !changedIds.has(t.id)).map((t) => t.id),
      refused: [],
    };
  });
}
