// Managing sources after they are added (issue 15): edit with the generated form (a blank credential keeps the
// stored one), rotate credentials (sealed anew), pause and resume, remove softly after a confirm step; a
// failing connection test refuses an add or a change unless the person says "anyway"; every form answers with a
// redirect (POST-redirect-GET); the API does the same; all of it audited, scoped to the workspace, managers only.
import { readFileSync } from "node:fs";
import { and, count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256 } from "../../src/auth/tokens.js";
import { auditLog, mentions, sources, workspaces } from "../../src/db/schema/index.js";
import { isSealed, openCredentials } from "../../src/platform/credentials.js";
import { addSource } from "../../src/services/sources/add-source.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "./helpers.js";

const TOKEN = "AAAAAAAAAAAAAAAAAAAAAold-bearer-token-0123456789";
const NEW_TOKEN = "AAAAAAAAAAAAAAAAAAAAAnew-bearer-token-9876543210";
let ctx: WebTestContext;
let admin: Session;
let feed: TestServer;
let feedUp = true;
beforeEach(async () => {
  ctx = await createWebTestContext();
  admin = await login(ctx, "admin");
  const xml = readFileSync("test/fixtures/rss/rss2.xml", "utf8");
  feedUp = true;
  feed = await startHttpServer((_req, res) => {
    if (!feedUp) {
      res.statusCode = 500;
      res.end("down");
      return;
    }
    res.setHeader("content-type", "application/rss+xml");
    res.end(xml);
  });
});
afterEach(async () => {
  await feed.close();
  await ctx.deps.cleanup();
});

const page = async (path: string, session = admin) => (await ctx.app.request(path, authed(session))).text();
const submit = (path: string, fields: [string, string][], session = admin) =>
  ctx.app.request(
    path,
    authed(session, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );
const api = (method: string, path: string, body?: unknown, session = admin) =>
  ctx.app.request(path, authed(session, { method, ...(body ? { body: JSON.stringify(body) } : {}) }));
const sourceRow = async (id: number) =>
  (await ctx.deps.db.select().from(sources).where(eq(sources.id, id)))[0]!;
const audits = async (action: string) =>
  ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, action));
const rssFields = (url: string): [string, string][] => [
  ["type", "rss"],
  ["name", "local-news"],
  ["config.url", url],
];
async function addX() {
  return addSource(ctx.deps, {
    workspaceId: ctx.deps.workspaceId,
    type: "x",
    name: "x-acme",
    config: { query: "acme recovery", bearerToken: TOKEN },
  });
}

describe("a failing connection test needs an explicit 'add anyway'", () => {
  it("refuses the add with the test's words and an 'Add anyway' box; adds when it is ticked", async () => {
    feedUp = false;
    const refused = await submit("/sources", rssFields(`${feed.url}/feed.xml`));
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain("The server answered HTTP 500");
    expect(html).toContain('data-testid="anyway"');
    expect(await ctx.deps.db.select().from(sources).where(eq(sources.name, "local-news"))).toEqual([]);

    const added = await submit("/sources", [...rssFields(`${feed.url}/feed.xml`), ["anyway", "1"]]);
    expect(added.status).toBe(303);
    expect(await page(added.headers.get("location")!)).toContain("without a passing connection test");
    const [entry] = await audits("source.add");
    expect(entry!.after).toMatchObject({ name: "local-news", connectionTest: "saved_anyway" });
  });

  it("adds at once when the test passes, and the API answers 409 the same way", async () => {
    const added = await submit("/sources", rssFields(`${feed.url}/feed.xml`));
    expect(added.status).toBe(303);
    expect(decodeURIComponent(added.headers.get("location")!)).toContain("The connection test passed");
    feedUp = false;
    const body = { type: "rss", name: "api-news", config: { url: `${feed.url}/other.xml` } };
    const refused = await api("POST", "/api/sources", body);
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as { error: { message: string; details: unknown } };
    expect(error.message).toContain("The connection test failed: The server answered HTTP 500");
    expect(error.details).toMatchObject({ connectionTest: { ok: false } });
    const anyway = await api("POST", "/api/sources", { ...body, addAnyway: true });
    expect(anyway.status).toBe(201);
    expect(await anyway.json()).toMatchObject({ name: "api-news", connectionTest: "saved_anyway" });
  });
});

