// Slack is told that a reply waits for approval only when the workspace asks, once per submission, with the text
// escaped and no post quoted; the setting is a manager's, audited.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { auditLog, outbox, sources } from "../../db/schema/index.js";
import { approvalsToSlack, queueApprovalNotice, setApprovalsToSlack } from "./approval-notice.js";

const NOW = new Date(Date.UTC(2026, 2, 10, 8, 0));
let ctx: WebTestContext;
let manager: AuthUser;
let responder: AuthUser;
beforeEach(async () => {
  ctx = await createWebTestContext({ SLACK_WEBHOOK_URL: "http://127.0.0.1:9/slack-all" }, () => NOW);
  manager = { ...ctx.users.manager, role: "manager", workspaceId: ctx.deps.workspaceId, name: "" };
  responder = { ...ctx.users.responder, role: "responder", workspaceId: ctx.deps.workspaceId, name: "" };
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const queue = (mentionId: number, replyId: number, at = NOW) =>
  inTransaction(ctx.deps.db, "test", (tx) =>
    queueApprovalNotice(tx, {
      workspaceId: ctx.deps.workspaceId,
      replyId,
      mentionId,
      writer: "dana@example.com",
      now: at,
      baseUrl: "https://rapport.example",
      fallbackWebhookUrl: ctx.deps.env.SLACK_WEBHOOK_URL,
    }),
  );

describe("approval notice in Slack", () => {
  it("is off until a manager turns it on; then one message per submission, escaped, with the reply's link", async () => {
    await ctx.deps.db.update(sources).set({ name: "*bold* <!channel>" }).where(eq(sources.id, ctx.sourceId));
    const mention = await insertMention(ctx, { text: "they called my boss, my SSN is 123-45-6789" });
    expect(await queue(mention, 7)).toBe(false);
    expect(await ctx.deps.db.select().from(outbox)).toEqual([]);

    await expect(setApprovalsToSlack(ctx.deps, responder, true)).rejects.toThrow(/Only admins and managers/);
    await setApprovalsToSlack(ctx.deps, manager, true);
    expect(await approvalsToSlack(ctx.deps, ctx.deps.workspaceId)).toBe(true);
    const [audit] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "workspace.settings"));
    expect(audit).toMatchObject({ before: { approvalsToSlack: false }, after: { approvalsToSlack: true } });

    expect(await queue(mention, 7)).toBe(true);
    // The same submission again (a retried transaction): nothing more. A later submission: a new message.
    expect(await queue(mention, 7)).toBe(false);
    expect(await queue(mention, 7, new Date(NOW.getTime() + 60_000))).toBe(true);
    const rows = await ctx.deps.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((r) => [r.kind, r.idempotencyKey, r.destination])).toEqual([
      ["slack", `approval-waiting:7:${NOW.getTime()}`, "http://127.0.0.1:9/slack-all"],
      ["slack", `approval-waiting:7:${NOW.getTime() + 60_000}`, "http://127.0.0.1:9/slack-all"],
    ]);
    const payload = JSON.stringify(rows[0]!.payload);
    expect(payload).toContain(`https://rapport.example/mentions/${mention}/reply`);
    expect(payload).not.toContain("<!channel>");
    expect(payload).not.toContain("123-45-6789");
    expect(payload).not.toContain("they called my boss");

    await setApprovalsToSlack(ctx.deps, manager, false);
    expect(await queue(mention, 8)).toBe(false);
  });
});
