import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../src/platform/http/index.js";
import {
  fakeSleep,
  fixture,
  type LocalServer,
  sendJson,
  startLocalServer,
} from "../test/fixtures/local-server.js";
import { ConnectorError } from "./errors.js";
import type { Cursor } from "./types.js";
import { pacificToDate, yelpConfigSchema, yelpConnector } from "./yelp.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const REVIEWS_PATH = "/v3/businesses/example-recovery-services-san-diego/reviews";
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function context(cursor: Cursor | null, options: { timeoutMs?: number; maxWaitMs?: number } = {}) {
  const clock = fakeSleep();
  return {
    clock,
    ctx: {
      config: yelpConfigSchema.parse({
        apiKey: "yelp-api-key-123",
        businessId: "example-recovery-services-san-diego",
        baseUrl: `${server.baseUrl}/v3`,
      }),
      cursor,
      now: NOW,
      http: createHttpClient({
        allow: "127.0.0.1,localhost",
        sleep: clock.sleep,
        timeoutMs: options.timeoutMs ?? 2_000,
        retries: 2,
        random: () => 0.5,
        ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
      }),
    },
  };
}

// The HTTP client measures waits against the wall clock, so the reset is always hours ahead of it.
const RESET = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 1000) * 1000);
const rateHeaders = (remaining: number) => ({
  "RateLimit-DailyLimit": "300",
  "RateLimit-Remaining": String(remaining),
  "RateLimit-ResetTime": RESET.toISOString().replace(".000Z", "+00:00"),
});

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe("Yelp connector", () => {
  it("reads the three newest excerpts with the API key and says so in the notice", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("yelp", "reviews.json"), rateHeaders(299)));
    const page = await yelpConnector.poll(context(null).ctx);
    expect(page.hasMore).toBe(false);
    expect(page.mentions).toHaveLength(3);
    expect(page.mentions[0]).toMatchObject({
      externalId: "xAG4O7l-t1ubbwVAlPnDKg",
      rating: 1,
      authorName: "Ella A.",
      authorId: "W8UK02IDdRS2GL_66fuq6w",
      replyTarget: null,
      // 11:41:13 Pacific standard time in November is 19:41:13 UTC.
      createdAt: new Date("2026-11-21T19:41:13Z"),
      url: "https://www.yelp.com/biz/example-recovery-services-san-diego?hrid=xAG4O7l-t1ubbwVAlPnDKg",
    });
    const request = server.requests[0];
    expect(request?.path).toBe(REVIEWS_PATH);
    expect(request?.headers.authorization).toBe("Bearer yelp-api-key-123");
    expect(request?.url.searchParams.get("sort_by")).toBe("newest");
    expect(yelpConnector.notice).toMatch(/three/);
    expect(yelpConnector.reply).toBeUndefined();
  });

  it("converts Pacific time on both sides of daylight saving", () => {
    expect(pacificToDate("2026-07-04 09:00:00")).toEqual(new Date("2026-07-04T16:00:00Z"));
    expect(pacificToDate("2026-01-15 23:30:00")).toEqual(new Date("2026-01-16T07:30:00Z"));
  });

  it("returns each review once across repeated polls", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("yelp", "reviews.json")));
    const first = await yelpConnector.poll(context(null).ctx);
    const repeat = await yelpConnector.poll(context(first.cursor).ctx);
    expect(repeat.mentions).toEqual([]);

    const body = JSON.parse(fixture("yelp", "reviews.json"));
    body.reviews.unshift({
      ...body.reviews[0],
      id: "NEWREVIEW000000000000a",
      time_created: "2026-11-22 08:00:00",
    });
    body.reviews.pop();
    server.handle((_req, res) => sendJson(res, 200, body));
    const next = await yelpConnector.poll(context(repeat.cursor).ctx);
    expect(next.mentions.map((m) => m.externalId)).toEqual(["NEWREVIEW000000000000a"]);
  });

  it("handles a business with no reviews", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("yelp", "reviews-empty.json")));
    const page = await yelpConnector.poll(context(null).ctx);
    expect(page).toEqual({ mentions: [], cursor: { seenIds: [] }, hasMore: false });
  });

  it("backs off on the per-second limit and succeeds", async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 429, fixture("yelp", "error-429-qps.json"), rateHeaders(250));
      return sendJson(res, 200, fixture("yelp", "reviews.json"), rateHeaders(249));
    });
    const { ctx, clock } = context(null);
    const page = await yelpConnector.poll(ctx);
    expect(page.mentions).toHaveLength(3);
    expect(clock.waits).toHaveLength(1);
    expect(clock.waits[0]).toBeLessThan(2_000);
  });

  it("stops until RateLimit-ResetTime when the daily limit is used up", async () => {
    server.handle((_req, res) => sendJson(res, 429, fixture("yelp", "error-429-daily.json"), rateHeaders(0)));
    const { ctx, clock } = context(null, { maxWaitMs: 60_000 });
    const error = await failure(yelpConnector.poll(ctx));
    expect(error.failure).toBe("rate_limited");
    expect(error.options.retryAt).toEqual(RESET);
    expect(error.message).toContain("daily API limit");
    // The window is hours away: no in-process waiting, one request only.
    expect(clock.waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("says which credential to fix when the key is refused", async () => {
    server.handle((_req, res) => sendJson(res, 401, fixture("yelp", "error-401.json")));
    const error = await failure(yelpConnector.poll(context(null).ctx));
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("apiKey");
    expect(error.message).toContain("Invalid access token");
  });

  it("explains an unknown business id", async () => {
    server.handle((_req, res) => sendJson(res, 404, fixture("yelp", "error-404.json")));
    const error = await failure(yelpConnector.poll(context(null).ctx));
    expect(error.failure).toBe("config");
    expect(error.message).toContain("businessId");
  });

  it("rejects malformed JSON and a review without a user as payload errors", async () => {
    server.handle((_req, res) => sendJson(res, 200, '{"reviews": [{"id": "x", '));
    expect((await failure(yelpConnector.poll(context(null).ctx))).failure).toBe("payload");

    const body = JSON.parse(fixture("yelp", "reviews.json"));
    delete body.reviews[2].user;
    server.handle((_req, res) => sendJson(res, 200, body));
    const error = await failure(yelpConnector.poll(context(null).ctx));
    expect(error.failure).toBe("payload");
    expect(error.message).toContain("reviews.2.user");
  });

  it("times out a request that never answers", async () => {
    server.handle(() => {});
    const error = await failure(yelpConnector.poll(context(null, { timeoutMs: 100 }).ctx));
    expect(error.failure).toBe("transient");
  });
  it("test connection says how many excerpts Yelp shows", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("yelp", "reviews.json")));
    const { testConnection } = yelpConnector;
    // Called unbound, as a UI handler might.
    const report = await testConnection?.(context(null).ctx);
    expect(report).toBe(
      "Connected to Yelp business example-recovery-services-san-diego: 3 review excerpts visible (Yelp shows at most three).",
    );
  });
});
