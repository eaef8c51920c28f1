// Approving a public reply: a manager who neither wrote, edited nor submitted it (four eyes), and the linter must
// pass as the reply would be posted; an approval the linter stops sends the reply back to its writers. House-style
// warnings (R_*) must each be accepted by the approver with a written reason, audited (who, which, why); blocking
// rules (B1–B12) can never be accepted.
import { and, eq, inArray } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { isBlocking, type LintResult, type RuleCode } from "../../domain/compliance/lint.js";
import { ruleLabel } from "../../domain/compliance/rules.js";
import { AppError, badRequest, conflict, forbidden } from "../../errors.js";
import { type DbOrTx, recordAudit } from "../audit/record-audit.js";
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

/** The approver's acceptance of house-style warnings: which rules, and why the reply may go out anyway. */
export interface WarningAcceptance {
  rules: RuleCode[];
  reason: string;
}

/** Refused before anything runs: the law is not the approver's to waive. */
function refuseBlocking(accept: WarningAcceptance | undefined): void {
  const blocking = (accept?.rules ?? []).filter(isBlocking);
  if (blocking.length > 0) {
    throw badRequest(
      `${blocking.map(ruleLabel).join(", ")} can never be accepted: blocking rules are the law. Send the reply back to be fixed.`,
    );
  }
}

/** The warnings this approval must accept; a conflict naming any left unaccepted, a refusal without a reason. */
function acceptedWarnings(lint: LintResult, accept: WarningAcceptance | undefined): RuleCode[] {
  const warned = [...new Set(lint.warnings.map((w) => w.rule))];
  if (warned.length === 0) return [];
  const missing = warned.filter((rule) => !accept?.rules.includes(rule));
  if (missing.length > 0) {
    throw conflict(
      `Accept the warnings with a written reason before approving, or send the reply back: ${missing.map(ruleLabel).join("; ")}`,
      { warnings: lint.warnings.filter((w) => missing.includes(w.rule)) },
    );
  }
  if (!accept?.reason.trim()) throw badRequest("Write why the warnings are acceptable for this reply");
  return warned;
}

export async function approveReply(
  deps: Deps,
  actor: AuthUser,
  replyId: number,
  accept?: WarningAcceptance,
): Promise<ReplyRow> {
  assertMayTake(actor, "approve");
  refuseBlocking(accept);
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
      text: reply.text,
      now,
      set: { lint },
      audit: { after: { rules: lint.violations.map((v) => v.rule) } },
      also: recordRun,
    });
    throw new AppError("conflict", "The reply no longer passes the linter; it went back to draft", {
      violations: lint.violations,
    });
  }
  const accepted = acceptedWarnings(lint, accept);
  const acceptance = accepted.length > 0 ? { rules: accepted, reason: accept!.reason.trim() } : undefined;
  return transitionReply(deps.db, actor, reply.id, "approve", {
    from: reply.status,
    text: reply.text,
    now,
    set: { approvedBy: actor.id, approvedAt: now, lint },
    audit: {
      after: {
        text: reply.text,
        authorId: reply.authorId,
        ...(acceptance ? { acceptedWarnings: acceptance } : {}),
      },
    },
    also: async (tx) => {
      await recordRun(tx);
      if (!acceptance) return;
      await recordAudit(tx, {
        actor: { id: actor.id, email: actor.email },
        action: "reply.warnings_accepted",
        entityType: "reply",
        entityId: reply.id,
        after: {
          ...acceptance,
          warnings: lint.warnings.map(({ rule, message, start, end }) => ({ rule, message, start, end })),
          text: reply.text,
        },
        at: now,
      });
    },
  });
}
