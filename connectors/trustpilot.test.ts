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
import { createTrustpilotConnector, type TrustpilotConfig, trustpilotConfigSchema } from "./trustpilot.js";
import type { Cursor } from "./types.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const BU = "507f191e810c19729de860ea";
const REVIEWS_PATH = `/v1/business-units/${BU}/reviews`;
const TOKEN_PATH = "/v1/oauth/oauth-business-users-for-applications/accesstoken";
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function config(extra: Record<string, unknown> = {}): TrustpilotConfig {
  return trustpilotConfigSchema.parse({
    apiKey: "tp-api-key",
    businessUnitId: BU,
    baseUrl: `${server.baseUrl}/v1`,
    perPage: 2,
    ...extra,
  });
}

const replyCredentials = {
  apiSecret: "tp-api-secret",
  username: "care@examplerecovery.com",
  password: "correct horse",
  authorBusinessUserId: "5f0c1e2d3a4b5c6d7e8f9012",
};

function context(cursor: Cursor | null, options: { timeoutMs?: number; cfg?: TrustpilotConfig } = {}) {
  const clock = fakeSleep();
  return {
    config: options.cfg ?? config(),
    cursor,
    now: NOW,
    http: createHttpClient({
      allow: "127.0.0.1,localhost",
      sleep: clock.sleep,
      timeoutMs: options.timeoutMs ?? 2_000,
      retries: 2,
      random: () => 0.5,
    }),
  };
}

function servePages(pages: Record<string, string>) {
  server.handle((req, res) => {
    if (req.path !== REVIEWS_PATH) return sendJson(res, 404, { message: "Not found" });
    const page = pages[req.url.searchParams.get("page") ?? "1"];
    return sendJson(res, 200, page ?? fixture("trustpilot", "reviews-empty.json"));
  });
}

const twoPages = () => ({
  "1": fixture("trustpilot", "reviews-page1.json"),
  "2": fixture("trustpilot", "reviews-page2.json"),
});

