// The Sources page adds every connector type, with a form generated from the connector's zod configSchema: secrets
// as password inputs never sent back nor audited, zod's issues beside the field with the fix, and a connection
// test of a config before it is stored. The same add-source service as the CLI stores it.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, sources } from "../../src/db/schema/index.js";
import { openCredentials } from "../../src/platform/credentials.js";
import { sourceTypeForms } from "../../src/services/sources/config-form.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import { authed, createWebTestContext, login, type Session, type WebTestContext } from "./helpers.js";

const SECRET = "AAAAAAAAAAAAAAAAAAAAAsecret-bearer-token-0123456789";
let ctx: WebTestContext;
let admin: Session;
let feed: TestServer;
beforeEach(async () => {
  ctx = await createWebTestContext();
  admin = await login(ctx, "admin");
  const xml = readFileSync("test/fixtures/rss/rss2.xml", "utf8");
  feed = await startHttpServer((_req, res) => {
    res.setHeader("content-type", "application/rss+xml");
    res.end(xml);
  });
});
afterEach(async () => {
  await feed.close();
  await ctx.deps.cleanup();
});

const page = async (path: string, session = admin) => (await ctx.app.request(path, authed(session))).text();
const submit = (path: string, fields: [string, string][], accept = "text/html", session = admin) =>
  ctx.app.request(
    path,
    authed(session, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept },
      body: new URLSearchParams(fields).toString(),
    }),
  );
const storedNames = async () => (await ctx.deps.db.select().from(sources)).map((s) => s.name).sort();

