// A manager takes over a mention that needs a person (gate.ts): from then on only they may write its reply, in
// their own words, and a second manager must approve it.
import { eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { mentions } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { recordAudit } from "../audit/record-audit.js";
import { loadReplyMention } from "./context.js";

export async function takeOverMention(deps: Deps, actor: AuthUser, mentionId: number): Promise<void> {
  assertCan(actor.role, "approveReplies", "take over a mention that needs a person");
  const mention = await loadReplyMention(deps.db, actor.workspaceId, mentionId);
  const now = deps.now();
  await inTransaction(deps.db, "taking over a mention", async (tx) => {
    await tx.update(mentions).set({ assigneeId: actor.id }).where(eq(mentions.id, mention.id));
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "reply.takeover",
      entityType: "mention",
      entityId: mention.id,
      before: { flags: mention.flags },
      after: { assignee: actor.email },
      at: now,
    });
  });
}
