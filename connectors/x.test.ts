// twitter-api-v2 only speaks https to api.x.com, so msw intercepts the real host; nothing reaches the network.
// msw intercepts fetch as well, so every scenario runs over both transports (the library and the fetch path
// that Workers use) and must come out the same.
import { createHmac } from "node:crypto";
import { delay, HttpResponse, http, passthrough } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../src/platform/http/index.js";
import { fakeSleep, fixture, sendJson, startLocalServer } from "../test/fixtures/local-server.js";
import { ConnectorError } from "./errors.js";
import type { Cursor, PollPage } from "./types.js";
import { createXConnector, type XConfig, xConfigSchema } from "./x.js";
import { oauth1Header, percentEncode, type XTransportName } from "./x-fetch.js";

const SEARCH = "https://api.x.com/2/tweets/search/recent";
const NOW = new Date("2026-11-20T12:00:00Z");
const BEARER =
  "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function baseConfig(extra: Record<string, unknown> = {}): XConfig {
  return xConfigSchema.parse({
    query: '"Acme Recovery" OR @AcmeRecovery -is:retweet',
    bearerToken: BEARER,
    ...extra,
  });
}

/** Real-looking rate-limit headers; the reset is in the future, as X sends it. */
function limits(remaining: number, resetInSeconds = 900): Record<string, string> {
  return {
    "x-rate-limit-limit": "450",
    "x-rate-limit-remaining": String(remaining),
    "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + resetInSeconds),
  };
}

function json(body: string, status = 200, headers: Record<string, string> = {}) {
  return new HttpResponse(body, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

function connector(extra: Parameters<typeof createXConnector>[0] = {}) {
  const clock = fakeSleep();
  return {
    x: createXConnector({
      sleep: clock.sleep,
      random: () => 0.5,
      timeoutMs: 2_000,
      onWorkers: () => false,
      ...extra,
    }),
    clock,
  };
}

/**
 * Checks an OAuth 1.0a header the way X does: rebuild the signature base string from the request and the
 * header's own oauth_* fields, and compare HMAC-SHA1 under the consumer and token secrets.
 */
function oauthSignatureValid(
  method: string,
  url: string,
  header: string,
  secrets: [string, string],
): boolean {
  const fields: Record<string, string> = Object.fromEntries(
    [...header.replace(/^OAuth /, "").matchAll(/([a-z_]+)="([^"]*)"/g)].map(([, k, v]) => [
      k,
      decodeURIComponent(v ?? ""),
    ]),
  );
  const { oauth_signature: signature, ...signed } = fields;
  const target = new URL(url);
  const params = [...target.searchParams, ...Object.entries(signed)]
    .map(([k, v]) => [percentEncode(k), percentEncode(v)])
    .sort(([ak = "", av = ""], [bk = "", bv = ""]) => compareBytes(ak, bk) || compareBytes(av, bv))
    .map(([k, v]) => `${k}=${v}`);
  const base = `${method}&${percentEncode(`${target.origin}${target.pathname}`)}&${percentEncode(params.join("&"))}`;
  const key = secrets.map(percentEncode).join("&");
  return createHmac("sha1", key).update(base).digest("base64") === signature;
}

/** OAuth sorts parameters by byte value, not by locale. */
const compareBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function recordSearches() {
  const seen: URL[] = [];
  const headers: Headers[] = [];
  server.use(
    http.get(SEARCH, ({ request }) => {
      const url = new URL(request.url);
      seen.push(url);
      headers.push(request.headers);
      const page = url.searchParams.get("next_token") ? "search-page2.json" : "search-page1.json";
      return json(fixture("x", page), 200, limits(440));
    }),
  );
  return { seen, headers };
}

