import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient, createTokenCache } from "../src/platform/http/index.js";
import {
  fakeSleep,
  fixture,
  type LocalServer,
  sendJson,
  startLocalServer,
} from "../test/fixtures/local-server.js";
import { ConnectorError } from "./errors.js";
import { createGoogleConnector, type GoogleConfig, googleConfigSchema } from "./google.js";
import type { Cursor } from "./types.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const REVIEWS_PATH = "/v4/accounts/1234567890/locations/9876543210/reviews";
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function config(extra: Record<string, unknown> = {}): GoogleConfig {
  return googleConfigSchema.parse({
    clientId: "1234-abc.apps.googleusercontent.com",
    clientSecret: "GOCSPX-secret",
    refreshToken: "1//0gRefreshToken",
    accountId: "accounts/1234567890",
    locationId: "9876543210",
    baseUrl: `${server.baseUrl}/v4`,
    tokenUrl: `${server.baseUrl}/token`,
    ...extra,
  });
}

function context(cursor: Cursor | null, options: { timeoutMs?: number; since?: Date } = {}) {
  const clock = fakeSleep();

  return {
    clock,
    ctx: {
      config: config(),
      cursor,
      now: NOW,
      ...(options.since ? { since: options.since } : {}),
      http: createHttpClient({
        allow: "127.0.0.1,localhost",
        sleep: clock.sleep,
        timeoutMs: options.timeoutMs ?? 2_000,
        retries: 2,
        random: () => 0.5,
      }),
    },
  };
}

/** Serves the token endpoint and the given review pages keyed by pageToken ("" for the first page). */
function serveReviews(pages: Record<string, string>) {
  server.handle((req, res) => {
    if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
    if (req.path === REVIEWS_PATH) {
      const page = pages[req.url.searchParams.get("pageToken") ?? ""];
      return page
        ? sendJson(res, 200, page)
        : sendJson(res, 400, { error: { code: 400, status: "INVALID_ARGUMENT" } });
    }
    return sendJson(res, 404, fixture("google", "error-404.json"));
  });
}

const twoPages = () => ({
  "": fixture("google", "reviews-page1.json"),
  "ABHRLXXr-page2": fixture("google", "reviews-page2.json"),
});

