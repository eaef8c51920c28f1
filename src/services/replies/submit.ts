// Submitting a draft for approval. The linter runs again as it would be posted; a refused run is kept (the
// editor shows what to fix) and the reply stays a draft.
import { eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { replies } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { publicBaseUrl } from "../../platform/links.js";
import { recordAudit } from "../audit/record-audit.js";
import { queueApprovalNotice } from "../today/approval-notice.js";
import { loadReply } from "./context.js";
import { assertMayWrite } from "./gate.js";
import { lintAsPosted, recordLint } from "./lint-as-posted.js";
import { assertMayTake, type ReplyRow, stepFor, transitionReply } from "./transition.js";

export async function submitReply(deps: Deps, actor: AuthUser, replyId: number): Promise<ReplyRow> {
  assertMayTake(actor, "submit");
  const { reply, mention } = await loadReply(deps.db, actor.workspaceId, replyId);
  await assertMayWrite(deps.db, actor, mention);
  stepFor(reply.status, "submit");
  const lint = await lintAsPosted(deps.db, actor, mention, reply.text);
  const now = deps.now();
  if (!lint.ok) {
    // The refused run is kept (evidence, and the editor shows what to fix); the reply stays a draft.
    await inTransaction(deps.db, "submitting a reply", async (tx) => {
      await recordLint(tx, reply.id, actor.id, reply.text, lint, now);
      await tx.update(replies).set({ lint, updatedAt: now }).where(eq(replies.id, reply.id));
      // Supervision counts stopped submits per person and rule (src/services/compliance/supervision.ts).
      await recordAudit(tx, {
        actor: { id: actor.id, email: actor.email },
        action: "reply.submit_blocked",
        entityType: "reply",
        entityId: reply.id,
        after: { rules: [...new Set(lint.violations.map((v) => v.rule))] },
        at: now,
      });
    });
    throw new AppError("conflict", "Fix every highlighted problem before submitting", {
      violations: lint.violations,
    });
  }
  return transitionReply(deps.db, actor, reply.id, "submit", {
    from: reply.status,
    now,
    set: { lint },
    also: async (tx) => {
      await recordLint(tx, reply.id, actor.id, reply.text, lint, now);
      // Approvers see it in My work; in Slack too when the workspace asks (src/services/today/approval-notice.ts).
      await queueApprovalNotice(tx, {
        workspaceId: actor.workspaceId,
        replyId: reply.id,
        mentionId: mention.id,
        writer: actor.email,
        now,
        baseUrl: publicBaseUrl(deps.env),
        fallbackWebhookUrl: deps.env.SLACK_WEBHOOK_URL,
      });
    },
  });
}