describe("editing a source", () => {
  it("shows the stored settings but never a credential; a blank credential keeps the stored one", async () => {
    const x = await addX();
    const form = await page(`/sources/${x.id}/edit`);
    expect(form).toContain('value="acme recovery"');
    expect(form).not.toContain(TOKEN);
    expect(form).toMatch(/name="config.bearerToken" id="config-bearerToken" type="password"(?! required)/);
    expect(form).toContain("stored: leave blank to keep it");

    const res = await submit(`/sources/${x.id}/edit`, [
      ["name", "x-summit"],
      ["config.query", '"Summit Recovery" -is:retweet'],
      ["config.bearerToken", ""],
      ["config.maxResults", "50"],
      ["every", "*/30 * * * *"],
      // There is no X to test against here: the change goes in on the person's word.
      ["anyway", "1"],
    ]);
    expect(res.status).toBe(303);
    expect(await page(res.headers.get("location")!)).toContain("Saved &quot;x-summit&quot;.");
    const row = await sourceRow(x.id);
    expect(row).toMatchObject({ name: "x-summit", schedule: "*/30 * * * *" });
    expect(isSealed((row.config as Record<string, unknown>).bearerToken)).toBe(true);
    expect(
      await openCredentials(row.config as Record<string, unknown>, ctx.deps.env.RAPPORT_SECRET, "x"),
    ).toEqual({ query: '"Summit Recovery" -is:retweet', bearerToken: TOKEN, maxResults: 50 });
    const [edit] = await audits("source.edit");
    expect(edit!.before).toMatchObject({ name: "x-acme", config: { bearerToken: "(set)" } });
    expect(edit!.after).toMatchObject({ name: "x-summit", credentialsChanged: [] });
    expect(JSON.stringify(await ctx.deps.db.select().from(auditLog))).not.toContain(TOKEN);
  });

  it("shows zod's issue beside the field, and a failing test leaves the settings as they were", async () => {
    const [rss] = await ctx.deps.db.select().from(sources).where(eq(sources.id, ctx.sourceId));
    const bad = await submit(`/sources/${rss!.id}/edit`, [
      ["name", "news-feed"],
      ["config.url", "not a url"],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/data-field="url">URL must be a full URL/);
    feedUp = false;
    const failing = await submit(`/sources/${rss!.id}/edit`, [
      ["name", "news-feed"],
      ["config.url", `${feed.url}/moved.xml`],
    ]);
    expect(failing.status).toBe(409);
    expect(await failing.text()).toContain("Nothing was saved");
    expect((await sourceRow(rss!.id)).config).toEqual(rss!.config);
    // Through the API: 409, then saveAnyway.
    const patch = { config: { url: `${feed.url}/moved.xml` } };
    expect((await api("PATCH", `/api/sources/${rss!.id}`, patch)).status).toBe(409);
    const saved = await api("PATCH", `/api/sources/${rss!.id}`, { ...patch, saveAnyway: true });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ name: "news-feed", connectionTest: "saved_anyway" });
    expect((await sourceRow(rss!.id)).config).toMatchObject({ url: `${feed.url}/moved.xml` });
  });
});

