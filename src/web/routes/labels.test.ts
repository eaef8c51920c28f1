// The "needs a label" page over the app's real HTTP handling, on a migrated temp database.
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { classifications, mentions, sources, workspaces } from "../../db/schema/index.js";
import { reviewerLabels } from "../../services/classification/export-labels.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

async function classified(
  text: string,
  seed: { category: string; relevant: boolean; confidence: number; by?: string; sourceId?: number },
) {
  const id = await insertMention(ctx, {
    text,
    category: seed.category,
    relevant: seed.relevant,
    severity: "medium",
    flags: ["dispute"],
    ...(seed.sourceId ? { sourceId: seed.sourceId, brandIds: [] } : {}),
  });
  await ctx.deps.db
    .update(mentions)
    .set({ confidence: seed.confidence, classifiedBy: seed.by ?? "local", classifiedAt: new Date() })
    .where(eq(mentions.id, id));
  return id;
}

/** The ids the page lists, in order (data-label-id attributes). */
function listedIds(html: string): number[] {
  return [...html.matchAll(/data-label-id="(\d+)"/g)].map((m) => Number(m[1]));
}

describe("needs a label", () => {
  it("lists relevant-looking mentions of this workspace, lowest confidence first, and nothing else", async () => {
    const sure = await classified("they call me every day", {
      category: "communication_tactics",
      relevant: true,
      confidence: 0.95,
    });
    const unsure = await classified("is this a collections thing?", {
      category: "other_collections",
      relevant: true,
      confidence: 0.41,
    });
    const borderline = await classified("recovery agency letter?", {
      category: "not_collections",
      relevant: false,
      confidence: 0.55,
    });
    await classified("great pizza", { category: "not_collections", relevant: false, confidence: 0.97 });
    await classified("already labelled", {
      category: "debt_not_owed",
      relevant: true,
      confidence: 1,
      by: "human",
    });
    await insertMention(ctx, { text: "not classified yet" });
    const [elsewhere] = await ctx.deps.db.insert(workspaces).values({ name: "Another agency" }).returning();
    const [theirSource] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: elsewhere!.id, name: "their-feed", type: "rss" })
      .returning();
    await classified("their unsure post", {
      category: "other_collections",
      relevant: true,
      confidence: 0.3,
      sourceId: theirSource!.id,
    });

    const responder = await login(ctx, "responder");
    const res = await ctx.app.request("/labels", authed(responder));
    expect(res.status).toBe(200);
    const html = await res.text();

    // The same rule in plain SQL: this workspace, classified, not by a person, relevant or under 0.8 confidence.
    const expected = await ctx.deps.db.all<{ id: number }>(sql`
      SELECT m.id FROM mentions m JOIN sources s ON s.id = m.source_id
      WHERE s.workspace_id = ${ctx.deps.workspaceId} AND m.classified_at IS NOT NULL
        AND (m.classified_by IS NULL OR m.classified_by <> 'human') AND (m.relevant = 1 OR m.confidence < 0.8)
      ORDER BY m.confidence, m.id`);
    expect(listedIds(html)).toEqual(expected.map((r) => r.id));
    expect(listedIds(html)).toEqual([unsure, borderline, sure]);
    expect(html).not.toContain("their unsure post");
    expect(html).toContain('href="/labels"');
  });

  it("escapes mention text", async () => {
    await classified('<script>alert("x")</script> & <b>debt</b>', {
      category: "other_collections",
      relevant: true,
      confidence: 0.4,
    });
    const html = await (await ctx.app.request("/labels", authed(await login(ctx, "manager")))).text();
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;debt&lt;/b&gt;");
  });

  it("stores a label as a human correction that leaves the queue and reaches export-labels", async () => {
    const id = await classified("the recovery agency keeps calling", {
      category: "not_collections",
      relevant: false,
      confidence: 0.5,
    });
    const responder = await login(ctx, "responder");
    const res = await ctx.app.request(
      `/labels/${id}`,
      authed(responder, { method: "POST", body: new URLSearchParams({ category: "communication_tactics" }) }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/labels?done=${id}&as=communication_tactics`);

    const [mention] = await ctx.deps.db.select().from(mentions).where(eq(mentions.id, id));
    expect(mention).toMatchObject({
      category: "communication_tactics",
      relevant: true,
      classifiedBy: "human",
      severity: "medium",
    });
    expect(mention?.flags).toEqual(["dispute"]);
    const history = await ctx.deps.db.select().from(classifications).where(eq(classifications.mentionId, id));
    expect(history.map((h) => [h.engine, h.category, h.correctedBy])).toEqual([
      ["human", "communication_tactics", ctx.users.responder.id],
    ]);

    const after = await (
      await ctx.app.request(res.headers.get("location") ?? "/labels", authed(responder))
    ).text();
    expect(listedIds(after)).not.toContain(id);
    expect(after).toContain(`Mention ${id} labelled communication tactics.`);

    const exported = [];
    for await (const row of reviewerLabels(ctx.deps.db)) exported.push(row);
    expect(exported.map((r) => [r.id, r.text, r.category, r.relevant])).toEqual([
      [`mention-${id}`, "the recovery agency keeps calling", "communication_tactics", true],
    ]);
  });

  it("refuses viewers, a missing CSRF token, an unknown code and another workspace's mention", async () => {
    const id = await classified("collector called my boss", {
      category: "privacy",
      relevant: true,
      confidence: 0.45,
    });
    const viewer = await login(ctx, "viewer");
    expect((await ctx.app.request("/labels", authed(viewer))).status).toBe(403);
    const form = (category: string) => ({ method: "POST", body: new URLSearchParams({ category }) });
    expect((await ctx.app.request(`/labels/${id}`, authed(viewer, form("privacy")))).status).toBe(403);
    const home = await (await ctx.app.request("/", authed(viewer))).text();
    expect(home).not.toContain('href="/labels"');

    const manager = await login(ctx, "manager");
    const noCsrf = await ctx.app.request(`/labels/${id}`, {
      ...form("privacy"),
      headers: { cookie: manager.cookie },
    });
    expect(noCsrf.status).toBe(403);
    const bad = await ctx.app.request(`/labels/${id}`, authed(manager, form("everything")));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("category must be one of");

    const [elsewhere] = await ctx.deps.db.insert(workspaces).values({ name: "Another agency" }).returning();
    const [theirSource] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: elsewhere!.id, name: "their-feed", type: "rss" })
      .returning();
    const theirs = await classified("theirs", {
      category: "privacy",
      relevant: true,
      confidence: 0.4,
      sourceId: theirSource!.id,
    });
    expect((await ctx.app.request(`/labels/${theirs}`, authed(manager, form("praise")))).status).toBe(404);
    const untouched = await ctx.deps.db.select().from(classifications);
    expect(untouched).toEqual([]);
  });
});
