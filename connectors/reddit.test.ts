import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient, type HttpClient } from "../src/platform/http/index.js";
import {
  fakeSleep,
  fixture,
  type LocalServer,
  sendJson,
  startLocalServer,
} from "../test/fixtures/local-server.js";
import { ConnectorError } from "./errors.js";
import { type RedditConfig, redditConfigSchema, redditConnector } from "./reddit.js";
import type { Cursor, PollPage } from "./types.js";

const NOW = new Date("2026-11-20T12:00:00Z");
const UA = "node:rapport-test:v0.1.0 (by /u/acme_care)";
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function config(extra: Record<string, unknown> = {}): RedditConfig {
  return redditConfigSchema.parse({
    query: '"Acme Recovery"',
    clientId: "p-jcoLKBynTLew",
    clientSecret: "gko_LXELoV07ZBNUXrvWZfzE3aI",
    userAgent: UA,
    baseUrl: server.baseUrl,
    wwwBaseUrl: server.baseUrl,
    pageSize: 3,
    ...extra,
  });
}

function testHttp(options: Parameters<typeof createHttpClient>[0] = {}) {
  const clock = fakeSleep();
  return {
    http: createHttpClient({
      allow: "127.0.0.1,localhost",
      sleep: clock.sleep,
      timeoutMs: 2_000,
      retries: 2,
      ...options,
    }),
    clock,
  };
}

function poll(
  cursor: Cursor | null,
  opts: { cfg?: RedditConfig; http?: HttpClient; since?: Date; now?: Date } = {},
) {
  return redditConnector.poll({
    config: opts.cfg ?? config(),
    cursor,
    since: opts.since,
    now: opts.now ?? NOW,
    http: opts.http ?? testHttp().http,
  });
}

const rateHeaders = (remaining: string, reset: string) => ({
  "x-ratelimit-used": "37",
  "x-ratelimit-remaining": remaining,
  "x-ratelimit-reset": reset,
});

function serveApi() {
  server.handle((req, res) => {
    if (req.path === "/api/v1/access_token") return sendJson(res, 200, fixture("reddit", "token-app.json"));
    if (req.path === "/search") {
      const page =
        req.url.searchParams.get("after") === "t3_1gw6a0c" ? "search-page2.json" : "search-page1.json";
      return sendJson(res, 200, fixture("reddit", page), rateHeaders("62.0", "318"));
    }
    res.writeHead(404).end();
  });
}

async function drain(first: Cursor | null, opts: Parameters<typeof poll>[1] = {}) {
  const pages: PollPage[] = [];
  let cursor = first;
  do {
    const page: PollPage = await poll(cursor, opts);
    pages.push(page);
    cursor = page.cursor;
  } while (pages.at(-1)?.hasMore);
  return { pages, cursor };
}

