// Editing a reply: linted as it would be posted and kept as evidence; an edit after submission returns the
// reply to draft (the approver must see the final words).
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { loadReply } from "./context.js";
import type { DraftOutcome } from "./draft.js";
import { assertMayWrite } from "./gate.js";
import { lintAsPosted, recordLint } from "./lint-as-posted.js";
import { assertMayTake, stepFor, transitionReply } from "./transition.js";

export async function editReply(
  deps: Deps,
  actor: AuthUser,
  replyId: number,
  text: string,
): Promise<DraftOutcome> {
  assertMayTake(actor, "edit");
  const { reply, mention } = await loadReply(deps.db, actor.workspaceId, replyId);
  await assertMayWrite(deps.db, actor, mention);
  stepFor(reply.status, "edit");
  const trimmed = text.trim();
  if (!trimmed) throw badRequest("The reply is empty");
  const lint = await lintAsPosted(deps.db, actor, mention, trimmed);
  const now = deps.now();
  const updated = await transitionReply(deps.db, actor, reply.id, "edit", {
    from: reply.status,
    now,
    set: { text: trimmed, lint },
    audit: {
      before: { text: reply.text, status: reply.status },
      after: { text: trimmed, ok: lint.ok, rules: lint.violations.map((v) => v.rule) },
    },
    also: (tx) => recordLint(tx, reply.id, actor.id, trimmed, lint, now),
  });
  return { reply: updated, lint };
}
