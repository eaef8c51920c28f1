// Issue 15: the approver reads a submitted reply, read-only, with Approve and "Send back with a comment" (an
// editable box beside Approve made approvers writers without telling them, and writers may not approve); the
// writer sees the comment and the sent-back text to revise. The templates page leads with the built-in templates.
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { submittedReply } from "../../../../test/replies/helpers.js";
import { authed, createWebTestContext, login, type WebTestContext } from "../../../../test/web/helpers.js";
import { auditLog, replies } from "../../../db/schema/index.js";
import { DEFAULT_TEMPLATES } from "../../../services/replies/templates.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const formPost = async (
  session: Awaited<ReturnType<typeof login>>,
  path: string,
  fields: Record<string, string>,
) =>
  ctx.app.request(
    path,
    authed(session, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );

describe("the approver's view of a submitted reply", () => {
  it("is read-only with Approve and Send back with a comment; the writer sees the comment and the text", async () => {
    const { mentionId, replyId } = await submittedReply(ctx);
    const manager = await login(ctx, "manager");
    const html = await (await ctx.app.request(`/mentions/${mentionId}/reply`, authed(manager))).text();
    const [reply] = await ctx.deps.db.select().from(replies).where(eq(replies.id, replyId));
    expect(html).toContain('data-testid="review-text"');
    expect(html).not.toContain('id="reply-form"');
    // No editable box in the approval area: the only textarea holding the reply is behind "Edit it yourself instead".
    const approveArea = html.slice(
      html.indexOf('data-testid="review-text"'),
      html.indexOf('id="approve-reply"'),
    );
    expect(approveArea).toContain("<summary>Edit it yourself instead</summary>");
    expect(approveArea.split("<details")[0]).not.toContain("<textarea");
    expect(html).toContain('id="approve-reply"');
    expect(html).toMatch(/<textarea name="reason"[^>]*required/);
    expect(html).toContain("Send back with a comment");

    const sent = await formPost(manager, `/replies/${replyId}/reject`, {
      reason: "Say sorry first, and drop the second sentence.",
    });
    expect(sent.status).toBe(303);
    expect(decodeURIComponent(sent.headers.get("location")!)).toContain(
      "notice=Sent back to the writer with your comment.",
    );
    const [entry] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "reply.reject"), eq(auditLog.entityId, String(replyId))));
    expect(entry!.after).toMatchObject({ reason: "Say sorry first, and drop the second sentence." });

    const responder = await login(ctx, "responder");
    const writer = await (await ctx.app.request(`/mentions/${mentionId}/reply`, authed(responder))).text();
    expect(writer).toContain('data-testid="sent-back"');
    expect(writer).toContain("Sent back by manager@example.com");
    expect(writer).toContain("“Say sorry first, and drop the second sentence.”");
    const box = /<textarea name="text" rows="4" aria-label="new reply">([\s\S]*?)<\/textarea>/.exec(
      writer,
    )?.[1];
    expect(box?.trim()).toBe(reply!.text.replace(/'/g, "&#39;").replace(/"/g, "&quot;"));
  });

  it("the writer of a reply, being an approver too, keeps the editor and may not approve", async () => {
    const { mentionId } = await submittedReply(ctx);
    const responder = await login(ctx, "responder");
    const html = await (await ctx.app.request(`/mentions/${mentionId}/reply`, authed(responder))).text();
    expect(html).toContain('id="reply-form"');
    expect(html).not.toContain('id="approve-reply"');
    expect(html).not.toContain('data-testid="review-text"');
  });
});

describe("the templates page", () => {
  it("shows the built-in templates first, and an empty library as a sentence, not an empty table", async () => {
    const manager = await login(ctx, "manager");
    const html = await (await ctx.app.request("/templates", authed(manager))).text();
    const builtIn = html.indexOf('id="built-in-templates"');
    const library = html.indexOf('id="library-templates"');
    expect(builtIn).toBeGreaterThan(-1);
    expect(library).toBeGreaterThan(builtIn);
    expect(html).toContain(`Built-in templates (${DEFAULT_TEMPLATES.length})`);
    const rows = html.slice(builtIn, library).match(/<tr data-template="/g) ?? [];
    expect(rows.length).toBe(DEFAULT_TEMPLATES.length);
    expect(html).toContain('data-testid="library-empty"');
    expect(html).toContain("Your library (0)");
    expect(html.slice(builtIn, library)).not.toMatch(/<details[^>]*>\s*<summary>\d+ built-in/);

    // "Customise" saves a built-in one to the library, where it is linted like any other.
    const first = DEFAULT_TEMPLATES.find((t) => t.platform === "*" && t.category !== "*")!;
    const saved = await formPost(manager, "/templates", {
      name: "Our reply",
      body: first.body,
      category: first.category,
      platform: "",
      brandId: "",
    });
    expect(saved.status).toBe(303);
    const after = await (await ctx.app.request("/templates", authed(manager))).text();
    expect(after).toContain("Your library (1)");
    expect(after).not.toContain('data-testid="library-empty"');
  });
});