describe("rotating credentials", () => {
  it("seals the new credential, keeps the rest, and records which field changed, never its value", async () => {
    const x = await addX();
    const before = (await sourceRow(x.id)).config as Record<string, unknown>;
    const empty = await submit(`/sources/${x.id}/credentials`, [["config.bearerToken", ""]]);
    expect(empty.status).toBe(303);
    expect(decodeURIComponent(empty.headers.get("location")!)).toContain("Enter at least one new credential");
    const res = await submit(`/sources/${x.id}/credentials`, [
      ["config.bearerToken", NEW_TOKEN],
      ["anyway", "1"],
    ]);
    expect(res.status).toBe(303);
    expect(await page(res.headers.get("location")!)).toContain(
      "Rotated the credentials of &quot;x-acme&quot; (bearerToken): sealed and stored.",
    );
    const after = (await sourceRow(x.id)).config as Record<string, unknown>;
    expect(after.bearerToken).not.toEqual(before.bearerToken);
    expect(isSealed(after.bearerToken)).toBe(true);
    expect(await openCredentials(after, ctx.deps.env.RAPPORT_SECRET, "x")).toMatchObject({
      query: "acme recovery",
      bearerToken: NEW_TOKEN,
    });
    const [rotation] = await audits("source.rotate_credentials");
    expect(rotation!.after).toMatchObject({ credentialsChanged: ["bearerToken"] });
    const log = JSON.stringify(await ctx.deps.db.select().from(auditLog));
    expect(log).not.toContain(NEW_TOKEN);
    expect(log).not.toContain(TOKEN);
    // The API: only credential fields are accepted.
    const notSecret = await api("POST", `/api/sources/${x.id}/credentials`, { credentials: { query: "x" } });
    expect(notSecret.status).toBe(400);
  });
});