describe("Reddit connector (OAuth)", () => {
  it("gets an app-only token once, searches sort=new with raw_json and its User-Agent, and pages with after", async () => {
    serveApi();
    const { http } = testHttp();
    const { pages, cursor } = await drain(null, { http });

    expect(pages.map((p) => p.mentions.map((m) => m.externalId))).toEqual([
      ["t3_1gw8k2r", "t3_1gw7qzt", "t3_1gw6a0c"],
      ["t3_1gvz9me"], // the 9-day-old post is before the 7-day first-run window
    ]);
    expect(cursor).toEqual({ newest: { created: NOW.getTime() / 1000 - 20 * 60, name: "t3_1gw8k2r" } });

    const [tokenRequest, search1, search2, ...rest] = server.requests;
    expect(rest).toEqual([]); // one token for the whole run
    expect(tokenRequest?.method).toBe("POST");
    expect(tokenRequest?.headers.authorization).toBe(
      `Basic ${Buffer.from("p-jcoLKBynTLew:gko_LXELoV07ZBNUXrvWZfzE3aI").toString("base64")}`,
    );
    expect(tokenRequest?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(tokenRequest?.body).toBe("grant_type=client_credentials");
    expect(search1?.headers.authorization).toMatch(/^bearer eyJ.*\.app-only$/);
    expect(search1?.headers["user-agent"]).toBe(UA);
    expect(Object.fromEntries(search1?.url.searchParams ?? [])).toEqual({
      q: '"Acme Recovery"',
      sort: "new",
      t: "week",
      limit: "3",
      type: "link",
      raw_json: "1",
    });
    expect(search2?.url.searchParams.get("after")).toBe("t3_1gw6a0c");
  });

  it("normalizes a post: fullname id, permalink url, deleted authors, raw text", async () => {
    serveApi();
    const page = await poll(null);
    const [first, deleted] = page.mentions;
    expect(first).toMatchObject({
      externalId: "t3_1gw8k2r",
      url: "https://www.reddit.com/r/Debt/comments/1gw8k2r/acme_recovery_keeps_calling_my_work_after_i/",
      authorHandle: "quiet_ledger_88",
      authorId: "t2_9x1k2m",
      replyTarget: "t3_1gw8k2r",
      reach: 23,
      meta: { subreddit: "r/Debt", score: 14, numComments: 9 },
    });
    expect(first?.text).toContain(
      "stop contacting me at work & they still do. Is this even legal? <not a lawyer>",
    );
    expect(first?.createdAt.toISOString()).toBe("2026-11-20T11:40:00.000Z");
    expect(deleted?.authorHandle).toBeNull();
  });

  it("on later runs stops at the newest post already seen and keeps the high-water mark", async () => {
    serveApi();
    const mark = { created: NOW.getTime() / 1000 - 95 * 60, name: "t3_1gw7qzt" };
    const page = await poll({ newest: mark });
    // The equal-time post is kept (dedup drops it); nothing older is returned and no second page is asked for.
    expect(page.mentions.map((m) => m.externalId)).toEqual(["t3_1gw8k2r", "t3_1gw7qzt"]);
    expect(page.hasMore).toBe(false);
    expect(page.cursor).toEqual({ newest: { created: NOW.getTime() / 1000 - 20 * 60, name: "t3_1gw8k2r" } });
    expect(server.requests.filter((r) => r.path === "/search")[0]?.url.searchParams.get("t")).toBe("day");
  });

  it("a backfill reaches back to its since date", async () => {
    serveApi();
    const { pages } = await drain(null, { since: new Date("2026-11-01T00:00:00Z") });
    expect(pages.flatMap((p) => p.mentions).map((m) => m.externalId)).toContain("t3_1gvt2kq");
    expect(server.requests.find((r) => r.path === "/search")?.url.searchParams.get("t")).toBe("month");
  });

  it("returns an empty page for no results", async () => {
    server.handle((req, res) =>
      req.path === "/search"
        ? sendJson(res, 200, fixture("reddit", "search-empty.json"))
        : sendJson(res, 200, fixture("reddit", "token-app.json")),
    );
    const page = await poll({ newest: { created: 1, name: "t3_x" } });
    expect(page).toEqual({ mentions: [], cursor: { newest: { created: 1, name: "t3_x" } }, hasMore: false });
  });

  it("on 429 waits the X-Ratelimit-Reset seconds, then succeeds", async () => {
    let searches = 0;
    server.handle((req, res) => {
      if (req.path === "/api/v1/access_token") return sendJson(res, 200, fixture("reddit", "token-app.json"));
      searches++;
      if (searches === 1)
        return sendJson(res, 429, { message: "Too Many Requests", error: 429 }, rateHeaders("0.0", "7"));
      return sendJson(res, 200, fixture("reddit", "search-page1.json"), rateHeaders("99.0", "600"));
    });
    const { http, clock } = testHttp();
    const page = await poll(null, { http });
    expect(page.mentions).toHaveLength(3);
    expect(clock.waits).toHaveLength(1);
    // reset is relative to when the response arrived; allow for test latency
    expect(clock.waits[0]).toBeGreaterThan(6_000);
    expect(clock.waits[0]).toBeLessThanOrEqual(7_000);
  });

  it("on 429 with a long reset gives up with rate_limited and the window end", async () => {
    server.handle((req, res) =>
      req.path === "/api/v1/access_token"
        ? sendJson(res, 200, fixture("reddit", "token-app.json"))
        : sendJson(res, 429, { message: "Too Many Requests", error: 429 }, rateHeaders("0", "540")),
    );
    const { http, clock } = testHttp({ maxWaitMs: 30_000 });
    const error = await poll(null, { http }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.failure).toBe("rate_limited");
    expect(error.options.retryAt.getTime() - Date.now()).toBeGreaterThan(530_000);
    expect(clock.waits).toEqual([]);
  });

  it("when X-Ratelimit-Remaining reaches 0 keeps the page and pauses the next request until the reset", async () => {
    server.handle((req, res) =>
      req.path === "/api/v1/access_token"
        ? sendJson(res, 200, fixture("reddit", "token-app.json"))
        : sendJson(res, 200, fixture("reddit", "search-page1.json"), rateHeaders("0.0", "120")),
    );
    const page = await poll(null);
    expect(page.mentions).toHaveLength(3);
    expect(page.hasMore).toBe(true);
    const pausedUntil = Date.parse(String(page.cursor?.pausedUntil));
    expect(pausedUntil).toBe(NOW.getTime() + 120_000);

    const searchesBefore = server.requests.length;
    const error = await poll(page.cursor, { now: new Date(NOW.getTime() + 60_000) }).catch((e) => e);
    expect(error.failure).toBe("rate_limited");
    expect(error.options.retryAt.getTime()).toBe(pausedUntil);
    expect(server.requests.length).toBe(searchesBefore); // nothing was sent

    serveApi();
    const resumed = await poll(page.cursor, { now: new Date(NOW.getTime() + 121_000) });
    expect(resumed.mentions.map((m) => m.externalId)).toEqual(["t3_1gvz9me"]);
  });

  it("names the credentials on a 401 from the token endpoint", async () => {
    server.handle((_req, res) => sendJson(res, 401, { message: "Unauthorized", error: 401 }));
    const error = await poll(null).catch((e) => e);
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("clientId / clientSecret");
  });

  it("fetches a fresh token once when the search answers 401 with a cached one", async () => {
    let tokens = 0;
    let searches = 0;
    server.handle((req, res) => {
      if (req.path === "/api/v1/access_token") {
        tokens++;
        return sendJson(res, 200, fixture("reddit", "token-app.json"));
      }
      searches++;
      if (searches === 2) return sendJson(res, 401, { message: "Unauthorized", error: 401 });
      return sendJson(res, 200, fixture("reddit", "search-page1.json"));
    });
    const { http } = testHttp();
    await poll(null, { http });
    await poll(null, { http });
    expect(tokens).toBe(2);
    expect(searches).toBe(3);
  });

  it("rejects malformed JSON, truncated bodies and unexpected fields as payload errors", async () => {
    const token = fixture("reddit", "token-app.json");
    const page = fixture("reddit", "search-page1.json");
    const bodies = [
      page.slice(0, page.length / 2),
      "<html><body>Our CDN was unable to reach our servers</body></html>",
    ];
    for (const body of bodies) {
      server.handle((req, res) => sendJson(res, 200, req.path === "/search" ? body : token));
      const error = await poll(null).catch((e) => e);
      expect(error.failure).toBe("payload");
      expect(error.message).toContain("not JSON");
    }
    const broken = JSON.parse(page);
    broken.data.children[2].data.created_utc = "yesterday";
    server.handle((req, res) => sendJson(res, 200, req.path === "/search" ? broken : token));
    const error = await poll(null).catch((e) => e);
    expect(error.failure).toBe("payload");
    expect(error.message).toContain("data.children.2.data.created_utc");
  });

  it("times out a search that never answers", async () => {
    server.handle((req, res) => {
      if (req.path === "/api/v1/access_token") sendJson(res, 200, fixture("reddit", "token-app.json"));
    });
    const { http } = testHttp({ timeoutMs: 100, retries: 1 });
    const error = await poll(null, { http }).catch((e) => e);
    expect(error.failure).toBe("transient");
    expect(error.message).toContain("did not answer within 100 ms");
  });
});

describe("Reddit connector (Atom feed, no credentials)", () => {
  const feedConfig = () =>
    redditConfigSchema.parse({ query: '"Acme Recovery"', wwwBaseUrl: server.baseUrl, userAgent: UA });

  it("reads search.rss with sort=new and parses entries with rss-parser", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/atom+xml; charset=UTF-8" });
      res.end(fixture("reddit", "search.rss"));
    });
    const page = await poll(null, { cfg: feedConfig() });
    expect(server.requests[0]?.path).toBe("/search.rss");
    expect(server.requests[0]?.url.searchParams.get("sort")).toBe("new");
    expect(server.requests[0]?.headers["user-agent"]).toBe(UA);
    expect(page.hasMore).toBe(false);
    expect(page.mentions.map((m) => m.externalId)).toEqual(["t3_1gw8k2r", "t3_1gw6a0c", "t3_1gvz9me"]);
    const [first, , linkOnly] = page.mentions;
    expect(first?.authorHandle).toBe("quiet_ledger_88");
    expect(first?.text).toBe(
      "Acme Recovery keeps calling my work after I told them to stop\n\nThey called my office three times this week. I told them in writing to stop contacting me at work & they still do. Is this even legal? <not a lawyer>",
    );
    expect(first?.meta).toMatchObject({ subreddit: "r/Debt", via: "atom" });
    expect(linkOnly?.text).toBe("Acme Recovery payment portal double charged me");
    expect(page.cursor).toEqual({
      newest: { created: Date.parse("2026-11-20T11:40:00Z") / 1000, name: "t3_1gw8k2r" },
    });
  });

  it("treats a non-Atom body as a payload error, a 403 as a credentials problem and a 429 as rate_limited", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><head><title>Blocked</title></head><body>whoa there, pardner!</body></html>");
    });
    const error = await poll(null, { cfg: feedConfig() }).catch((e) => e);
    expect(error.failure).toBe("payload");

    server.handle((_req, res) => sendJson(res, 403, "<html>blocked</html>"));
    const blocked = await poll(null, { cfg: feedConfig() }).catch((e) => e);
    expect(blocked.failure).toBe("auth");
    expect(blocked.message).toContain("clientId / clientSecret");

    server.handle((_req, res) => sendJson(res, 429, "Too Many Requests", rateHeaders("0", "400")));
    const limited = await poll(null, { cfg: feedConfig(), http: testHttp({ maxWaitMs: 1_000 }).http }).catch(
      (e) => e,
    );
    expect(limited.failure).toBe("rate_limited");
  });
});

