// Rejecting a reply (a manager's decision, with an optional reason): the mention goes back to drafting.
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { conflict } from "../../errors.js";
import { acquireLease, releaseLease } from "../../platform/jobs/lease.js";
import { loadReply, threadKeyOf } from "./context.js";
import { postingLease } from "./post.js";
import { assertMayTake, type ReplyRow, stepFor, transitionReply } from "./transition.js";

const REJECT_LEASE_MS = 30_000;

export async function rejectReply(
  deps: Deps,
  actor: AuthUser,
  replyId: number,
  reason: string,
): Promise<ReplyRow> {
  assertMayTake(actor, "reject");
  const { reply, mention } = await loadReply(deps.db, actor.workspaceId, replyId);
  stepFor(reply.status, "reject");
  // A reply being posted right now is already on its way to the platform: rejecting it would leave a public
  // reply the database calls rejected (and let a second one into the thread).
  const now = deps.now();
  const lease = postingLease(threadKeyOf(mention));
  const holder = `reject-${reply.id}-${actor.id}`;
  if (!(await acquireLease(deps.db, lease, holder, REJECT_LEASE_MS, now)))
    throw conflict("The reply is being posted right now: wait until it is posted, then decide what to do");
  try {
    return await transitionReply(deps.db, actor, reply.id, "reject", {
      from: reply.status,
      now,
      audit: { before: { status: reply.status }, after: { status: "rejected", reason } },
    });
  } finally {
    await releaseLease(deps.db, lease, holder);
  }
}
