// Moves mentions (and their near-duplicates) to a new status, checking each transition and auditing each change.

import { and, inArray, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { mentions } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { checkTransition, closesUnanswered, isClosed } from "../../domain/status.js";
import type { MentionStatus } from "../../domain/taxonomy.js";
import { conflict, notFound } from "../../errors.js";
import { type AuditEntry, recordAuditMany } from "../audit/record-audit.js";
import { dismissWarning, humanOnlyReasons, needsManager } from "../replies/gate.js";
import { expandGroups } from "./expand-groups.js";
import { describeStatusChange, readStates, recordUndo, type UndoHandle } from "./undo.js";

export interface ChangeStatusInput {
  ids: number[];
  status: MentionStatus;
  /** The person was told why a mention needs a person (self-harm, attorney, dispute…) and dismisses it anyway. */
  confirmHumanOnly?: boolean;
}

export interface BulkResult {
  changed: number[];
  unchanged: number[];
  refused: { id: number; reason: string }[];
  /** What was done, in words, and the handle that undoes it (null when nothing changed). */
  undo?: UndoHandle | null;
}

export async function changeStatus(
  deps: Deps,
  actor: AuthUser,
  input: ChangeStatusInput,
): Promise<BulkResult> {
  assertCan(actor.role, "triage", "change a mention");
  return inTransaction(deps.db, "changing a mention's status", async (tx) => {
    const targets = await expandGroups(tx, actor, input.ids);
    if (targets.length === 0) throw notFound("Mention");
    const needPerson = targets.filter(
      (t) => closesUnanswered(t.status as MentionStatus, input.status) && needsManager(t.flags),
    );
    if (needPerson.length > 0 && !input.confirmHumanOnly) {
      // Refused as a whole: a bulk dismissal must not quietly drop the one post that needs someone.
      const warnings = needPerson.map((t) => ({ id: t.id, warning: dismissWarning(t.flags) }));
      throw conflict(
        `${warnings.map((w) => `Mention ${w.id}: ${w.warning}`).join(" ")} ` +
          `To ${input.status === "resolved" ? "resolve" : "dismiss"} anyway, confirm it: send "confirmHumanOnly": true (the dashboard asks you first).`,
        { confirm: "confirmHumanOnly", mentions: warnings },
      );
    }
    const result: BulkResult = { changed: [], unchanged: [], refused: [] };
    for (const target of targets) {
      const from = target.status as MentionStatus;
      if (from === input.status) {
        result.unchanged.push(target.id);
        continue;
      }
      const check = checkTransition(from, input.status, actor.role);
      if (check.ok) result.changed.push(target.id);
      else result.refused.push({ id: target.id, reason: check.reason });
    }
    if (result.changed.length === 0 && result.refused.length > 0) {
      throw conflict(result.refused[0]!.reason);
    }
    const now = deps.now();
    if (result.changed.length > 0) {
      const before = await readStates(tx, result.changed);
      await tx
        .update(mentions)
        .set({ status: input.status, statusChangedAt: now })
        .where(inArray(mentions.id, result.changed));
      if (isClosed(input.status)) {
        const unanswered = targets
          .filter((t) => result.changed.includes(t.id) && !t.firstResponseAt)
          .map((t) => t.id);
        if (unanswered.length > 0) {
          await tx.update(mentions).set({ firstResponseAt: now }).where(inArray(mentions.id, unanswered));
        }
      } else {
        // Reopened after a dismissal or a resolve with no public reply: nobody answered, so the SLA clock runs
        // again from where it was (its due time is kept) and the mention counts as open and unanswered.
        const reopened = targets
          .filter(
            (t) => result.changed.includes(t.id) && isClosed(t.status as MentionStatus) && t.firstResponseAt,
          )
          .map((t) => t.id);
        if (reopened.length > 0) {
          await tx
            .update(mentions)
            .set({ firstResponseAt: null })
            .where(
              and(
                inArray(mentions.id, reopened),
                sql`NOT EXISTS (SELECT 1 FROM replies r WHERE r.mention_id = ${mentions.id} AND r.status = 'posted')`,
              ),
            );
        }
      }
      const byId = new Map(targets.map((t) => [t.id, t]));
      const entries: AuditEntry[] = result.changed.map((id) => ({
        actor: { id: actor.id, email: actor.email },
        action: "mention.status",
        entityType: "mention",
        entityId: id,
        before: { status: byId.get(id)!.status },
        after: {
          status: input.status,
          // The record that someone read why the post needed a person and still took it out of the queue.
          ...(closesUnanswered(byId.get(id)!.status as MentionStatus, input.status) &&
          needsManager(byId.get(id)!.flags)
            ? { confirmedHumanOnly: humanOnlyReasons(byId.get(id)!.flags).map((r) => r.flag) }
            : {}),
        },
        at: now,
      }));
      await recordAuditMany(tx, entries);
      result.undo = await recordUndo(
        tx,
        actor,
        describeStatusChange(result.changed, input.ids, input.status),
        before,
        now,
      );
    }
    return result;
  });
}

/**
 * The mentions (with their near-duplicates) among `ids` that need a person and that becoming `to` would take out
 * of the queue unanswered, with what to read first.
 */
export async function mentionsNeedingPerson(
  deps: Deps,
  actor: AuthUser,
  ids: number[],
  to: MentionStatus = "dismissed",
): Promise<{ id: number; warning: string }[]> {
  const targets = await expandGroups(deps.db, actor, ids);
  return targets.flatMap((t) => {
    const warning = closesUnanswered(t.status as MentionStatus, to) ? dismissWarning(t.flags) : null;
    return warning ? [{ id: t.id, warning }] : [];
  });
}