async function failure(promise: Promise<unknown> | undefined): Promise<ConnectorError> {
  const error = await promise?.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe("Trustpilot connector", () => {
  it("pages through reviews newest first with the apikey header", async () => {
    servePages(twoPages());
    const connector = createTrustpilotConnector();
    const first = await connector.poll(context(null));
    expect(first.hasMore).toBe(true);
    expect(first.mentions.map((m) => m.externalId)).toEqual([
      "6640d1c4e2a1b7f3a9c01234",
      "6640d1c4e2a1b7f3a9c01235",
    ]);
    const second = await connector.poll(context(first.cursor));
    expect(second.hasMore).toBe(false);
    expect(second.mentions.map((m) => m.externalId)).toEqual(["6640d1c4e2a1b7f3a9c01236"]);

    const [r1, r2] = server.requests;
    expect(r1?.headers.apikey).toBe("tp-api-key");
    expect(r1?.url.searchParams.get("orderBy")).toBe("createdat.desc");
    expect(r1?.url.searchParams.get("perPage")).toBe("2");
    expect(r1?.url.searchParams.get("page")).toBe("1");
    expect(r2?.url.searchParams.get("page")).toBe("2");

    expect(first.mentions[0]).toMatchObject({
      text: "Harassing calls\n\nCalls every day at 8am even after I disputed the debt in writing.",
      rating: 1,
      authorName: "Jane D.",
      language: "en",
      createdAt: new Date("2026-11-21T18:22:41Z"),
      url: "https://www.trustpilot.com/reviews/6640d1c4e2a1b7f3a9c01234",
      replyTarget: "6640d1c4e2a1b7f3a9c01234",
      meta: { companyReply: null },
    });
    expect(first.mentions[1]?.meta?.companyReply).toEqual({
      text: "We're sorry to hear this. Please contact us privately.",
      createdAt: "2026-11-20T12:00:00.000Z",
    });
  });

  it("returns nothing on a repeat poll, then only reviews newer than the last sweep", async () => {
    servePages(twoPages());
    const connector = createTrustpilotConnector();
    const first = await connector.poll(context(null));
    const done = await connector.poll(context(first.cursor));
    const repeat = await connector.poll(context(done.cursor));
    expect(repeat).toMatchObject({ mentions: [], hasMore: false });

    const page1 = JSON.parse(fixture("trustpilot", "reviews-page1.json"));
    const newest = {
      ...page1.reviews[0],
      id: "6640d1c4e2a1b7f3a9c09999",
      createdAt: "2026-11-22T09:00:00.000Z",
    };
    // A new review shifts everything down one place on page 1.
    page1.reviews = [newest, page1.reviews[0]];
    servePages({ "1": JSON.stringify(page1) });
    const fresh = await connector.poll(context(repeat.cursor));
    expect(fresh.mentions.map((m) => m.externalId)).toEqual(["6640d1c4e2a1b7f3a9c09999"]);
    expect(fresh.hasMore).toBe(false);
  });

  it("does not repeat a review pushed onto the next page while a sweep is under way", async () => {
    servePages(twoPages());
    const connector = createTrustpilotConnector();
    const first = await connector.poll(context(null));
    // Meanwhile a review arrives: the last review of page 1 moves to the top of page 2.
    const page1 = JSON.parse(fixture("trustpilot", "reviews-page1.json"));
    const page2 = JSON.parse(fixture("trustpilot", "reviews-page2.json"));
    page2.reviews.unshift(page1.reviews[1]);
    servePages({ "2": JSON.stringify(page2) });
    const second = await connector.poll(context(first.cursor));
    expect(second.mentions.map((m) => m.externalId)).toEqual(["6640d1c4e2a1b7f3a9c01236"]);
  });

  it("handles a business unit with no reviews", async () => {
    servePages({ "1": fixture("trustpilot", "reviews-empty.json") });
    const page = await createTrustpilotConnector().poll(context(null));
    expect(page).toMatchObject({ mentions: [], hasMore: false });
  });

  it("names apiKey when Trustpilot refuses it", async () => {
    server.handle((_req, res) => sendJson(res, 401, fixture("trustpilot", "error-401.json")));
    const error = await failure(createTrustpilotConnector().poll(context(null)));
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("apiKey");
    expect(error.message).toContain("Invalid ApiKey");
  });

  it("retries a 429 after Retry-After and a 503, then gives up as rate limited", async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 429, "", { "retry-after": "1" });
      if (calls === 2) return sendJson(res, 503, "upstream unavailable");
      return sendJson(res, 200, fixture("trustpilot", "reviews-page2.json"));
    });
    const page = await createTrustpilotConnector().poll(context(null));
    expect(page.mentions).toHaveLength(1);
    expect(calls).toBe(3);

    server.handle((_req, res) => sendJson(res, 429, "", { "retry-after": "1" }));
    const error = await failure(createTrustpilotConnector().poll(context(null)));
    expect(error.failure).toBe("rate_limited");
  });

  it("rejects malformed JSON and unexpected stars as payload errors naming the field", async () => {
    server.handle((_req, res) => sendJson(res, 200, "<html>Service Unavailable</html>"));
    expect((await failure(createTrustpilotConnector().poll(context(null)))).failure).toBe("payload");

    const body = JSON.parse(fixture("trustpilot", "reviews-page1.json"));
    body.reviews[0].stars = "one";
    server.handle((_req, res) => sendJson(res, 200, body));
    const error = await failure(createTrustpilotConnector().poll(context(null)));
    expect(error.failure).toBe("payload");
    expect(error.message).toContain("reviews.0.stars");
  });

  it("times out a request that never answers", async () => {
    server.handle(() => {});
    const error = await failure(createTrustpilotConnector().poll(context(null, { timeoutMs: 100 })));
    expect(error.failure).toBe("transient");
  });

  it("posts a reply with a business-user token, exactly once", async () => {
    server.handle((req, res) => {
      if (req.path === TOKEN_PATH) return sendJson(res, 200, fixture("trustpilot", "token.json"));
      return sendJson(res, 201, fixture("trustpilot", "reply-created.json"));
    });
    const text =
      "We're sorry to hear about this. Please reach our Customer Care team privately at 1-800-555-0100.";
    const result = await createTrustpilotConnector().reply?.(
      context(null, { cfg: config(replyCredentials) }),
      {
        target: "6640d1c4e2a1b7f3a9c01234",
        text,
      },
    );
    expect(result).toEqual({
      externalId: "6640d1c4e2a1b7f3a9c01234/reply",
      url: "https://www.trustpilot.com/reviews/6640d1c4e2a1b7f3a9c01234",
    });

    const [token, reply] = server.requests;
    expect(token?.method).toBe("POST");
    expect(token?.path).toBe(TOKEN_PATH);
    expect(token?.headers.authorization).toBe(
      `Basic ${Buffer.from("tp-api-key:tp-api-secret").toString("base64")}`,
    );
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: "password",
      username: "care@examplerecovery.com",
      password: "correct horse",
    });
    expect(reply?.method).toBe("POST");
    expect(reply?.path).toBe("/v1/private/reviews/6640d1c4e2a1b7f3a9c01234/reply");
    expect(reply?.headers.authorization).toBe("Bearer AjKIBm6jRtW8jF1oSTbHjPZeMDn3");
    expect(reply?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(reply?.body ?? "")).toEqual({
      message: text,
      authorBusinessUserId: "5f0c1e2d3a4b5c6d7e8f9012",
    });
    expect(server.requests).toHaveLength(2);
  });

  it("never resends a reply whose POST failed with a server error", async () => {
    server.handle((req, res) => {
      if (req.path === TOKEN_PATH) return sendJson(res, 200, fixture("trustpilot", "token.json"));
      return sendJson(res, 502, "bad gateway");
    });
    const error = await failure(
      createTrustpilotConnector().reply?.(context(null, { cfg: config(replyCredentials) }), {
        target: "6640d1c4e2a1b7f3a9c01234",
        text: "Thank you.",
      }),
    );
    expect(error.failure).toBe("transient");
    expect(server.requests.filter((r) => r.path.endsWith("/reply"))).toHaveLength(1);
  });

  it("refuses to post without reply credentials, naming them", async () => {
    const error = await failure(
      createTrustpilotConnector().reply?.(context(null), {
        target: "6640d1c4e2a1b7f3a9c01234",
        text: "Thanks",
      }),
    );
    expect(error.failure).toBe("config");
    expect(error.message).toContain("apiSecret");
    expect(server.requests).toHaveLength(0);
  });
  it("test connection says whether replies can be posted", async () => {
    servePages(twoPages());
    const connector = createTrustpilotConnector();
    expect(await connector.testConnection?.(context(null))).toBe(
      `Connected to Trustpilot business unit ${BU}: reviews visible. No reply credentials: replies are copy-and-mark-posted.`,
    );
    expect(await connector.testConnection?.(context(null, { cfg: config(replyCredentials) }))).toContain(
      "Reply credentials are set.",
    );
  });
  it("exchanges the login again once when the reply endpoint refuses a cached token", async () => {
    let replies = 0;
    server.handle((req, res) => {
      if (req.path === TOKEN_PATH) return sendJson(res, 200, fixture("trustpilot", "token.json"));
      replies++;
      return replies === 1 ? sendJson(res, 401, { message: "Token expired" }) : sendJson(res, 201, "{}");
    });
    await createTrustpilotConnector().reply?.(context(null, { cfg: config(replyCredentials) }), {
      target: "6640d1c4e2a1b7f3a9c01234",
      text: "Thank you.",
    });
    expect(server.requests.map((r) => r.path)).toEqual([
      TOKEN_PATH,
      "/v1/private/reviews/6640d1c4e2a1b7f3a9c01234/reply",
      TOKEN_PATH,
      "/v1/private/reviews/6640d1c4e2a1b7f3a9c01234/reply",
    ]);
  });

  it("names the business-user login when Trustpilot refuses it", async () => {
    server.handle((_req, res) =>
      sendJson(res, 400, { error: "invalid_grant", error_description: "Invalid credentials" }),
    );
    const error = await failure(
      createTrustpilotConnector().reply?.(context(null, { cfg: config(replyCredentials) }), {
        target: "6640d1c4e2a1b7f3a9c01234",
        text: "Thank you.",
      }),
    );
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("username and password");
  });
  it("uses the client-credentials grant when no login is configured", async () => {
    server.handle((req, res) => {
      if (req.path === TOKEN_PATH) return sendJson(res, 200, fixture("trustpilot", "token.json"));
      return sendJson(res, 201, "{}");
    });
    const cfg = config({ apiSecret: "tp-api-secret", authorBusinessUserId: "5f0c1e2d3a4b5c6d7e8f9012" });
    await createTrustpilotConnector().reply?.(context(null, { cfg }), {
      target: "6640d1c4e2a1b7f3a9c01234",
      text: "Thanks.",
    });
    const [token, reply] = server.requests;
    expect(token?.headers.authorization).toBe(
      `Basic ${Buffer.from("tp-api-key:tp-api-secret").toString("base64")}`,
    );
    expect(token?.body).toBe("grant_type=client_credentials");
    expect(JSON.parse(reply?.body ?? "")).toEqual({
      message: "Thanks.",
      authorBusinessUserId: "5f0c1e2d3a4b5c6d7e8f9012",
    });
  });
});
