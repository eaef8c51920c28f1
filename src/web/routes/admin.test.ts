import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, sources, users } from "../../db/schema/index.js";
import type { SourceSummary } from "../../services/sources/list-sources.js";

let ctx: WebTestContext;
let admin: Session;
beforeEach(async () => {
  ctx = await createWebTestContext();
  admin = await login(ctx, "admin");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const json = (session: Session, method: string, path: string, body?: unknown) =>
  ctx.app.request(
    path,
    authed(session, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );

describe("users", () => {
  it("invites by a single-use link that sets the password and signs the person in", async () => {
    const res = await json(admin, "POST", "/api/users", { email: "new@example.com", role: "responder" });
    expect(res.status).toBe(201);
    const { link } = (await res.json()) as { link: string };
    const path = new URL(link).pathname;
    expect(path).toMatch(/^\/welcome\/[\w-]{40,}$/);
    const form = await ctx.app.request(path);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain("new@example.com");
    const set = await ctx.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: "a brand new passphrase" }).toString(),
    });
    expect(set.status).toBe(303);
    expect(set.headers.get("set-cookie")).toMatch(/^rapport_session=/);
    const again = await ctx.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: "another passphrase!" }).toString(),
    });
    expect(again.status).toBe(400);
    const signIn = await ctx.app.request("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "new@example.com", password: "a brand new passphrase" }),
    });
    expect(signIn.status).toBe(200);
  });

  it("changes roles (ending the person's sessions) and only admins may", async () => {
    const responder = await login(ctx, "responder");
    expect((await json(responder, "GET", "/api/users")).status).toBe(403);
    expect((await ctx.app.request("/users", authed(responder))).status).toBe(403);
    const res = await json(admin, "PATCH", `/api/users/${ctx.users.responder.id}`, { role: "viewer" });
    expect(await res.json()).toMatchObject({ role: "viewer" });
    expect((await ctx.app.request("/api/mentions", authed(responder))).status).toBe(401);
    const self = await json(admin, "PATCH", `/api/users/${ctx.users.admin.id}`, { disabled: true });
    expect(self.status).toBe(409);
    const [entry] = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, "user.update"));
    expect(entry).toMatchObject({
      actorEmail: "admin@example.com",
      before: { role: "responder" },
      after: { role: "viewer" },
    });
  });
});

describe("audit log", () => {
  it("is viewable and exportable as CSV by admins only, with spreadsheet formulas neutralised", async () => {
    const id = await insertMention(ctx, { text: "x" });
    await json(admin, "POST", `/api/mentions/${id}/notes`, { body: '=HYPERLINK("http://evil")' });
    await json(admin, "POST", "/api/mentions/status", { ids: [id], status: "dismissed" });
    const page = await ctx.app.request("/audit", authed(admin));
    const html = await page.text();
    // Sentences, not action codes and JSON; the CSV keeps the recorded values as evidence.
    expect(html).toContain(`admin@example.com moved mention ${id} from new to dismissed.`);
    expect(html).not.toContain("{&quot;");
    const csv = await ctx.app.request("/audit.csv", authed(admin));
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("id,at,actor,action,entity_type,entity_id,before,after");
    expect(lines.some((l) => l.includes("mention.status") && l.includes('"{""status"":""new""}"'))).toBe(
      true,
    );
    expect(text).not.toMatch(/,=HYPERLINK/);
    const manager = await login(ctx, "manager");
    expect((await ctx.app.request("/audit.csv", authed(manager))).status).toBe(403);
    expect((await ctx.app.request("/api/audit", authed(manager))).status).toBe(403);
    const api = (await (await ctx.app.request("/api/audit?entityType=mention", authed(admin))).json()) as {
      items: { action: string }[];
    };
    expect(api.items.map((i) => i.action)).toEqual(["mention.status", "mention.note"]);
  });
});

