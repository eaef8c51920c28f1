// "A reply waits for approval" in Slack, when the workspace asks for it (settings.approvalsToSlack, off unless a
// manager turns it on): queued through the outbox in the transaction that submits the reply, one message per
// submission (the key is the reply and the submission's time, so a retried transaction sends nothing twice and a
// reply sent back and submitted again is announced again). In the app the approver always sees it: My work and
// the Today badge (my-work.ts). The message names no customer and quotes no post: the reply page has them.
import { eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { brands, mentionBrands, mentions, sources, workspaces } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { escapeMrkdwn, truncate } from "../../notify/slack.js";
import type { SlackPayload } from "../../platform/notify/slack.js";
import { slackDestination } from "../../platform/outbox/destinations.js";
import { enqueueOutbox } from "../../platform/outbox/outbox.js";
import { type DbOrTx, recordAudit } from "../audit/record-audit.js";

export function buildApprovalMessage(input: {
  sourceName: string;
  writer: string;
  replyUrl: string;
}): SlackPayload {
  const headline = "A reply waits for approval";
  const writer = truncate(escapeMrkdwn(input.writer), 200);
  const source = truncate(escapeMrkdwn(input.sourceName), 100);
  return {
    text: `${headline}: written by ${writer} for a post on ${source}`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*${headline}*\nWritten by ${writer} for a post on ${source}. A manager who did not write or edit it approves it (four eyes).`,
        },
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Review in Rapport" },
            url: input.replyUrl,
            action_id: "review_reply",
            style: "primary",
          },
        ],
      },
    ],
  };
}

/**
 * Queues the Slack message for a reply just submitted, if the workspace wants it and a channel exists (the post's
 * brand's webhook, else SLACK_WEBHOOK_URL). Call inside the submitting transaction. Returns whether one was queued.
 */
export async function queueApprovalNotice(
  tx: DbOrTx,
  input: {
    workspaceId: number;
    replyId: number;
    mentionId: number;
    writer: string;
    now: Date;
    baseUrl: string;
    fallbackWebhookUrl?: string | undefined;
  },
): Promise<boolean> {
  const [ws] = await tx
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, input.workspaceId));
  if (!ws?.settings.approvalsToSlack) return false;
  const [mention] = await tx
    .select({ sourceName: sources.name })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(eq(mentions.id, input.mentionId));
  const own = (
    await tx
      .select({ webhook: brands.slackWebhookUrl, brandId: brands.id })
      .from(mentionBrands)
      .innerJoin(brands, eq(brands.id, mentionBrands.brandId))
      .where(eq(mentionBrands.mentionId, input.mentionId))
  )
    .sort((a, b) => a.brandId - b.brandId)
    .find((b) => b.webhook);
  const destination = slackDestination(own?.webhook, input.fallbackWebhookUrl);
  if (!destination || !mention) return false;
  return enqueueOutbox(
    tx,
    {
      kind: "slack",
      idempotencyKey: `approval-waiting:${input.replyId}:${input.now.getTime()}`,
      destination,
      payload: buildApprovalMessage({
        sourceName: mention.sourceName,
        writer: input.writer,
        replyUrl: `${input.baseUrl}/mentions/${input.mentionId}/reply`,
      }),
      workspaceId: input.workspaceId,
    },
    input.now,
  );
}

export async function approvalsToSlack(deps: Deps, workspaceId: number): Promise<boolean> {
  const [ws] = await deps.db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return ws?.settings.approvalsToSlack === true;
}

/** Turns the Slack message on or off for the workspace (managers: it is an alert setting), audited. */
export async function setApprovalsToSlack(deps: Deps, actor: AuthUser, on: boolean): Promise<void> {
  assertCan(actor.role, "manageAlerts", "change where alerts go");
  await inTransaction(deps.db, "changing the approvals alert", async (tx) => {
    const [ws] = await tx
      .select({ settings: workspaces.settings })
      .from(workspaces)
      .where(eq(workspaces.id, actor.workspaceId));
    if (!ws) return;
    const before = ws.settings.approvalsToSlack === true;
    if (before === on) return;
    await tx
      .update(workspaces)
      .set({ settings: { ...ws.settings, approvalsToSlack: on } })
      .where(eq(workspaces.id, actor.workspaceId));
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "workspace.settings",
      entityType: "workspace",
      entityId: actor.workspaceId,
      before: { approvalsToSlack: before },
      after: { approvalsToSlack: on },
      at: deps.now(),
    });
  });
}