describe("Google Business Profile connector", () => {
  it("exchanges the refresh token once and walks the pages newest first", async () => {
    serveReviews(twoPages());
    // Each context() brings a fresh HTTP client (and its token cache): these polls share one cache explicitly.
    const connector = createGoogleConnector({ tokens: createTokenCache() });
    const first = await connector.poll(context(null).ctx);
    expect(first.hasMore).toBe(true);
    expect(first.mentions.map((m) => m.externalId)).toEqual([
      "AbFvOqmX3kPq1",
      "AbFvOqmX3kPq2",
      "AbFvOqmX3kPq3",
    ]);
    const second = await connector.poll(context(first.cursor).ctx);
    expect(second.hasMore).toBe(false);
    expect(second.mentions.map((m) => m.externalId)).toEqual(["AbFvOqmX3kPq4", "AbFvOqmX3kPq5"]);

    const tokenRequests = server.requests.filter((r) => r.path === "/token");
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.method).toBe("POST");
    expect(Object.fromEntries(new URLSearchParams(tokenRequests[0]?.body))).toEqual({
      grant_type: "refresh_token",
      refresh_token: "1//0gRefreshToken",
      client_id: "1234-abc.apps.googleusercontent.com",
      client_secret: "GOCSPX-secret",
    });
    const listRequests = server.requests.filter((r) => r.path === REVIEWS_PATH);
    expect(listRequests[0]?.headers.authorization).toBe("Bearer ya29.a0AfB_byC-test-access-token");
    expect(listRequests[0]?.url.searchParams.get("orderBy")).toBe("updateTime desc");
    expect(listRequests[0]?.url.searchParams.get("pageSize")).toBe("50");
    expect(listRequests[1]?.url.searchParams.get("pageToken")).toBe("ABHRLXXr-page2");
  });

  it("normalizes star ratings, anonymous reviewers, rating-only reviews and the existing owner reply", async () => {
    serveReviews(twoPages());
    const connector = createGoogleConnector();
    const first = await connector.poll(context(null).ctx);
    const second = await connector.poll(context(first.cursor).ctx);
    const [one, two, five] = first.mentions;
    expect(one).toMatchObject({
      rating: 1,
      authorName: "Marcus Bell",
      createdAt: new Date("2026-11-21T18:22:41.123Z"),
      replyTarget: "accounts/1234567890/locations/9876543210/reviews/AbFvOqmX3kPq1",
      threadId: "AbFvOqmX3kPq1",
      meta: { ownerReply: null },
    });
    expect(two?.rating).toBe(2);
    expect(two?.meta?.ownerReply).toEqual({
      comment:
        "We're sorry to hear about this experience. Please contact our Customer Care team at 1-800-555-0100. — Example Co. Customer Care",
      updatedAt: "2026-11-20T15:00:00Z",
    });
    expect(five).toMatchObject({ rating: 5, authorName: null });
    const ratingOnly = second.mentions[0];
    expect(ratingOnly).toMatchObject({ rating: 3, text: "", meta: { ratingOnly: true } });
  });

  it("returns nothing new on a repeat poll and only the new review once more arrive", async () => {
    serveReviews(twoPages());
    const connector = createGoogleConnector();
    const first = await connector.poll(context(null).ctx);
    const done = await connector.poll(context(first.cursor).ctx);

    const repeat = await connector.poll(context(done.cursor).ctx);
    expect(repeat.mentions).toEqual([]);
    expect(repeat.hasMore).toBe(false);

    serveReviews({ "": fixture("google", "reviews-new.json") });
    const fresh = await connector.poll(context(repeat.cursor).ctx);
    expect(fresh.mentions.map((m) => m.externalId)).toEqual(["AbFvOqmX3kPq6"]);
    expect(fresh.hasMore).toBe(false);
    const again = await connector.poll(context(fresh.cursor).ctx);
    expect(again.mentions).toEqual([]);
  });

  it("resumes mid-sweep from the stored cursor after a crash, losing nothing", async () => {
    serveReviews(twoPages());
    const first = await createGoogleConnector().poll(context(null).ctx);
    // A new process (fresh token cache) picks up from the stored cursor.
    const resumed = await createGoogleConnector().poll(context(JSON.parse(JSON.stringify(first.cursor))).ctx);
    expect(resumed.mentions.map((m) => m.externalId)).toEqual(["AbFvOqmX3kPq4", "AbFvOqmX3kPq5"]);
  });

  it("backfills only reviews updated since the given date", async () => {
    serveReviews(twoPages());
    const page = await createGoogleConnector().poll(
      context(null, { since: new Date("2026-11-20T00:00:00Z") }).ctx,
    );
    expect(page.mentions.map((m) => m.externalId)).toEqual(["AbFvOqmX3kPq1", "AbFvOqmX3kPq2"]);
    expect(page.hasMore).toBe(false);
  });

  it("handles a location with no reviews", async () => {
    serveReviews({ "": fixture("google", "reviews-empty.json") });
    const page = await createGoogleConnector().poll(context(null).ctx);
    expect(page).toMatchObject({ mentions: [], hasMore: false });
  });

  it("names refreshToken when Google refuses the grant", async () => {
    server.handle((_req, res) => sendJson(res, 400, fixture("google", "token-invalid-grant.json")));
    const error = await createGoogleConnector()
      .poll(context(null).ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).failure).toBe("auth");
    expect((error as ConnectorError).message).toContain("refreshToken");
    expect((error as ConnectorError).message).toContain("expired or revoked");
  });

  it("exchanges again once when the API refuses a cached token, then names refreshToken", async () => {
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      return sendJson(res, 401, fixture("google", "error-401.json"));
    });
    const error = (await createGoogleConnector()
      .poll(context(null).ctx)
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("refreshToken");
    expect(server.requests.filter((r) => r.path === "/token")).toHaveLength(2);
  });

  it("explains a permission refusal on the location", async () => {
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      return sendJson(res, 403, fixture("google", "error-403.json"));
    });
    const error = (await createGoogleConnector()
      .poll(context(null).ctx)
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("The caller does not have permission");
    expect(error.message).toContain("accountId, locationId");
  });

  it("retries RESOURCE_EXHAUSTED with backoff, then reports the rate limit", async () => {
    let calls = 0;
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      calls++;
      if (calls === 1) return sendJson(res, 429, fixture("google", "error-429.json"));
      return sendJson(res, 200, fixture("google", "reviews-page2.json"));
    });
    const { ctx, clock } = context(null);
    const page = await createGoogleConnector().poll(ctx);
    expect(page.mentions).toHaveLength(2);
    expect(clock.waits).toHaveLength(1);

    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      return sendJson(res, 429, fixture("google", "error-429.json"));
    });
    const error = (await createGoogleConnector()
      .poll(context(null).ctx)
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.failure).toBe("rate_limited");
    expect(error.retryable).toBe(true);
  });

  it("rejects malformed JSON and unexpected fields as payload errors naming the field", async () => {
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      return sendJson(res, 200, '{"reviews": [{"name": "accounts/1/locations/2/reviews/x", "revie');
    });
    const malformed = (await createGoogleConnector()
      .poll(context(null).ctx)
      .catch((e: unknown) => e)) as ConnectorError;
    expect(malformed.failure).toBe("payload");
    expect(malformed.message).toContain("not JSON");

    const page = JSON.parse(fixture("google", "reviews-page1.json"));
    page.reviews[1].starRating = "SIX";
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      return sendJson(res, 200, page);
    });
    const unexpected = (await createGoogleConnector()
      .poll(context(null).ctx)
      .catch((e: unknown) => e)) as ConnectorError;
    expect(unexpected.failure).toBe("payload");
    expect(unexpected.message).toContain("reviews.1.starRating");
  });

  it("times out a request that never answers", async () => {
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      // never answers
    });
    const error = (await createGoogleConnector()
      .poll(context(null, { timeoutMs: 100 }).ctx)
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.failure).toBe("transient");
    expect(error.message).toContain("did not answer within 100 ms");
  });

  it("puts the owner reply on the review's reply resource", async () => {
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      return sendJson(res, 200, fixture("google", "reply.json"));
    });
    const text =
      "We're sorry to hear about this experience. Please reach our Customer Care team privately at 1-800-555-0100. — Example Co. Customer Care";
    const result = await createGoogleConnector().reply?.(context(null).ctx, {
      target: "accounts/1234567890/locations/9876543210/reviews/AbFvOqmX3kPq1",
      text,
    });
    expect(result).toEqual({
      externalId: "accounts/1234567890/locations/9876543210/reviews/AbFvOqmX3kPq1/reply",
      url: null,
    });
    const sent = server.requests.filter((r) => r.path !== "/token");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe("PUT");
    expect(sent[0]?.path).toBe("/v4/accounts/1234567890/locations/9876543210/reviews/AbFvOqmX3kPq1/reply");
    expect(sent[0]?.headers.authorization).toBe("Bearer ya29.a0AfB_byC-test-access-token");
    expect(sent[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent[0]?.body ?? "")).toEqual({ comment: text });
  });

  it("refuses a reply longer than Google's 4096 bytes without sending it", async () => {
    serveReviews(twoPages());
    const error = (await createGoogleConnector()
      .reply?.(context(null).ctx, { target: "AbFvOqmX3kPq1", text: "é".repeat(2100) })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.failure).toBe("config");
    expect(server.requests.filter((r) => r.path.endsWith("/reply"))).toHaveLength(0);
  });
  it("starts the sweep again from the top when Google refuses an expired page token", async () => {
    serveReviews(twoPages());
    const first = await createGoogleConnector().poll(context(null).ctx);
    // Hours later the token is gone: the server only knows the first page now.
    serveReviews({ "": fixture("google", "reviews-page1.json") });
    const resumed = await createGoogleConnector().poll(context(first.cursor).ctx);
    const tokens = server.requests
      .filter((r) => r.path === REVIEWS_PATH)
      .map((r) => r.url.searchParams.get("pageToken"));
    expect(tokens.slice(-2)).toEqual(["ABHRLXXr-page2", null]);
    expect(resumed.mentions.map((m) => m.externalId)).toEqual([
      "AbFvOqmX3kPq1",
      "AbFvOqmX3kPq2",
      "AbFvOqmX3kPq3",
    ]);
  });

  it("says the project lacks API access when Google answers with a quota of 0", async () => {
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      const body = JSON.parse(fixture("google", "error-429.json"));
      body.error.details = [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "RATE_LIMIT_EXCEEDED",
          domain: "googleapis.com",
          metadata: { quota_limit_value: "0", quota_metric: "mybusiness.googleapis.com/default_requests" },
        },
      ];
      return sendJson(res, 429, body);
    });
    const error = (await createGoogleConnector()
      .poll(context(null).ctx)
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("quota is 0");
  });

  it("test connection reports the location's review count", async () => {
    serveReviews(twoPages());
    const report = await createGoogleConnector().testConnection?.(context(null).ctx);
    expect(report).toBe(
      "Connected to Google Business Profile location 9876543210: 5 reviews, average 2.7 stars.",
    );
    expect(server.requests.find((r) => r.path === REVIEWS_PATH)?.url.searchParams.get("pageSize")).toBe("1");
  });
});
