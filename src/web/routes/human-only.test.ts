// Dismissing a mention that needs a person (the reply page's human-only flags: self_harm, attorney, dispute…)
// takes an explicit confirmation, through the API, the bulk form and the mention page alike; the feed row and the
// mention page say why before anyone acts.
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, mentions } from "../../db/schema/index.js";

let ctx: WebTestContext;
let responder: Session;
beforeEach(async () => {
  ctx = await createWebTestContext();
  responder = await login(ctx, "responder");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const post = (path: string, body: unknown) =>
  ctx.app.request(path, authed(responder, { method: "POST", body: JSON.stringify(body) }));
const form = (path: string, fields: [string, string][]) =>
  ctx.app.request(
    path,
    authed(responder, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams(fields).toString(),
    }),
  );
async function statuses(ids: number[]) {
  const rows = await ctx.deps.db
    .select({ id: mentions.id, status: mentions.status })
    .from(mentions)
    .where(inArray(mentions.id, ids))
    .orderBy(mentions.id);
  return rows.map((r) => r.status);
}

const selfHarm = () =>
  insertMention(ctx, {
    text: "I can't take these calls anymore, I don't want to be here",
    flags: ["self_harm"],
    severity: "critical",
    category: "communication_tactics",
    relevant: true,
  });

describe("dismissing a mention that needs a person", () => {
  it("the API refuses without confirmHumanOnly, naming why and the fix, and audits a confirmed dismissal", async () => {
    const id = await selfHarm();
    const refused = await post("/api/mentions/status", { ids: [id], status: "dismissed" });
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as {
      error: { code: string; message: string; details: unknown };
    };
    expect(error.code).toBe("conflict");
    // Machine-readable too: what to confirm and, per mention, why (the dashboard shows it in its dialog).
    expect(error.details).toEqual({
      confirm: "confirmHumanOnly",
      mentions: [{ id, warning: expect.stringContaining("flagged self-harm and needs a person") }],
    });
    expect(error.message).toContain(`Mention ${id}: This post is flagged self-harm and needs a person`);
    expect(error.message).toContain("Dismissing or resolving it without a reply removes it from the queue");
    expect(error.message).toContain('"confirmHumanOnly": true');
    expect(await statuses([id])).toEqual(["new"]);

    // Other decisions need no confirmation: escalating is what such a post usually gets.
    expect((await post("/api/mentions/status", { ids: [id], status: "escalated" })).status).toBe(200);
    const ok = await post("/api/mentions/status", { ids: [id], status: "dismissed", confirmHumanOnly: true });
    expect(ok.status).toBe(200);
    expect(await statuses([id])).toEqual(["dismissed"]);
    const entries = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "mention.status"), eq(auditLog.entityId, String(id))))
      .orderBy(auditLog.id);
    expect(entries.map((e) => e.after)).toEqual([
      { status: "escalated" },
      { status: "dismissed", confirmedHumanOnly: ["self_harm"] },
    ]);
    expect(entries[1]!.after).toEqual({ status: "dismissed", confirmedHumanOnly: ["self_harm"] });
  });

  it("resolving such a mention with no posted reply needs the same confirmation; resolving after a reply does not", async () => {
    const id = await selfHarm();
    const refused = await post("/api/mentions/status", { ids: [id], status: "resolved" });
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as { error: { message: string } };
    expect(error.message).toContain("To resolve anyway, confirm it");
    expect(await statuses([id])).toEqual(["new"]);

    const answered = await selfHarm();
    await ctx.deps.db.update(mentions).set({ status: "posted" }).where(eq(mentions.id, answered));
    expect((await post("/api/mentions/status", { ids: [answered], status: "resolved" })).status).toBe(200);
    expect(await statuses([answered])).toEqual(["resolved"]);

    const ok = await post("/api/mentions/status", { ids: [id], status: "resolved", confirmHumanOnly: true });
    expect(ok.status).toBe(200);
    const [entry] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "mention.status"), eq(auditLog.entityId, String(id))));
    expect(entry!.after).toEqual({ status: "resolved", confirmedHumanOnly: ["self_harm"] });
  });

  it("a bulk request with one such mention changes nothing, even through a near-duplicate", async () => {
    const plain = await insertMention(ctx, { text: "portal is down again" });
    const attorney = await insertMention(ctx, { text: "my attorney will call you", flags: ["attorney"] });
    const first = await insertMention(ctx, { text: "they keep calling me at work" });
    const duplicate = await insertMention(ctx, {
      text: "they keep calling me at work and I have a lawyer",
      flags: ["attorney"],
      groupId: first,
    });
    const res = await post("/api/mentions/status", { ids: [plain, attorney, first], status: "dismissed" });
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toContain(`Mention ${attorney}: This post is flagged attorney`);
    expect(error.message).toContain(`Mention ${duplicate}:`);
    expect(await statuses([plain, attorney, first, duplicate])).toEqual(["new", "new", "new", "new"]);
    // The group's page asks first, though its own post carries no such flag.
    const groupPage = await (await ctx.app.request(`/mentions/${first}`, authed(responder))).text();
    expect(groupPage).toMatch(/<input type="checkbox" name="confirmHumanOnly" value="1" required/);
    expect(groupPage).toContain('data-testid="human-only"');
    // Plain mentions alone dismiss as before.
    expect((await post("/api/mentions/status", { ids: [plain], status: "dismissed" })).status).toBe(200);
  });

  it("the bulk form shows a confirm step that names why, and dismisses once confirmed", async () => {
    const id = await selfHarm();
    const plain = await insertMention(ctx, { text: "portal is down again" });
    const fields: [string, string][] = [
      ["action", "status:dismissed"],
      ["back", "/feed?status=new"],
      ["ids", String(id)],
      ["ids", String(plain)],
    ];
    const step = await form("/mentions/bulk", fields);
    expect(step.status).toBe(409);
    const html = await step.text();
    expect(html).toContain('data-testid="confirm-dismiss"');
    expect(html).toContain("This post is flagged self-harm and needs a person");
    expect(html).toMatch(/name="confirmHumanOnly" value="1" required/);
    expect(await statuses([id, plain])).toEqual(["new", "new"]);

    const done = await form("/mentions/bulk", [...fields, ["confirmHumanOnly", "1"]]);
    expect(done.status).toBe(303);
    // Back to the list, with the notice of what was done and its Undo (undo=<id>).
    expect(done.headers.get("location")).toMatch(/^\/feed\?status=new&undo=\d+$/);
    expect(await statuses([id, plain])).toEqual(["dismissed", "dismissed"]);
  });

  it("the mention page and the feed row show the guard; the page's dismiss needs the tick", async () => {
    const id = await selfHarm();
    const plain = await insertMention(ctx, { text: "portal is down again" });
    const page = await (await ctx.app.request(`/mentions/${id}`, authed(responder))).text();
    expect(page).toContain('class="human-only"');
    expect(page).toContain('data-testid="human-only"');
    expect(page).toContain("needs a person, not a template"); // the reply page's own guidance
    expect(page).toMatch(/<input type="checkbox" name="confirmHumanOnly" value="1" required/);
    // The free status menu does not offer a way around the confirm step.
    expect(page).not.toMatch(/<select name="status"[\s\S]*?<option value="dismissed">[\s\S]*?<\/select>/);
    expect((await form(`/mentions/${id}/status`, [["status", "dismissed"]])).status).toBe(409);
    expect(await statuses([id])).toEqual(["new"]);
    const confirmed = await form(`/mentions/${id}/status`, [
      ["status", "dismissed"],
      ["confirmHumanOnly", "1"],
    ]);
    expect(confirmed.status).toBe(303);
    expect(await statuses([id])).toEqual(["dismissed"]);

    const plainPage = await (await ctx.app.request(`/mentions/${plain}`, authed(responder))).text();
    expect(plainPage).not.toContain('class="human-only"');
    expect(plainPage).not.toContain("confirmHumanOnly");

    const feed = await (await ctx.app.request("/feed", authed(responder))).text();
    expect(feed).toMatch(
      new RegExp(`data-id="${id}"[^>]*data-human-only="This post is flagged self-harm and needs a person`),
    );
    expect(feed).toMatch(new RegExp(`data-id="${plain}" data-status="new" tabindex`));
  });
});