describe("pausing, resuming and removing", () => {
  it("pauses and resumes with a redirect, and the page says so in words", async () => {
    const paused = await submit(`/sources/${ctx.sourceId}/pause`, []);
    expect(paused.status).toBe(303);
    expect((await sourceRow(ctx.sourceId)).enabled).toBe(false);
    const html = await page(paused.headers.get("location")!);
    expect(html).toContain("Paused &quot;news-feed&quot;: it is not polled until you resume it.");
    expect(html).toContain("Paused: not polled until resumed");
    expect(html).toContain(`action="/sources/${ctx.sourceId}/resume"`);
    const resumed = await submit(`/sources/${ctx.sourceId}/resume`, []);
    expect(decodeURIComponent(resumed.headers.get("location")!)).toContain(
      'Resumed "news-feed": it is polled every 15 minutes again.',
    );
    expect((await sourceRow(ctx.sourceId)).enabled).toBe(true);
    expect((await audits("source.pause")).length).toBe(1);
    expect((await audits("source.resume")).length).toBe(1);
  });

  it("shows health in words, never a cron string", async () => {
    await ctx.deps.db
      .update(sources)
      .set({ lastRunAt: new Date(ctx.deps.now().getTime() - 4 * 60_000), lastItems: 3 })
      .where(eq(sources.id, ctx.sourceId));
    const html = await page("/sources");
    const row = /<tr data-source="news-feed"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain("Last poll 4 minutes ago (3 new)");
    expect(row).toMatch(
      /Next poll in \d+ minutes?, every 15 minutes|Next poll in under a minute, every 15 minutes/,
    );
    // What people read (the text, not the form's option values) has no cron string.
    expect(html.replace(/<[^>]*>/g, " ")).not.toMatch(/\*\/\d|\* \* \*/);
  });

  it("removes only after the confirm step; the mentions stay and the name stays taken", async () => {
    await insertMention(ctx, { text: "Acme Recovery keeps calling", sourceId: ctx.sourceId });
    await insertMention(ctx, { text: "Acme Recovery again", sourceId: ctx.sourceId });
    const confirm = await page(`/sources/${ctx.sourceId}/remove`);
    expect(confirm).toContain("Its 2 mentions, their replies and their history stay");
    const bare = await submit(`/sources/${ctx.sourceId}/remove`, []);
    expect(bare.headers.get("location")).toBe(`/sources/${ctx.sourceId}/remove`);
    expect((await sourceRow(ctx.sourceId)).removedAt).toBeNull();

    const removed = await submit(`/sources/${ctx.sourceId}/remove`, [["confirm", "1"]]);
    expect(removed.status).toBe(303);
    const row = await sourceRow(ctx.sourceId);
    expect(row.removedAt).not.toBeNull();
    expect(row.enabled).toBe(false);
    const [kept] = await ctx.deps.db
      .select({ n: count() })
      .from(mentions)
      .where(eq(mentions.sourceId, ctx.sourceId));
    expect(kept!.n).toBe(2);
    expect(await page("/sources")).not.toContain('data-source="news-feed"');
    const list = (await (await api("GET", "/api/sources")).json()) as { items: { name: string }[] };
    expect(list.items.map((s) => s.name)).not.toContain("news-feed");
    expect((await api("POST", `/api/sources/${ctx.sourceId}/poll`)).status).toBe(404);
    const again = await api("POST", "/api/sources", {
      type: "rss",
      name: "news-feed",
      config: { url: `${feed.url}/feed.xml` },
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain(
      "a removed source was named",
    );
    const [entry] = await audits("source.remove");
    expect(entry!.after).toEqual({ removed: true, mentionsKept: 2 });
  });

  it("the API pauses and removes; another workspace's source is not found; responders are refused", async () => {
    expect(
      await (await api("PATCH", `/api/sources/${ctx.otherSourceId}`, { paused: true })).json(),
    ).toMatchObject({ name: "reviews", enabled: false, health: "disabled" });
    const [other] = await ctx.deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
    const [foreign] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: other!.id, name: "theirs", type: "rss", config: { url: "https://e.com/f" } })
      .returning();
    expect((await api("PATCH", `/api/sources/${foreign!.id}`, { paused: true })).status).toBe(404);
    expect((await api("DELETE", `/api/sources/${foreign!.id}`)).status).toBe(404);
    expect((await submit(`/sources/${foreign!.id}/pause`, [])).status).toBe(404);
    expect((await sourceRow(foreign!.id)).enabled).toBe(true);
    const responder = await login(ctx, "responder");
    expect((await submit(`/sources/${ctx.sourceId}/pause`, [], responder)).status).toBe(403);
    expect((await api("DELETE", `/api/sources/${ctx.sourceId}`, undefined, responder)).status).toBe(403);
    const deleted = await api("DELETE", `/api/sources/${ctx.otherSourceId}`);
    expect(await deleted.json()).toEqual({ removed: true, name: "reviews", mentionsKept: 0 });
    const [gone] = await ctx.deps.db
      .select()
      .from(sources)
      .where(and(eq(sources.id, ctx.otherSourceId)));
    expect(gone!.removedAt).not.toBeNull();
  });
});

describe("a source an operator pointed at a proxy", () => {
  it("keeps the operator's endpoint override through a dashboard edit, and tests against it", async () => {
    const [proxied] = await ctx.deps.db
      .insert(sources)
      .values({
        workspaceId: ctx.deps.workspaceId,
        brandId: ctx.deps.companyBrandId,
        name: "cfpb-proxy",
        type: "cfpb",
        config: { company: "ACME RECOVERY", baseUrl: `${feed.url}/cfpb/` },
      })
      .returning();
    const res = await submit(`/sources/${proxied!.id}/edit`, [
      ["name", "cfpb-proxy"],
      ["config.company", "SUMMIT RECOVERY"],
    ]);
    // The proxy here serves an RSS feed, not CFPB JSON: the test reached it (and failed), nothing was refused.
    expect(feed.requests.some((r) => r.url?.startsWith("/cfpb/"))).toBe(true);
    expect(res.status).toBe(409);
    const saved = await submit(`/sources/${proxied!.id}/edit`, [
      ["name", "cfpb-proxy"],
      ["config.company", "SUMMIT RECOVERY"],
      ["anyway", "1"],
    ]);
    expect(saved.status).toBe(303);
    expect((await sourceRow(proxied!.id)).config).toMatchObject({
      company: "SUMMIT RECOVERY",
      baseUrl: `${feed.url}/cfpb/`,
    });
    // The web still may not set one.
    const refused = await api("PATCH", `/api/sources/${proxied!.id}`, {
      config: { baseUrl: "https://elsewhere.example/" },
    });
    expect(refused.status).toBe(400);
  });
});