describe("audit page filters", () => {
  it("filters by date range, person and action, and agrees with a plain query of the log", async () => {
    const id = await insertMention(ctx, { text: "x" });
    const at = (iso: string) => new Date(iso);
    const entries = [
      { email: "admin@example.com", action: "mention.status", at: "2026-03-01T08:00:00Z" },
      { email: "manager@example.com", action: "mention.status", at: "2026-03-02T23:59:00Z" },
      { email: "manager@example.com", action: "mention.note", at: "2026-03-03T00:00:00Z" },
      { email: "system", action: "source.poll", at: "2026-03-02T12:00:00Z" },
    ];
    for (const e of entries) {
      const actorId = e.email === "system" ? null : ctx.users[e.email.split("@")[0] as "admin"].id;
      await ctx.deps.db.insert(auditLog).values({
        workspaceId: ctx.deps.workspaceId,
        actorId,
        actorEmail: e.email,
        action: e.action,
        entityType: "mention",
        entityId: String(id),
        before: { status: "new" },
        after: { status: "triaged", body: "Called back" },
        at: at(e.at),
      });
    }
    const shown = async (query: string) => {
      const res = await ctx.app.request(`/audit?${query}`, authed(admin));
      expect(res.status).toBe(200);
      const html = await res.text();
      return [...html.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1]).sort();
    };
    // An independent reading of the same log: plain SQL over the rows, the range inclusive of whole days.
    const expected = async (where: string) =>
      (
        await ctx.deps.db.all<{ at: number }>(
          sql.raw(`SELECT at FROM audit_log WHERE workspace_id = ${ctx.deps.workspaceId} AND ${where}`),
        )
      )
        .map((r) => new Date(r.at).toISOString())
        .sort();
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    expect(await shown("since=2026-03-02&until=2026-03-02")).toEqual(
      await expected(`at >= ${day("2026-03-02")} AND at < ${day("2026-03-03")}`),
    );
    expect(await shown("since=2026-03-02&until=2026-03-02")).toHaveLength(2);
    expect(await shown("actor=manager%40example.com&action=mention.status")).toEqual(
      await expected("actor_email = 'manager@example.com' AND action = 'mention.status'"),
    );
    expect(await shown("actor=system")).toEqual(await expected("actor_email = 'system'"));
    expect(await shown("actor=system&action=source.poll")).toHaveLength(1);

    const html = await (
      await ctx.app.request("/audit?actor=system&action=source.poll", authed(admin))
    ).text();
    expect(html).toContain(`Rapport polled mention ${id} now.`);
    expect(html).toContain("Source polled");
    // The recorded values read as lines, not JSON.
    expect(html).toContain("status: </span>new → triaged");
    expect(html).not.toMatch(/\{&quot;|"status":/);
    // The filters offer people and actions by name, and keep what was chosen.
    expect(html).toContain('<option value="system" selected="">Rapport (automatic)</option>');
    expect(html).toContain('<option value="source.poll" selected="">Source polled</option>');
    expect(html).toContain('<option value="mention.note">Note added</option>');

    // People with a name are called by it; the e-mail stays beside it in "Who".
    await ctx.deps.db.update(users).set({ name: "Sam" }).where(eq(users.id, ctx.users.manager.id));
    const named = await (
      await ctx.app.request("/audit?actor=manager%40example.com&action=mention.status", authed(admin))
    ).text();
    expect(named).toContain("Sam (manager@example.com)");
    expect(named).toContain(`Sam moved mention ${id} from new to triaged.`);

    const bad = await ctx.app.request("/audit?since=yesterday", authed(admin));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("since must be an ISO date, e.g. 2026-03-01");
  });
});

describe("API tokens", () => {
  it("creates a token shown once that works as Bearer and can be revoked", async () => {
    const manager = await login(ctx, "manager");
    const created = (await (await json(manager, "POST", "/api/tokens", { name: "crm" })).json()) as {
      id: number;
      token: string;
    };
    expect(created.token).toMatch(/^rpt_/);
    const list = (await (await ctx.app.request("/api/tokens", authed(manager))).json()) as {
      items: Record<string, unknown>[];
    };
    expect(list.items).toHaveLength(1);
    expect(JSON.stringify(list.items)).not.toContain(created.token);
    const bearer = { headers: { authorization: `Bearer ${created.token}` } };
    expect((await ctx.app.request("/api/mentions", bearer)).status).toBe(200);
    await json(manager, "DELETE", `/api/tokens/${created.id}`);
    expect((await ctx.app.request("/api/mentions", bearer)).status).toBe(401);
  });
});

