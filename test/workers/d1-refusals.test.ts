// What a person sees when the deployment's database is D1 and an action needs a transaction (src/db/atomic.ts):
// the dashboard's own app over a database marked as D1's, so every read works and every interactive
// transaction is refused by name, as under wrangler (test/workers/worker.test.ts checks the same over the API).
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { markD1 } from "../../src/db/atomic.js";
import { mentions, replies } from "../../src/db/schema/index.js";
import { submittedReply } from "../replies/helpers.js";
import { authed, createWebTestContext, insertMention, login, type WebTestContext } from "../web/helpers.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const auditCount = async () =>
  Number((await ctx.deps.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))[0]!.n);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("the dashboard on D1", () => {
  it("shows why a status change is refused and what to do, and changes nothing", async () => {
    const mentionId = await insertMention(ctx, { text: "They call me at work", relevant: true });
    const manager = await login(ctx, "manager");
    markD1(ctx.deps.db);
    const before = await auditCount();
    const response = await ctx.app.request(
      "/mentions/bulk",
      authed(manager, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: form({ _csrf: manager.csrf, action: "status:escalated", ids: String(mentionId) }),
      }),
    );
    expect(response.status).toBe(501);
    const page = await response.text();
    expect(page).toContain("Changing a mention&#39;s status needs a database transaction");
    expect(page).toContain("Cloudflare D1");
    expect(page).toContain("DATABASE_URL=libsql://");
    const [row] = await ctx.deps.db
      .select({ status: mentions.status })
      .from(mentions)
      .where(eq(mentions.id, mentionId));
    expect(row!.status).toBe("new");
    expect(await auditCount()).toBe(before);
  });

  it("says on the reply panel that approving needs Turso, and leaves the reply awaiting approval", async () => {
    const { mentionId, replyId } = await submittedReply(ctx);
    const manager = await login(ctx, "manager");
    markD1(ctx.deps.db);
    const before = await auditCount();
    const response = await ctx.app.request(
      `/replies/${replyId}/approve`,
      authed(manager, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form({ _csrf: manager.csrf }),
      }),
    );
    expect(response.status).toBe(303);
    const panel = await ctx.app.request(response.headers.get("location")!, authed(manager));
    const html = await panel.text();
    expect(html).toContain(
      "Approving a reply needs a database transaction, which Cloudflare D1 does not offer",
    );
    const [reply] = await ctx.deps.db
      .select({ status: replies.status })
      .from(replies)
      .where(eq(replies.id, replyId));
    expect(reply!.status).toBe("awaiting_approval");
    const [mention] = await ctx.deps.db
      .select({ status: mentions.status })
      .from(mentions)
      .where(eq(mentions.id, mentionId));
    expect(mention!.status).toBe("awaiting_approval");
    expect(await auditCount()).toBe(before);
  });
});