describe("a push source's token", () => {
  it("is replaced on request, shown once after the redirect, and the old one stops working", async () => {
    const added = await api("POST", "/api/sources", { type: "webhook", name: "crm-push" });
    const { id, ingestToken: first } = (await added.json()) as { id: number; ingestToken: string };
    const push = (token: string) =>
      ctx.app.request("/api/ingest/crm-push", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ id: `p-${token.slice(0, 6)}`, text: "Acme Recovery called me twice today" }),
      });
    expect((await push(first)).status).toBe(200);
    const res = await submit(`/sources/${id}/token`, []);
    expect(res.status).toBe(303);
    const once = /rapport_source_token=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
    const second = decodeURIComponent(once!).split(":")[1]!;
    expect(res.headers.get("location")).not.toContain(second);
    const html = await (
      await ctx.app.request(res.headers.get("location")!, {
        headers: { cookie: `${admin.cookie}; rapport_source_token=${once}` },
      })
    ).text();
    expect(html).toContain(`Authorization: Bearer ${second}`);
    expect((await push(first)).status).toBe(401);
    expect((await push(second)).status).toBe(200);
    const [entry] = await audits("source.rotate_token");
    expect(JSON.stringify(entry)).not.toContain(second);
    // Not for a polled source: its credentials are rotated with Edit.
    expect((await api("POST", `/api/sources/${ctx.sourceId}/token`)).status).toBe(400);
  });

  it("shows no message from a crafted link: only the messages its own redirects signed", async () => {
    const crafted = await page("/sources?notice=Your%20session%20expired%3A%20call%20555-0100&sig=forged");
    expect(crafted).not.toContain("Your session expired");
    const paused = await submit(`/sources/${ctx.sourceId}/pause`, []);
    expect(await page(paused.headers.get("location")!)).toContain(
      "Paused &quot;news-feed&quot;: it is not polled",
    );
  });

  it("finds its own source when another workspace has a push source of the same name", async () => {
    // The other workspace's source comes first in the table, so a lookup by name alone would pick it.
    const [other] = await ctx.deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
    const theirToken = "their-push-token-0123456789abcdefghijklmnop";
    const [theirs] = await ctx.deps.db
      .insert(sources)
      .values({
        workspaceId: other!.id,
        name: "shared-name",
        type: "webhook",
        config: {},
        ingestTokenHash: sha256(theirToken),
      })
      .returning();
    const added = await api("POST", "/api/sources", { type: "webhook", name: "shared-name" });
    const { id: ours, ingestToken: ourToken } = (await added.json()) as { id: number; ingestToken: string };
    const push = (token: string, id: string) =>
      ctx.app.request("/api/ingest/shared-name", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ id, text: "Acme Recovery called me twice today" }),
      });
    expect((await push(ourToken, "ours-1")).status).toBe(200);
    expect((await push(theirToken, "theirs-1")).status).toBe(200);
    expect((await push("a-guess-0123456789abcdefghijklmnopqrstu", "nobody-1")).status).toBe(401);
    const landed = async (sourceId: number) =>
      (await ctx.deps.db.select().from(mentions).where(eq(mentions.sourceId, sourceId))).map(
        (m) => m.externalId,
      );
    expect(await landed(ours)).toEqual(["ours-1"]);
    expect(await landed(theirs!.id)).toEqual(["theirs-1"]);
  });
});