describe.each(["library", "fetch"] as const)(
  "X connector over the %s transport",
  (transport: XTransportName) => {
    const config = (extra: Record<string, unknown> = {}) => baseConfig({ transport, ...extra });

    /** Requests that went through the shared fetch client (the library path never uses it). */
    let viaFetch = 0;
    const countingFetch: typeof fetch = (input, init) => {
      viaFetch++;
      return fetch(input, init);
    };
    const ctx = (cursor: Cursor | null, extra: { since?: Date; cfg?: XConfig; now?: Date } = {}) => ({
      config: extra.cfg ?? config(),
      cursor,
      since: extra.since,
      now: extra.now ?? NOW,
      http: createHttpClient({ allow: "127.0.0.1,localhost", fetch: countingFetch }),
    });

    describe("polling", () => {
      it("pages with next_token and moves since_id only after the last page", async () => {
        const { seen, headers } = recordSearches();
        const { x } = connector();
        const first: PollPage = await x.poll(ctx(null));
        expect(first.mentions.map((m) => m.externalId)).toEqual([
          "2123746191474302721",
          "2123741334469347906",
          "2123735055595057937",
        ]);
        expect(first.hasMore).toBe(true);
        // Not yet: a crash here must not skip page 2 on the next run.
        expect(first.cursor).toEqual({
          pendingNewestId: "2123746191474302721",
          startTime: "2026-11-13T12:10:00.000Z",
          nextToken: "b26v89c19zqg8o3fosqxydg0l9hy5ghz0wa1yf93mncr1",
        });

        const second = await x.poll(ctx(first.cursor));
        expect(second.mentions).toHaveLength(2);
        expect(second.hasMore).toBe(false);
        expect(second.cursor).toEqual({ sinceId: "2123746191474302721" });

        expect(headers[0]?.get("authorization")).toBe(`Bearer ${BEARER}`);
        const q = Object.fromEntries(seen[0]?.searchParams ?? []);
        expect(q).toMatchObject({
          query: '"Acme Recovery" OR @AcmeRecovery -is:retweet',
          max_results: "100",
          expansions: "author_id",
          start_time: "2026-11-13T12:10:00.000Z",
          "user.fields": "username,name,verified,public_metrics",
        });
        expect(q["tweet.fields"]).toContain("public_metrics");
        expect(seen[1]?.searchParams.get("next_token")).toBe("b26v89c19zqg8o3fosqxydg0l9hy5ghz0wa1yf93mncr1");
        expect(seen[1]?.searchParams.get("start_time")).toBe("2026-11-13T12:10:00.000Z"); // same query on every page

        const third = await x.poll(ctx(second.cursor));
        expect(seen[2]?.searchParams.get("since_id")).toBe("2123746191474302721");
        expect(seen[2]?.searchParams.has("start_time")).toBe(false);
        // page 1 again carries a next_token: since_id stays put while the new run is in progress
        expect(third.cursor).toMatchObject({ sinceId: "2123746191474302721", nextToken: expect.any(String) });
        expect(third.cursor?.startTime).toBeUndefined();
        expect(viaFetch).toBe(transport === "fetch" ? 3 : 0);
      });

      it("expands authors: handle, name, url and reach from followers + retweets + likes", async () => {
        recordSearches();
        const page = await connector().x.poll(ctx(null));
        expect(page.mentions[1]).toMatchObject({
          externalId: "2123741334469347906",
          url: "https://x.com/mbell/status/2123741334469347906",
          authorHandle: "mbell",
          authorName: "Marcus Bell",
          authorId: "98231177",
          reach: 12870 + 14 + 61,
          language: "en",
          threadId: "2123741334469347906",
          replyTarget: "2123741334469347906",
        });
        expect(page.mentions[0]?.meta?.inReplyToUserId).toBe("1196300224562397184");
        expect(page.mentions[0]?.createdAt.toISOString()).toBe("2026-11-20T11:52:04.000Z");
      });

      it("returns an empty page when X has no data array", async () => {
        server.use(http.get(SEARCH, () => json(fixture("x", "search-empty.json"), 200, limits(449))));
        const page = await connector().x.poll(ctx({ sinceId: "2123746191474302721" }));
        expect(page).toEqual({ mentions: [], cursor: { sinceId: "2123746191474302721" }, hasMore: false });
      });

      it("a backfill starts at its since date, clamped to the 7-day window", async () => {
        const { seen } = recordSearches();
        const { x } = connector();
        await x.poll(ctx(null, { since: new Date("2026-11-18T00:00:00Z") }));
        await x.poll(ctx(null, { since: new Date("2026-10-01T00:00:00Z") }));
        expect(seen[0]?.searchParams.get("start_time")).toBe("2026-11-18T00:00:00.000Z");
        expect(seen[1]?.searchParams.get("start_time")).toBe("2026-11-13T12:10:00.000Z");
      });

      it("starts again at the edge of the 7-day window when the stored position has fallen out of it", async () => {
        const { seen } = recordSearches();
        const { x } = connector();
        // 2123746191474302721 was posted 2026-11-20T11:52:04Z; ten days later X would reject it as since_id.
        const tenDaysLater = new Date(NOW.getTime() + 10 * 86_400_000);
        await x.poll(ctx({ sinceId: "2123746191474302721" }, { now: tenDaysLater }));
        expect(seen[0]?.searchParams.has("since_id")).toBe(false);
        expect(seen[0]?.searchParams.get("start_time")).toBe("2026-11-23T12:10:00.000Z");
        await x.poll(ctx({ sinceId: "2123746191474302721" }, { now: new Date(NOW.getTime() + 86_400_000) }));
        expect(seen[1]?.searchParams.get("since_id")).toBe("2123746191474302721");
        // A run paused past the edge (its start_time would now be refused) starts over instead of failing forever.
        const stale = {
          startTime: "2026-11-13T12:10:00.000Z",
          nextToken: "b26v89c19zqg8o3fosqxydg0l9hy5ghz0wa1yf93mncr1",
        };
        await x.poll(ctx(stale, { now: new Date(NOW.getTime() + 20 * 60_000) }));
        expect(seen[2]?.searchParams.has("next_token")).toBe(false);
        expect(seen[2]?.searchParams.get("start_time")).toBe("2026-11-13T12:30:00.000Z");
      });

      it("429 mid-run: reports rate_limited at x-rate-limit-reset and resumes from the kept next_token", async () => {
        let calls = 0;
        const reset = Math.floor(Date.now() / 1000) + 600;
        server.use(
          http.get(SEARCH, ({ request }) => {
            calls++;
            if (new URL(request.url).searchParams.get("next_token")) {
              return json(fixture("x", "error-429.json"), 429, {
                "x-rate-limit-limit": "450",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": String(reset),
              });
            }
            return json(fixture("x", "search-page1.json"), 200, limits(1));
          }),
        );
        const { x, clock } = connector();
        const first = await x.poll(ctx(null));
        const error = await x.poll(ctx(first.cursor)).catch((e) => e);
        expect(error).toBeInstanceOf(ConnectorError);
        expect(error.failure).toBe("rate_limited");
        expect(error.options.retryAt.getTime()).toBe(reset * 1000);
        expect(clock.waits).toEqual([]); // 10 minutes is longer than it waits in-process
        expect(calls).toBe(2);

        recordSearches();
        const resumed = await x.poll(ctx(first.cursor));
        expect(resumed.mentions.map((m) => m.externalId)).toEqual([
          "2123676268232949764",
          "2123664012474219040",
        ]);
        expect(resumed.cursor).toEqual({ sinceId: "2123746191474302721" });
      });

      it("429 with a reset a few seconds away: waits for it and retries", async () => {
        let calls = 0;
        server.use(
          http.get(SEARCH, () => {
            calls++;
            if (calls === 1) return json(fixture("x", "error-429.json"), 429, limits(0, 5));
            return json(fixture("x", "search-page1.json"), 200, limits(449));
          }),
        );
        const { x, clock } = connector();
        const page = await x.poll(ctx(null));
        expect(page.mentions).toHaveLength(3);
        expect(clock.waits).toHaveLength(1);
        expect(clock.waits[0]).toBeGreaterThan(3_000);
        expect(clock.waits[0]).toBeLessThanOrEqual(5_000);
      });

      it("429 from the 24-hour user cap: waits for that cap's reset, not the 15-minute window's", async () => {
        const now = Math.floor(Date.now() / 1000);
        server.use(
          http.get(SEARCH, () =>
            json(fixture("x", "error-429.json"), 429, {
              ...limits(300, 600),
              "x-user-limit-24hour-limit": "1000",
              "x-user-limit-24hour-remaining": "0",
              "x-user-limit-24hour-reset": String(now + 7_200),
            }),
          ),
        );
        const error = await connector()
          .x.poll(ctx(null))
          .catch((e) => e);
        expect(error.failure).toBe("rate_limited");
        expect(error.options.retryAt.getTime()).toBe((now + 7_200) * 1000);
      });

      it("remaining=0 on a good page: keeps the page and pauses the next request until the reset", async () => {
        const resetSeconds = Math.floor(NOW.getTime() / 1000) + 300;
        let calls = 0;
        server.use(
          http.get(SEARCH, () => {
            calls++;
            return json(fixture("x", "search-page1.json"), 200, {
              "x-rate-limit-limit": "450",
              "x-rate-limit-remaining": "0",
              "x-rate-limit-reset": String(resetSeconds),
            });
          }),
        );
        const { x } = connector();
        const page = await x.poll(ctx(null));
        expect(page.mentions).toHaveLength(3);
        expect(page.cursor?.pausedUntil).toBe(new Date(resetSeconds * 1000).toISOString());
        const error = await x.poll(ctx(page.cursor, { now: new Date(NOW.getTime() + 1000) })).catch((e) => e);
        expect(error.failure).toBe("rate_limited");
        expect(error.options.retryAt.getTime()).toBe(resetSeconds * 1000);
        expect(calls).toBe(1);
      });

      it("retries 5xx with backoff and jitter, then gives up as transient", async () => {
        let calls = 0;
        server.use(
          http.get(SEARCH, () => {
            calls++;
            return json(fixture("x", "error-503.json"), 503);
          }),
        );
        const { x, clock } = connector({ retries: 2, baseDelayMs: 400 });
        const error = await x.poll(ctx(null)).catch((e) => e);
        expect(error.failure).toBe("transient");
        expect(error.message).toContain("503");
        expect(calls).toBe(3);
        expect(clock.waits).toEqual([300, 600]); // equal jitter with random()=0.5
      });

      it("names the bearer token on 401", async () => {
        server.use(http.get(SEARCH, () => json(fixture("x", "error-401.json"), 401)));
        const error = await connector()
          .x.poll(ctx(null))
          .catch((e) => e);
        expect(error.failure).toBe("auth");
        expect(error.message).toContain("bearerToken");
      });

      it("rejects malformed JSON and unexpected payloads as payload errors naming the field", async () => {
        const page = fixture("x", "search-page1.json");
        server.use(http.get(SEARCH, () => json(page.slice(0, 200))));
        const truncated = await connector()
          .x.poll(ctx(null))
          .catch((e) => e);
        expect(truncated.failure).toBe("payload");
        expect(truncated.message).toContain("not JSON");

        const broken = JSON.parse(page);
        delete broken.data[2].created_at;
        server.use(http.get(SEARCH, () => HttpResponse.json(broken)));
        const error = await connector()
          .x.poll(ctx(null))
          .catch((e) => e);
        expect(error.failure).toBe("payload");
        expect(error.message).toContain("data.2.created_at");

        server.use(
          http.get(SEARCH, () => new HttpResponse("<html>upstream connect error</html>", { status: 200 })),
        );
        const html = await connector()
          .x.poll(ctx(null))
          .catch((e) => e);
        expect(html.failure).toBe("payload");
      });

      it("times out a request that never answers, and reports a dropped connection as transient", async () => {
        server.use(
          http.get(SEARCH, async () => {
            await delay("infinite");
            return json("{}");
          }),
        );
        const slow = await connector({ timeoutMs: 100, retries: 0 })
          .x.poll(ctx(null))
          .catch((e) => e);
        expect(slow.failure).toBe("transient");
        expect(slow.message).toContain("did not answer within 100 ms");

        server.use(http.get(SEARCH, () => HttpResponse.error()));
        const dropped = await connector({ retries: 0 })
          .x.poll(ctx(null))
          .catch((e) => e);
        expect(dropped.failure).toBe("transient");
        expect(dropped.message).toContain("could not reach api.x.com");
      });
    });

    describe("test connection", () => {
      it("makes one small search with the bearer token and reports what it found", async () => {
        const seen: URL[] = [];
        server.use(
          http.get(SEARCH, ({ request }) => {
            seen.push(new URL(request.url));
            return json(fixture("x", "search-page2.json"), 200, limits(448));
          }),
        );
        const message = await connector().x.testConnection?.(ctx(null));
        expect(message).toBe(
          "X accepted the bearer token: 2 recent posts match; 448 searches left in this window",
        );
        expect(seen[0]?.searchParams.get("max_results")).toBe("10");
      });
    });

    describe("replies", () => {
      const posting = () =>
        config({
          appKey: "xvz1evFS4wEEPTGEFPHBog",
          appSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
          accessToken: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
          accessSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        });

      it("posts /2/tweets with reply.in_reply_to_tweet_id, signed with OAuth 1.0a", async () => {
        const sent: { method: string; url: string; headers: Headers; body: unknown }[] = [];
        server.use(
          http.post("https://api.x.com/2/tweets", async ({ request }) => {
            sent.push({
              method: request.method,
              url: request.url,
              headers: request.headers,
              body: await request.json(),
            });
            return json(fixture("x", "tweet-created.json"), 201);
          }),
        );
        const text =
          "@danar_tx We're sorry to hear this. Please reach our Customer Care team privately at acme.example/contact. — Acme Care";
        const result = await connector().x.reply?.(ctx(null, { cfg: posting() }), {
          target: "2123746191474302721",
          text,
        });
        expect(result).toEqual({
          externalId: "2123748481561646529",
          url: "https://x.com/i/web/status/2123748481561646529",
        });
        expect(sent).toHaveLength(1);
        const [request] = sent;
        expect(request?.method).toBe("POST");
        expect(request?.url).toBe("https://api.x.com/2/tweets");
        expect(request?.body).toEqual({ text, reply: { in_reply_to_tweet_id: "2123746191474302721" } });
        expect(request?.headers.get("content-type")).toContain("application/json");
        const auth = request?.headers.get("authorization") ?? "";
        expect(auth).toMatch(/^OAuth /);
        expect(auth).toContain('oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog"');
        expect(auth).toContain('oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"');
        expect(auth).toContain('oauth_signature_method="HMAC-SHA1"');
        expect(auth).toMatch(/oauth_signature="[^"]+"/);
        expect(
          oauthSignatureValid("POST", "https://api.x.com/2/tweets", auth, [
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
          ]),
        ).toBe(true);
        expect(oauthSignatureValid("POST", "https://api.x.com/2/tweets", auth, ["wrong", "secrets"])).toBe(
          false,
        );
      });

      it("never retries a reply, refuses without user keys or over 280 characters", async () => {
        let calls = 0;
        server.use(
          http.post("https://api.x.com/2/tweets", () => {
            calls++;
            return json(fixture("x", "error-503.json"), 503);
          }),
        );
        const { x } = connector({ retries: 3 });
        const failed = await x
          .reply?.(ctx(null, { cfg: posting() }), { target: "2123746191474302721", text: "Hi" })
          .catch((e) => e);
        expect(failed.failure).toBe("transient");
        expect(calls).toBe(1);

        const noKeys = await x
          .reply?.(ctx(null), { target: "2123746191474302721", text: "Hi" })
          .catch((e) => e);
        expect(noKeys.failure).toBe("config");
        expect(noKeys.message).toContain("accessSecret");

        const long = await x
          .reply?.(ctx(null, { cfg: posting() }), { target: "1", text: "a".repeat(281) })
          .catch((e) => e);
        expect(long.failure).toBe("config");
        expect(calls).toBe(1);
      });

      it("reports a conversation that does not accept the reply as unsupported, not as a credential problem", async () => {
        server.use(
          http.post("https://api.x.com/2/tweets", () =>
            json(fixture("x", "error-403-reply-restricted.json"), 403, { "x-rate-limit-remaining": "99" }),
          ),
        );
        const error = await connector()
          .x.reply?.(ctx(null, { cfg: posting() }), { target: "2123746191474302721", text: "Hi" })
          .catch((e) => e);
        expect(error.failure).toBe("unsupported");
        expect(error.message).toContain("Reply to this conversation is not allowed");
      });

      it("names the user keys when X refuses them", async () => {
        server.use(http.post("https://api.x.com/2/tweets", () => json(fixture("x", "error-401.json"), 401)));
        const error = await connector()
          .x.reply?.(ctx(null, { cfg: posting() }), { target: "2123746191474302721", text: "Hi" })
          .catch((e) => e);
        expect(error.failure).toBe("auth");
        expect(error.message).toContain("accessToken");
      });

      it("validates its configuration", () => {
        expect(xConfigSchema.safeParse({ query: "acme" }).success).toBe(false);
        expect(xConfigSchema.safeParse({ query: "acme", bearerToken: BEARER, appKey: "k" }).success).toBe(
          false,
        );
        expect(xConfigSchema.parse({ query: "acme", bearerToken: BEARER }).maxResults).toBe(100);
      });
    });
  },
);