describe("OpenAPI", () => {
  it("describes the API from the validating zod schemas", async () => {
    const res = await ctx.app.request("/api/openapi.json", authed(admin));
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: { name: string; schema: unknown }[];
            requestBody?: {
              content: { "application/json": { schema: { properties: Record<string, unknown> } } };
            };
          }
        >
      >;
    };
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/api/session",
      "/api/mentions",
      "/api/mentions/status",
      "/api/mentions/{id}",
      "/api/today",
      "/api/sources",
      "/api/users",
      "/api/audit",
      "/api/tokens",
      "/api/views",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const params = doc.paths["/api/mentions"]!.get!.parameters.map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(["source", "brand", "category", "status", "q", "since", "limit", "next"]),
    );
    const category = doc.paths["/api/mentions"]!.get!.parameters.find((p) => p.name === "category")!;
    expect(JSON.stringify(category.schema)).toContain("legal_threats");
    expect(
      Object.keys(
        doc.paths["/api/mentions/status"]!.post!.requestBody!.content["application/json"].schema.properties,
      ),
    ).toEqual(["ids", "status", "confirmHumanOnly"]);
  });
});

describe("sources", () => {
  let feedServer: Server;
  let feedUrl: string;
  beforeEach(async () => {
    feedServer = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Acme news</title><item><guid>1</guid><title>Acme Recovery called me</title><description>Acme Recovery called me at work</description><pubDate>Tue, 10 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>`,
      );
    });
    await new Promise<void>((resolve) => feedServer.listen(0, "127.0.0.1", resolve));
    feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`;
  });
  afterEach(async () => {
    await new Promise((resolve) => feedServer.close(resolve));
  });

  it("adds an RSS source from the form, defaults the brand, and tests its connection", async () => {
    const form = new URLSearchParams({
      _csrf: admin.csrf,
      type: "rss",
      name: "acme-news",
      "config.url": feedUrl,
      every: "*/30 * * * *",
      brand: "",
    });
    const res = await ctx.app.request("/sources", {
      method: "POST",
      headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    const shown = await (await ctx.app.request(res.headers.get("location")!, authed(admin))).text();
    expect(shown).toContain(
      "Added &quot;acme-news&quot;: polled every 30 minutes. The connection test passed.",
    );
    const [row] = await ctx.deps.db.select().from(sources).where(eq(sources.name, "acme-news"));
    expect(row).toMatchObject({ type: "rss", schedule: "*/30 * * * *", brandId: ctx.deps.companyBrandId });

    const list = (await (await ctx.app.request("/api/sources", authed(admin))).json()) as {
      items: SourceSummary[];
    };
    const added = list.items.find((s) => s.name === "acme-news")!;
    expect(added).toMatchObject({ health: "ok", lastRunAt: null, canTestConnection: true });
    expect(new Date(added.nextRunAt!).getUTCMinutes() % 30).toBe(0);

    const tested = (await (await json(admin, "POST", `/api/sources/${row!.id}/test`)).json()) as {
      ok: boolean;
      message: string;
    };
    expect(tested.ok).toBe(true);

    const bad = await json(admin, "POST", "/api/sources", {
      type: "rss",
      name: "bad-cron",
      every: "every day",
      config: { url: feedUrl },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/cron/);
    const viewer = await login(ctx, "viewer");
    expect(
      (await json(viewer, "POST", "/api/sources", { type: "rss", name: "v", config: { url: feedUrl } }))
        .status,
    ).toBe(403);
    const page = await (await ctx.app.request("/sources", authed(viewer))).text();
    expect(page).toContain("acme-news");
    expect(page).not.toContain('id="add-source"');
  });

  it("shows a failing source's last error in plain words", async () => {
    await ctx.deps.db
      .update(sources)
      .set({ health: "failing", lastError: "the feed answered 500 three times", consecutiveFailures: 3 })
      .where(eq(sources.id, ctx.otherSourceId));
    const html = await (await ctx.app.request("/sources", authed(admin))).text();
    expect(html).toContain("the feed answered 500 three times");
    expect(html).toContain("(3 failures in a row)");
  });
});
