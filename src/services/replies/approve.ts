// Approving a public reply: a manager who neither wrote, edited nor submitted it (four eyes), and the linter must
// pass as the reply would be posted; an approval the linter stops sends the reply back to its writers.
import { and, eq, inArray } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError, forbidden } from "../../errors.js";
import type { DbOrTx } from "../audit/record-audit.js";
import { loadReply } from "./context.js";
import { lintAsPosted, recordLint } from "./lint-as-posted.js";
import { assertMayTake, type ReplyRow, stepFor, transitionReply } from "./transition.js";

/**
 * Everyone who wrote words of this reply or put it forward: its author, every editor and every submitter. None
 * of them may approve it. Read from the audit log, not from the lint runs: an approver's own run (an approval
 * the linter stopped) makes nobody a writer.
 */
export async function writersOf(db: Db, replyId: number, authorId: number): Promise<Set<number>> {
  const rows = await db
    .selectDistinct({ userId: auditLog.actorId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, "reply"),
        eq(auditLog.entityId, String(replyId)),
        inArray(auditLog.action, ["reply.draft", "reply.edit", "reply.submit"]),
      ),
    );
  return new Set([authorId, ...rows.map((r) => r.userId).filter((id): id is number => id !== null)]);
}

export async function approveReply(deps: Deps, actor: AuthUser, replyId: number): Promise<ReplyRow> {
  assertMayTake(actor, "approve");
  const { reply, mention } = await loadReply(deps.db, actor.workspaceId, replyId);
  stepFor(reply.status, "approve");
  if ((await writersOf(deps.db, reply.id, reply.authorId)).has(actor.id)) {
    throw forbidden("Four eyes: a reply must be approved by a manager who did not write or edit it");
  }
  const lint = await lintAsPosted(deps.db, actor, mention, reply.text);
  const now = deps.now();
  const recordRun = (tx: DbOrTx) => recordLint(tx, reply.id, actor.id, reply.text, lint, now);
  if (!lint.ok) {
    // Committed before the refusal below: the reply really goes back to its writers, with the reasons.
    await transitionReply(deps.db, actor, reply.id, "stop", {
      from: reply.status,
      now,
      set: { lint },
      audit: { after: { rules: lint.violations.map((v) => v.rule) } },
      also: recordRun,
    });
    throw new AppError("conflict", "The reply no longer passes the linter; it went back to draft", {
      violations: lint.violations,
    });
  }
  return transitionReply(deps.db, actor, reply.id, "approve", {
    from: reply.status,
    now,
    set: { approvedBy: actor.id, approvedAt: now, lint },
    audit: { after: { text: reply.text, authorId: reply.authorId } },
    also: recordRun,
  });
}
