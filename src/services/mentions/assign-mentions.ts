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
import { describeAssignment, readStates, recordUndo } from "./undo.js";

export interface AssignInput {
  ids: number[];
  assignee: "me" | number | null;
}

export async function assignMentions(deps: Deps, actor: AuthUser, input: AssignInput): Promise<BulkResult> {
  assertCan(actor.role, "triage", "change a mention");
  const assigneeId = input.assignee === "me" ? actor.id : input.assignee;
  let assigneeEmail: string | null = null;
  if (assigneeId !== null && assigneeId !== actor.id) {
    const [person] = await deps.db
      .select({ id: users.id, role: users.role, email: users.email })
      .from(users)
      .where(and(eq(users.id, assigneeId), eq(users.workspaceId, actor.workspaceId)));
    if (!person) throw badRequest(`No user with id ${assigneeId}`);
    if (!can(person.role, "beAssigned")) throw badRequest(denialReason("beAssigned", "be assigned mentions"));
    assigneeEmail = person.email;
  }
  return inTransaction(deps.db, "assigning mentions", async (tx) => {
    const targets = await expandGroups(tx, actor, input.ids);
    if (targets.length === 0) throw notFound("Mention");
    const changing = targets.filter((t) => t.assigneeId !== assigneeId);
    const now = deps.now();
    let undo: BulkResult["undo"] = null;
    if (changing.length > 0) {
      const before = await readStates(
        tx,
        changing.map((t) => t.id),
      );
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
      const to =
        assigneeId === null
          ? null
          : assigneeId === actor.id
            ? "you"
            : (assigneeEmail ?? `user ${assigneeId}`);
      undo = await recordUndo(
        tx,
        actor,
        describeAssignment(
          changing.map((t) => t.id),
          input.ids,
          to,
        ),
        before,
        now,
      );
    }
    const changedIds = new Set(changing.map((t) => t.id));
    return {
      changed: [...changedIds],
      unchanged: targets.filter((t) => !changedIds.has(t.id)).map((t) => t.id),
      refused: [],
      undo,
    };
  });
}