describe("X connector: choosing the transport", () => {
  function countingClient() {
    const calls: string[] = [];
    const http = createHttpClient({
      allow: "127.0.0.1,localhost",
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    });
    return { http, calls };
  }

  it("uses twitter-api-v2 on Node unless the source asks for fetch, and fetch on Workers whatever it asks", async () => {
    const run = async (onWorkers: boolean, transport?: XTransportName) => {
      recordSearches();
      const { http, calls } = countingClient();
      const x = createXConnector({ onWorkers: () => onWorkers, timeoutMs: 2_000 });
      const page = await x.poll({
        config: baseConfig(transport ? { transport } : {}),
        cursor: null,
        now: NOW,
        http,
      });
      expect(page.mentions).toHaveLength(3);
      return calls.length;
    };
    expect(await run(false)).toBe(0);
    expect(await run(false, "library")).toBe(0);
    expect(await run(false, "fetch")).toBe(1);
    expect(await run(true)).toBe(1);
    expect(await run(true, "library")).toBe(1);
  });

  it("sends every call to a configured API root (an egress proxy) over fetch, even when the library is the default", async () => {
    // The proxy is a real local server; msw lets loopback through and would fail the test on any api.x.com call.
    server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
    const proxy = await startLocalServer((request, res) =>
      request.path === "/x-proxy/2/tweets/search/recent"
        ? sendJson(res, 200, fixture("x", "search-page1.json"), limits(440))
        : sendJson(res, 404, { title: "Not Found Error" }),
    );
    try {
      const x = createXConnector({ onWorkers: () => false, timeoutMs: 2_000 });
      const page = await x.poll({
        config: baseConfig({ apiBaseUrl: `${proxy.baseUrl}/x-proxy/2` }),
        cursor: null,
        now: NOW,
        http: createHttpClient({ allow: "127.0.0.1,localhost" }),
      });
      expect(page.mentions.map((m) => m.externalId)).toHaveLength(3);
      expect(proxy.requests).toHaveLength(1);
      expect(proxy.requests[0]?.headers.authorization).toBe(`Bearer ${BEARER}`);
      expect(proxy.requests[0]?.url.searchParams.get("query")).toBe(
        '"Acme Recovery" OR @AcmeRecovery -is:retweet',
      );
    } finally {
      await proxy.close();
    }
  });

  it("refuses an API root with the library transport, which cannot reach it", () => {
    const parsed = xConfigSchema.safeParse({
      query: "acme",
      bearerToken: BEARER,
      transport: "library",
      apiBaseUrl: "http://127.0.0.1:9/2",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/apiBaseUrl works only with the fetch transport/);
  });

  it("rejects an unknown transport in the configuration", () => {
    expect(xConfigSchema.safeParse({ query: "acme", bearerToken: BEARER, transport: "curl" }).success).toBe(
      false,
    );
  });
});

describe("X connector: OAuth 1.0a signing", () => {
  it("reproduces the worked example in X's 'Creating a signature' guide", () => {
    // https://developer.x.com/en/docs/authentication/oauth-1-0a/creating-a-signature: the documented inputs
    // and the documented result.
    const header = oauth1Header(
      "post",
      new URL("https://api.twitter.com/1.1/statuses/update.json?include_entities=true"),
      {
        appKey: "xvz1evFS4wEEPTGEFPHBog",
        appSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        accessToken: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        accessSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
      },
      {
        nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
        timestamp: 1318622958,
        bodyParams: { status: "Hello Ladies + Gentlemen, a signed OAuth request!" },
      },
    );
    expect(header).toContain(`oauth_signature="${percentEncode("hCtSmYh+iHYCEqBWrE7C7hYmtUk=")}"`);
    expect(header).toContain('oauth_timestamp="1318622958"');
  });

  it("percent-encodes as RFC 3986 requires", () => {
    expect(percentEncode("Ladies + Gentlemen!*'()")).toBe("Ladies%20%2B%20Gentlemen%21%2A%27%28%29");
  });
});