describe("adding sources from the dashboard", () => {
  it("offers every connector type, each with the fields of its configSchema", async () => {
    const html = await page("/sources");
    const offered = [...html.matchAll(/<option value="([a-z]+)"[^>]*>[^<]*<\/option>/g)].map((m) => m[1]);
    for (const type of [
      "rss",
      "x",
      "reddit",
      "cfpb",
      "google",
      "yelp",
      "facebook",
      "instagram",
      "trustpilot",
    ])
      expect(offered).toContain(type);
    expect(offered).toContain("webhook");
    expect(sourceTypeForms().map((f) => f.type)).toEqual(expect.arrayContaining(offered));

    const x = await page("/sources?type=x");
    expect(x).toContain('<input type="hidden" name="type" value="x"');
    expect(x).toMatch(/name="config.query" id="config-query" type="text" required=""/);
    expect(x).toMatch(/name="config.bearerToken" id="config-bearerToken" type="password" required=""/);
    expect(x).toMatch(/name="config.appSecret" id="config-appSecret" type="password"/);
    expect(x).toMatch(/name="config.maxResults" id="config-maxResults" type="number"/);
    expect(x).toContain("10–100; blank: 100");
    expect(x).toMatch(/<select name="config.transport"[^>]*>[\s\S]*<option value="fetch">/);
    // Endpoint overrides stay with operators (a web form must not aim the server at any host).
    expect(x).not.toContain("config.apiBaseUrl");
    expect(x).toContain("data-test-config");

    const google = await page("/sources?type=google");
    for (const [name, type] of [
      ["clientId", "text"],
      ["clientSecret", "password"],
      ["refreshToken", "password"],
      ["accountId", "text"],
      ["locationId", "text"],
    ])
      expect(google).toMatch(new RegExp(`name="config.${name}" id="config-${name}" type="${type}" required`));
    expect(google).not.toContain("config.baseUrl");
    const facebook = await page("/sources?type=facebook");
    expect(facebook).toMatch(/name="config.edges" value="tagged" checked=""/);
    expect(facebook).toMatch(/name="config.edges" value="ratings"\s*\/>/);
  });

  it("shows zod's issues beside each field with the fix, never echoes a secret, and stores nothing", async () => {
    const res = await submit("/sources", [
      ["type", "x"],
      ["name", "x-acme"],
      ["config.query", "  "],
      ["config.bearerToken", "too-short-secret"],
      ["config.maxResults", "5"],
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/data-field="query">Query is required: enter it\.</);
    expect(html).toMatch(
      /data-field="bearerToken">Bearer token is too short \(at least 20 characters\): must be the app&#39;s bearer token/,
    );
    expect(html).toMatch(/data-field="maxResults">Max results must be at least 10\.</);
    expect(html).not.toContain("too-short-secret");
    expect(html).toContain('value="x-acme"'); // what is not secret comes back
    expect(await storedNames()).toEqual(["news-feed", "reviews"]);
  });

  it("adds an X source through the add-source service; the secret is stored sealed, for the connector only", async () => {
    const res = await submit("/sources", [
      ["type", "x"],
      ["name", "x-acme"],
      ["config.query", '"Acme Recovery" -is:retweet'],
      ["config.bearerToken", SECRET],
      ["config.maxResults", ""],
      ["every", "*/30 * * * *"],
      // No X here to test against: the person says "add anyway" (see the connection-test suite for the refusal).
      ["anyway", "1"],
    ]);
    expect(res.status).toBe(303);
    const html = await page(res.headers.get("location")!);
    expect(html).toContain("Added &quot;x-acme&quot;: polled every 30 minutes.");
    expect(html).toContain("without a passing connection test");
    expect(html).not.toContain(SECRET);
    const [row] = await ctx.deps.db.select().from(sources).where(eq(sources.name, "x-acme"));
    expect(row).toMatchObject({ type: "x", schedule: "*/30 * * * *", brandId: ctx.deps.companyBrandId });
    expect(JSON.stringify(row!.config)).not.toContain(SECRET);
    expect(
      await openCredentials(row!.config as Record<string, unknown>, ctx.deps.env.RAPPORT_SECRET, "x-acme"),
    ).toEqual({
      query: '"Acme Recovery" -is:retweet',
      bearerToken: SECRET,
      maxResults: 100,
    });
    expect(JSON.stringify(await ctx.deps.db.select().from(auditLog))).not.toContain(SECRET);
    expect(JSON.stringify(await (await ctx.app.request("/api/sources", authed(admin))).json())).not.toContain(
      SECRET,
    );
  });

  it("tests a config before it is added (JSON for the page's script, a page without it) and stores nothing", async () => {
    const fields: [string, string][] = [
      ["type", "rss"],
      ["name", "local-feed"],
      ["config.url", `${feed.url}/feed.xml`],
    ];
    const json = await submit("/sources/test-config", fields, "application/json");
    expect(await json.json()).toEqual({
      ok: true,
      message: expect.stringMatching(/^Feed OK: \d+ entries$/),
      fieldErrors: {},
    });
    const html = await (await submit("/sources/test-config", fields)).text();
    expect(html).toMatch(/id="test-result" role="status" class="notice">Connection works: Feed OK/);
    const bad = await submit(
      "/sources/test-config",
      [
        ["type", "rss"],
        ["name", "x"],
        ["config.url", "feed.xml"],
      ],
      "application/json",
    );
    expect(await bad.json()).toMatchObject({
      ok: false,
      fieldErrors: { url: expect.stringContaining("must be a full URL starting with https://") },
    });
    const secretTest = await (
      await submit("/sources/test-config", [
        ["type", "x"],
        ["name", "x-acme"],
        ["config.query", "acme"],
        ["config.bearerToken", "short-secret-value"],
      ])
    ).text();
    expect(secretTest).not.toContain("short-secret-value");
    expect(feed.requests).toHaveLength(2);
    expect(await storedNames()).toEqual(["news-feed", "reviews"]);
    // Each test that reached out is on record with the address it was sent to; a config with field errors is
    // never sent, and no credential is ever recorded.
    const tests = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, "source.test_config"));
    expect(tests.map((t) => t.after)).toEqual([
      { type: "rss", urls: [{ field: "url", url: `${feed.url}/feed.xml` }], ok: true },
      { type: "rss", urls: [{ field: "url", url: `${feed.url}/feed.xml` }], ok: true },
    ]);
    expect(JSON.stringify(tests)).not.toContain("short-secret-value");
  });

  it("the API adds and tests with the same per-field errors", async () => {
    const post = (path: string, body: unknown) =>
      ctx.app.request(path, authed(admin, { method: "POST", body: JSON.stringify(body) }));
    const bad = await post("/api/sources", { type: "google", name: "gbp", config: { clientId: "id" } });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { message: string; details: { path: string }[] } };
    expect(error.message).toContain("Client secret is required: enter it.");
    expect(error.details.map((d) => d.path)).toEqual([
      "config.clientSecret",
      "config.refreshToken",
      "config.accountId",
      "config.locationId",
    ]);
    const tested = await post("/api/sources/test-config", {
      type: "rss",
      config: { url: `${feed.url}/f.xml` },
    });
    expect(await tested.json()).toMatchObject({ ok: true, fieldErrors: {} });
    const invalid = await post("/api/sources/test-config", { type: "yelp", config: { businessId: "b" } });
    expect(await invalid.json()).toMatchObject({
      ok: false,
      fieldErrors: { apiKey: "API key is required: enter it." },
    });
    expect(await storedNames()).toEqual(["news-feed", "reviews"]);
  });

  it("a push source shows its token once; responders and viewers get no form and are refused", async () => {
    const res = await submit("/sources", [
      ["type", "webhook"],
      ["name", "crm-push"],
    ]);
    // POST-redirect-GET: the token rides to the next page in a short-lived cookie, never in the URL.
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    const once = /rapport_source_token=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
    expect(once).toBeDefined();
    expect(location).not.toContain(decodeURIComponent(once!).split(":")[1]!);
    const withToken = await ctx.app.request(location, {
      headers: { cookie: `${admin.cookie}; rapport_source_token=${once}` },
    });
    expect(withToken.headers.get("set-cookie")).toMatch(/rapport_source_token=;/);
    const html = await withToken.text();
    expect(html).toMatch(
      /Push to POST \/api\/ingest\/crm-push with &quot;Authorization: Bearer [\w-]{20,}&quot; \(shown once\)/,
    );
    expect(await page(location)).not.toContain("Authorization: Bearer");
    for (const role of ["responder", "viewer"] as const) {
      const session = await login(ctx, role);
      expect(await page("/sources", session)).not.toContain('id="add-source"');
      expect(
        (
          await submit(
            "/sources",
            [
              ["type", "rss"],
              ["name", "n"],
              ["config.url", "https://e.com/f"],
            ],
            "text/html",
            session,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await submit(
            "/sources/test-config",
            [
              ["type", "rss"],
              ["config.url", feed.url],
            ],
            "application/json",
            session,
          )
        ).status,
      ).toBe(403);
    }
  });
});
