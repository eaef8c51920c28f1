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
import { type InstagramConfig, instagramConfigSchema, instagramConnector } from "./instagram.js";
import type { Cursor } from "./types.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const IG = "17841400008460056";
const TOKEN = "EAAGm0PX4ZCpsBAPageToken";
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function config(extra: Record<string, unknown> = {}): InstagramConfig {
  return instagramConfigSchema.parse({
    igUserId: IG,
    pageAccessToken: TOKEN,
    baseUrl: server.baseUrl,
    ...extra,
  });
}

function context(
  cursor: Cursor | null,
  options: { cfg?: InstagramConfig; timeoutMs?: number; since?: Date } = {},
) {
  const clock = fakeSleep();
  return {
    config: options.cfg ?? config(),
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
  };
}

function serveGraph(tags: (after: string | null) => [number, string, Record<string, string>?] = defaultTags) {
  server.handle((req, res) => {
    if (req.path === `/v24.0/${IG}/tags`) {
      const [status, body, headers] = tags(req.url.searchParams.get("after"));
      return sendJson(res, status, body, headers);
    }
    if (req.path === `/v24.0/${IG}/media`)
      return sendJson(res, 200, fixture("instagram", "media-comments.json"));
    return sendJson(res, 404, { error: { message: "Unknown path", code: 803 } });
  });
}

function defaultTags(after: string | null): [number, string] {
  return [
    200,
    after === "QVFH2" ? fixture("instagram", "tags-page2.json") : fixture("instagram", "tags-page1.json"),
  ];
}

async function failure(promise: Promise<unknown> | undefined): Promise<ConnectorError> {
  const error = await promise?.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe("Instagram connector", () => {
  it("reads tagged media page by page, then comments on the account's media", async () => {
    serveGraph();
    const first = await instagramConnector.poll(context(null));
    expect(first.hasMore).toBe(true);
    expect(first.mentions.map((m) => m.externalId)).toEqual(["18027939643230671", "18027939643230672"]);
    expect(first.mentions[0]).toMatchObject({
      authorHandle: "jess.m",
      text: "@examplerecovery called me 5 times today. Is this even legal?",
      createdAt: new Date("2026-11-21T19:00:00Z"),
      url: "https://www.instagram.com/p/C1a2B3c4D5e/",
      reach: 37,
    });
    const second = await instagramConnector.poll(context(first.cursor));
    expect(second.mentions.map((m) => m.externalId)).toEqual(["18027939643230673"]);
    const third = await instagramConnector.poll(context(second.cursor));
    // The account's own reply is left out.
    expect(third.mentions.map((m) => m.externalId)).toEqual(["17858893269000001"]);
    expect(third.mentions[0]).toMatchObject({
      authorHandle: "sam.r",
      threadId: "17895695668004550",
      replyTarget: "17858893269000001",
      url: "https://www.instagram.com/p/C0z9Y8x7W6v/",
    });
    expect(third.hasMore).toBe(false);

    const [r1, r2, r3] = server.requests;
    expect(r1?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r1?.url.searchParams.get("fields")).toBe(
      "id,caption,media_type,timestamp,permalink,username,comments_count,like_count",
    );
    expect(r2?.url.searchParams.get("after")).toBe("QVFH2");
    expect(r2?.url.searchParams.get("access_token")).toBeNull();
    expect(r3?.path).toBe(`/v24.0/${IG}/media`);
  });

  it("returns no duplicates on the next round", async () => {
    serveGraph();
    let cursor: Cursor | null = null;
    for (let i = 0; i < 3; i++) cursor = (await instagramConnector.poll(context(cursor))).cursor;
    const tags = await instagramConnector.poll(context(cursor));
    const comments = await instagramConnector.poll(context(tags.cursor));
    expect([...tags.mentions, ...comments.mentions]).toEqual([]);
  });

  it("backfills tagged media only back to the given date", async () => {
    serveGraph();
    const page = await instagramConnector.poll(
      context(null, { cfg: config({ edges: ["tags"] }), since: new Date("2026-11-21T00:00:00Z") }),
    );
    expect(page.mentions.map((m) => m.externalId)).toEqual(["18027939643230671"]);
    expect(page.hasMore).toBe(false);
  });

  it("handles an account nobody has tagged", async () => {
    serveGraph(() => [200, fixture("instagram", "tags-empty.json")]);
    const page = await instagramConnector.poll(context(null, { cfg: config({ edges: ["tags"] }) }));
    expect(page).toMatchObject({ mentions: [], hasMore: false });
  });

  it("pauses when Meta's business-use-case usage is exhausted", async () => {
    serveGraph(() => [
      200,
      fixture("instagram", "tags-page1.json"),
      {
        "x-business-use-case-usage": JSON.stringify({
          [IG]: [
            {
              type: "instagram",
              call_count: 100,
              total_cputime: 10,
              total_time: 10,
              estimated_time_to_regain_access: 30,
            },
          ],
        }),
      },
    ]);
    const page = await instagramConnector.poll(context(null));
    expect(page.mentions).toHaveLength(2);
    expect(page.hasMore).toBe(false);
    expect(page.cursor?.pausedUntil).toBe(new Date(NOW.getTime() + 30 * 60_000).toISOString());
    const paused = await failure(instagramConnector.poll(context(page.cursor)));
    expect(paused.failure).toBe("rate_limited");
  });

  it("maps Meta's token and permission errors", async () => {
    serveGraph(() => [400, fixture("facebook", "error-190.json")]);
    const auth = await failure(instagramConnector.poll(context(null)));
    expect(auth.failure).toBe("auth");
    expect(auth.message).toContain("pageAccessToken");

    serveGraph(() => [
      403,
      JSON.stringify({
        error: {
          message: "(#10) Application does not have permission for this action",
          type: "OAuthException",
          code: 10,
        },
      }),
    ]);
    const permission = await failure(instagramConnector.poll(context(null)));
    expect(permission.failure).toBe("unsupported");
    expect(permission.message).toContain("instagram_basic");
  });

  it("rejects a media item without a timestamp, naming the field", async () => {
    const body = JSON.parse(fixture("instagram", "tags-page1.json"));
    delete body.data[1].timestamp;
    serveGraph(() => [200, JSON.stringify(body)]);
    const error = await failure(instagramConnector.poll(context(null)));
    expect(error.failure).toBe("payload");
    expect(error.message).toContain("data.1.timestamp");
  });

  it("times out a request that never answers", async () => {
    server.handle(() => {});
    const error = await failure(instagramConnector.poll(context(null, { timeoutMs: 100 })));
    expect(error.failure).toBe("transient");
  });
  it("test connection reports each edge", async () => {
    serveGraph();
    expect(await instagramConnector.testConnection?.(context(null))).toBe(
      `Instagram account ${IG}: tags: ok; comments: ok`,
    );
  });
});
