// What the web may ask the server to fetch. The JSON API refuses exactly what the dashboard refuses (endpoint
// overrides, `file` and `demo` sources: one function decides for both), connection tests go through the egress
// policy and never show an upstream's answer, and "Poll now" answers at once (POST-redirect-GET) however slow
// the source is.
import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog, jobRuns, sources } from "../../src/db/schema/index.js";
import { addSource } from "../../src/services/sources/add-source.js";
import { type LocalServer, startLocalServer } from "../fixtures/local-server.js";
import { authed, createWebTestContext, login, type Session, type WebTestContext } from "./helpers.js";

let ctx: WebTestContext;
let admin: Session;
let upstream: LocalServer | null = null;
afterEach(async () => {
  await upstream?.close();
  upstream = null;
  await ctx.deps.cleanup();
});

const setUp = async (overrides: Record<string, string> = {}) => {
  ctx = await createWebTestContext(overrides);
  admin = await login(ctx, "admin");
};
const postJson = (path: string, body: unknown) =>
  ctx.app.request(path, authed(admin, { method: "POST", body: JSON.stringify(body) }));
const postForm = (path: string, fields: [string, string][]) =>
  ctx.app.request(
    path,
    authed(admin, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );
const storedNames = async () => (await ctx.deps.db.select().from(sources)).map((s) => s.name).sort();
const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe("the sources API refuses what the dashboard refuses", () => {
  it("refuses file and demo sources and endpoint overrides, on add and on test-config", async () => {
    await setUp();
    const before = await storedNames();
    for (const path of ["/api/sources", "/api/sources/test-config"]) {
      const file = await postJson(path, { type: "file", name: "disk", config: { path: "/etc/passwd" } });
      expect(file.status, path).toBe(400);
      expect(await errorOf(file)).toMatch(/"file" sources are added from the command line only/);
      const demo = await postJson(path, { type: "demo", name: "d", config: {} });
      expect(demo.status, path).toBe(400);
      for (const [type, field] of [
        ["cfpb", "baseUrl"],
        ["google", "tokenUrl"],
        ["x", "apiBaseUrl"],
        ["reddit", "wwwBaseUrl"],
      ] as const) {
        const res = await postJson(path, {
          type,
          name: `o-${type}`,
          config: { [field]: "http://169.254.169.254/latest/" },
        });
        expect(res.status, `${path} ${field}`).toBe(400);
        expect(await errorOf(res)).toContain(
          `${field} is an endpoint override, which only an operator may set`,
        );
      }
    }
    expect(await storedNames()).toEqual(before);
    // The dashboard form offers neither: the same policy names them.
    const form = await postForm("/sources", [
      ["type", "file"],
      ["name", "disk"],
    ]);
    expect(form.status).toBe(400);
    expect(await storedNames()).toEqual(before);
    // The CLI keeps them (an operator's shell): the service itself does not refuse.
    await addSource(ctx.deps, {
      workspaceId: ctx.deps.workspaceId,
      type: "cfpb",
      name: "cfpb-proxy",
      config: { company: "ACME", baseUrl: "https://proxy.example/cfpb/" },
    });
    expect(await storedNames()).toContain("cfpb-proxy");
  });
});

describe("connection tests", () => {
  it("refuses an internal address unless the operator allow-lists it; nothing is sent", async () => {
    await setUp({ EGRESS_ALLOW: "" });
    upstream = await startLocalServer((_req, res) => {
      res.end("<rss version='2.0'><channel/></rss>");
    });
    const res = await postJson("/api/sources/test-config", {
      type: "rss",
      config: { url: `${upstream.baseUrl}/f` },
    });
    const result = (await res.json()) as { ok: boolean; message: string };
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused to connect to 127\.0\.0\.1:\d+: a loopback address/);
    expect(upstream.requests).toHaveLength(0);
  });

  it("says only which status the server answered, never its body", async () => {
    await setUp();
    upstream = await startLocalServer((_req, res) => {
      res.writeHead(403, { "content-type": "text/plain" }).end("root:x:0:0 internal-build 4.2 SECRET-BANNER");
    });
    const res = await postJson("/api/sources/test-config", {
      type: "rss",
      config: { url: `${upstream.baseUrl}/admin` },
    });
    const result = (await res.json()) as { ok: boolean; message: string };
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toMatch(/^The server answered HTTP 403: /);
    expect(result.message).not.toMatch(/SECRET|root:x|internal-build/);
    // The dashboard's form variant says the same.
    const html = await (
      await postForm("/sources/test-config", [
        ["type", "rss"],
        ["config.url", `${upstream.baseUrl}/admin`],
      ])
    ).text();
    expect(html).toContain("The server answered HTTP 403");
    expect(html).not.toContain("SECRET-BANNER");
  });
});

describe("Poll now", () => {
  it("redirects at once while the poll runs on, then shows where the result will appear", async () => {
    await setUp();
    let release: () => void = () => {};
    upstream = await startLocalServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>');
      release = () =>
        res.end("<item><title>Acme Recovery called me</title><guid>g1</guid></item></channel></rss>");
    });
    const [source] = await ctx.deps.db
      .update(sources)
      .set({ config: { url: `${upstream.baseUrl}/slow.xml` } })
      .where(eq(sources.id, ctx.sourceId))
      .returning();
    const res = await ctx.app.request(`/sources/${source!.id}/poll`, authed(admin, { method: "POST" }));
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(decodeURIComponent(location)).toMatch(/^\/sources\?notice=Polling "news-feed" started/);
    // The answer came while the upstream still holds the body: the poll is running, not finished.
    await waitFor(() => upstream!.requests.length === 1);
    const running = await ctx.deps.db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.sourceId, source!.id), isNull(jobRuns.endedAt)));
    expect(running).toHaveLength(1);
    const page = await (await ctx.app.request(location, authed(admin))).text();
    expect(page).toContain("Polling &quot;news-feed&quot; started");
    expect(page).toContain("polling now…");

    release();
    await waitFor(async () => {
      const audit = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, "source.poll"));
      return audit.length === 1;
    });
    const [after] = await ctx.deps.db.select().from(sources).where(eq(sources.id, source!.id));
    expect(after?.health).toBe("ok");
    expect(after?.lastItems).toBe(1);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