describe("Reddit test connection", () => {
  it("checks the app credentials with a fresh token, or reads the feed when there are none", async () => {
    server.handle((req, res) =>
      req.path === "/api/v1/access_token"
        ? sendJson(res, 200, fixture("reddit", "token-app.json"))
        : sendJson(res, 200, fixture("reddit", "search-page1.json")),
    );
    const ok = await redditConnector.testConnection?.({
      config: config(),
      cursor: null,
      now: NOW,
      http: testHttp().http,
    });
    expect(ok).toBe("Reddit accepted the app credentials");

    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/atom+xml" });
      res.end(fixture("reddit", "search.rss"));
    });
    const feed = await redditConnector.testConnection?.({
      config: redditConfigSchema.parse({ query: "acme", wwwBaseUrl: server.baseUrl }),
      cursor: null,
      now: NOW,
      http: testHttp().http,
    });
    expect(feed).toContain("public feed answered with 3 posts");
  });
});

describe("Reddit replies", () => {
  const postingConfig = () => config({ username: "acme_care", password: "hunter2-but-longer" });

  it("gets a user token with the password grant and posts /api/comment with thing_id and text", async () => {
    server.handle((req, res) => {
      if (req.path === "/api/v1/access_token")
        return sendJson(res, 200, fixture("reddit", "token-user.json"));
      if (req.path === "/api/comment") return sendJson(res, 200, fixture("reddit", "comment-ok.json"));
      res.writeHead(404).end();
    });
    const text =
      "We're sorry to hear this. Please reach our Customer Care team privately at acme.example/contact. — Acme Care";
    const result = await redditConnector.reply?.(
      { config: postingConfig(), cursor: null, now: NOW, http: testHttp().http },
      { target: "t3_1gw8k2r", text },
    );
    expect(result).toEqual({
      externalId: "t1_lyq2x7k",
      url: "https://www.reddit.com/r/Debt/comments/1gw8k2r/acme_recovery_keeps_calling_my_work_after_i/lyq2x7k/",
    });
    const [tokenRequest, comment] = server.requests;
    expect(tokenRequest?.body).toBe("grant_type=password&username=acme_care&password=hunter2-but-longer");
    expect(comment?.method).toBe("POST");
    expect(comment?.path).toBe("/api/comment");
    expect(comment?.headers.authorization).toMatch(/^bearer eyJ.*\.user$/);
    expect(comment?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(comment?.headers["user-agent"]).toBe(UA);
    expect(Object.fromEntries(new URLSearchParams(comment?.body))).toEqual({
      api_type: "json",
      thing_id: "t3_1gw8k2r",
      text,
    });
  });

  it("reports Reddit's RATELIMIT answer with its wait, and never retries a post", async () => {
    server.handle((req, res) => {
      if (req.path === "/api/v1/access_token")
        return sendJson(res, 200, fixture("reddit", "token-user.json"));
      return sendJson(res, 200, fixture("reddit", "comment-ratelimit.json"));
    });
    const error = await redditConnector
      .reply?.(
        { config: postingConfig(), cursor: null, now: NOW, http: testHttp().http },
        { target: "t3_1gw8k2r", text: "Hi" },
      )
      .catch((e) => e);
    expect(error.failure).toBe("rate_limited");
    expect(error.options.retryAt.getTime()).toBe(NOW.getTime() + 9 * 60_000);

    server.requests.length = 0;
    server.handle((req, res) => {
      if (req.path === "/api/v1/access_token")
        return sendJson(res, 200, fixture("reddit", "token-user.json"));
      return sendJson(res, 502, "<html>bad gateway</html>");
    });
    const failed = await redditConnector
      .reply?.(
        { config: postingConfig(), cursor: null, now: NOW, http: testHttp().http },
        { target: "t3_1gw8k2r", text: "Hi" },
      )
      .catch((e) => e);
    expect(failed.failure).toBe("transient");
    expect(server.requests.filter((r) => r.path === "/api/comment")).toHaveLength(1);
  });

  it("names username / password when Reddit answers invalid_grant, and refuses to post without posting credentials", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("reddit", "token-invalid-grant.json")));
    const error = await redditConnector
      .reply?.(
        { config: postingConfig(), cursor: null, now: NOW, http: testHttp().http },
        { target: "t3_1gw8k2r", text: "Hi" },
      )
      .catch((e) => e);
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("username / password");

    const missing = await redditConnector
      .reply?.(
        { config: config(), cursor: null, now: NOW, http: testHttp().http },
        { target: "t3_1gw8k2r", text: "Hi" },
      )
      .catch((e) => e);
    expect(missing.failure).toBe("config");
  });

  it("validates its configuration", () => {
    expect(redditConfigSchema.safeParse({ query: "acme", clientId: "only-id" }).success).toBe(false);
    expect(redditConfigSchema.safeParse({ query: "acme", username: "u" }).success).toBe(false);
    expect(redditConfigSchema.safeParse({ query: "" }).success).toBe(false);
    expect(redditConfigSchema.safeParse({ query: "acme", baseUrl: "localhost" }).success).toBe(false);
    expect(redditConfigSchema.parse({ query: "acme" })).toMatchObject({ pageSize: 100, initialDays: 7 });
  });
});
