// Rejecting a reply (a manager's decision, with an optional reason): the mention goes back to drafting.
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { loadReply } from "./context.js";
import { assertMayTake, type ReplyRow, stepFor, transitionReply } from "./transition.js";

export async function rejectReply(
  deps: Deps,
  actor: AuthUser,
  replyId: number,
  reason: string,
): Promise<ReplyRow> {
  assertMayTake(actor, "reject");
  const { reply } = await loadReply(deps.db, actor.workspaceId, replyId);
  stepFor(reply.status, "reject");
  return transitionReply(deps.db, actor, reply.id, "reject", {
    from: reply.status,
    now: deps.now(),
    audit: { before: { status: reply.status }, after: { status: "rejected", reason } },
  });
}
