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
import { type FacebookConfig, facebookConfigSchema, facebookConnector } from "./facebook.js";
import type { Cursor } from "./types.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const PAGE = "104839201234567";
const TOKEN = "EAAGm0PX4ZCpsBAPageToken";
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function config(extra: Record<string, unknown> = {}): FacebookConfig {
  return facebookConfigSchema.parse({
    pageId: PAGE,
    pageAccessToken: TOKEN,
    baseUrl: server.baseUrl,
    ...extra,
  });
}

function context(cursor: Cursor | null, options: { cfg?: FacebookConfig; timeoutMs?: number } = {}) {
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

const usage = (percent: number) => ({
  "x-app-usage": JSON.stringify({ call_count: percent, total_cputime: 5, total_time: 5 }),
});

function serveGraph(
  overrides: Partial<
    Record<"tagged" | "tagged2" | "feed" | "ratings", () => [number, string, Record<string, string>?]>
  > = {},
) {
  server.handle((req, res) => {
    const route = (name: keyof typeof overrides, fallback: string) => {
      const override = overrides[name];
      if (override) {
        const [status, body, headers] = override();
        return sendJson(res, status, body, headers);
      }
      return sendJson(res, 200, fallback, usage(12));
    };
    if (req.path === `/v24.0/${PAGE}/tagged`) {
      return req.url.searchParams.get("after") === "QVFIUjRz"
        ? route("tagged2", fixture("facebook", "tagged-page2.json"))
        : route("tagged", fixture("facebook", "tagged-page1.json"));
    }
    if (req.path === `/v24.0/${PAGE}/feed`) return route("feed", fixture("facebook", "feed-comments.json"));
    if (req.path === `/v24.0/${PAGE}/ratings`) return route("ratings", fixture("facebook", "ratings.json"));
    return sendJson(res, 404, { error: { message: "Unknown path", code: 803 } });
  });
}

async function failure(promise: Promise<unknown> | undefined): Promise<ConnectorError> {
  const error = await promise?.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe("Facebook page connector", () => {
  it("reads tagged posts page by page, then comments, as one resumable round", async () => {
    serveGraph();
    const first = await facebookConnector.poll(context(null));
    expect(first.hasMore).toBe(true);
    expect(first.mentions.map((m) => m.externalId)).toEqual([
      "100071234567890_122145678901234",
      "100081112223334_122145600000001",
    ]);
    expect(first.mentions[0]).toMatchObject({
      authorName: "Carla Mendes",
      authorId: "100071234567890",
      createdAt: new Date("2026-11-21T20:15:02Z"),
      url: "https://www.facebook.com/100071234567890/posts/122145678901234",
      replyTarget: "100071234567890_122145678901234",
    });

    const second = await facebookConnector.poll(context(JSON.parse(JSON.stringify(first.cursor))));
    expect(second.mentions.map((m) => m.externalId)).toEqual(["100091231231231_122145500000002"]);
    expect(second.hasMore).toBe(true);

    const third = await facebookConnector.poll(context(second.cursor));
    // A visitor's post on the page is a mention, the page's own posts and reply are not; a reply to a
    // reply is answered under its parent.
    expect(third.mentions.map((m) => m.externalId)).toEqual([
      `${PAGE}_122149500000004`,
      "122150000000001_1029384756",
      "122150000000001_1029384758",
    ]);
    expect(third.mentions[0]).toMatchObject({
      authorName: "Dee Carter",
      replyTarget: `${PAGE}_122149500000004`,
      meta: { kind: "visitor_post" },
    });
    expect(third.mentions[2]).toMatchObject({
      threadId: `${PAGE}_122150000000001`,
      replyTarget: "122150000000001_1029384756",
      authorName: "Kim Ortiz",
    });
    expect(third.hasMore).toBe(false);

    const [r1, r2, r3] = server.requests;
    expect(r1?.path).toBe(`/v24.0/${PAGE}/tagged`);
    expect(r1?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r1?.url.searchParams.get("access_token")).toBeNull();
    expect(r1?.url.searchParams.get("fields")).toBe("id,message,created_time,permalink_url,from{id,name}");
    // The next page is rebuilt on our base URL from Meta's `paging.next`, without the token it carried.
    expect(r2?.url.searchParams.get("after")).toBe("QVFIUjRz");
    expect(r2?.url.searchParams.get("access_token")).toBeNull();
    expect(r2?.url.searchParams.get("fields")).toBe("id,message,created_time,permalink_url,from{id,name}");
    expect(JSON.stringify(second.cursor)).not.toContain("EAAGm0PX4ZCpsBAAsecret");
    expect(r3?.url.searchParams.get("fields")).toContain(
      "comments.filter(stream).order(reverse_chronological)",
    );
  });

  it("returns nothing on a second round over the same data", async () => {
    serveGraph();
    let cursor: Cursor | null = null;
    for (let i = 0; i < 3; i++) cursor = (await facebookConnector.poll(context(cursor))).cursor;
    const repeatTagged = await facebookConnector.poll(context(cursor));
    expect(repeatTagged.mentions).toEqual([]);
    expect(repeatTagged.hasMore).toBe(true);
    const repeatComments = await facebookConnector.poll(context(repeatTagged.cursor));
    expect(repeatComments.mentions).toEqual([]);
    expect(repeatComments.hasMore).toBe(false);
  });

  it("handles a page nobody has tagged", async () => {
    serveGraph({ tagged: () => [200, fixture("facebook", "tagged-empty.json")] });
    const page = await facebookConnector.poll(context(null, { cfg: config({ edges: ["tagged"] }) }));
    expect(page).toMatchObject({ mentions: [], hasMore: false });
  });

  it("shows retired page ratings as unsupported, in plain words", async () => {
    serveGraph({ ratings: () => [400, fixture("facebook", "error-12-retired.json")] });
    const error = await failure(
      facebookConnector.poll(context(null, { cfg: config({ edges: ["ratings"] }) })),
    );
    expect(error.failure).toBe("unsupported");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("Meta has retired page ratings");
    expect(error.message).toContain('Remove "ratings"');
  });

  it("reads ratings where the Graph version still serves them", async () => {
    serveGraph();
    const page = await facebookConnector.poll(context(null, { cfg: config({ edges: ["ratings"] }) }));
    expect(page.mentions.map((m) => [m.externalId.slice(0, 7), m.rating, m.text])).toEqual([
      ["1015812", 1, "Slow to apply my payment, no reply to messages."],
      ["rating:", 5, "Helpful and respectful."],
    ]);
    const again = await facebookConnector.poll(context(page.cursor, { cfg: config({ edges: ["ratings"] }) }));
    expect(again.mentions).toEqual([]);
  });

  it("reports a missing permission as unsupported, naming the permission", async () => {
    serveGraph({ tagged: () => [403, fixture("facebook", "error-10-permission.json")] });
    const error = await failure(facebookConnector.poll(context(null)));
    expect(error.failure).toBe("unsupported");
    expect(error.message).toContain("pages_read_user_content");
  });

  it("names pageAccessToken when the token has expired", async () => {
    serveGraph({ tagged: () => [400, fixture("facebook", "error-190.json")] });
    const error = await failure(facebookConnector.poll(context(null)));
    expect(error.failure).toBe("auth");
    expect(error.message).toContain("pageAccessToken");
    expect(error.message).toContain("Session has expired");
  });

  it("treats throttling codes as rate limits, waiting as long as the business-use-case header says", async () => {
    serveGraph({
      tagged: () => [
        400,
        fixture("facebook", "error-80001-throttled.json"),
        {
          "x-business-use-case-usage": JSON.stringify({
            [PAGE]: [
              {
                type: "pages",
                call_count: 100,
                total_cputime: 20,
                total_time: 30,
                estimated_time_to_regain_access: 7,
              },
            ],
          }),
        },
      ],
    });
    const before = Date.now();
    const error = await failure(facebookConnector.poll(context(null)));
    expect(error.failure).toBe("rate_limited");
    const wait = (error.options.retryAt?.getTime() ?? 0) - before;
    expect(wait).toBeGreaterThanOrEqual(7 * 60_000 - 1_000);
    expect(wait).toBeLessThanOrEqual(7 * 60_000 + 5_000);

    serveGraph({ tagged: () => [403, fixture("facebook", "error-4-throttled.json"), usage(100)] });
    const appLimit = await failure(facebookConnector.poll(context(null)));
    expect(appLimit.failure).toBe("rate_limited");
    expect(appLimit.message).toContain("error 4");
  });

  it("keeps the page but pauses when usage headers reach 100%, and slows down near the limit", async () => {
    serveGraph({ tagged: () => [200, fixture("facebook", "tagged-page1.json"), usage(100)] });
    const page = await facebookConnector.poll(context(null));
    expect(page.mentions).toHaveLength(2);
    expect(page.hasMore).toBe(false);
    expect(page.cursor?.pausedUntil).toBe(new Date(NOW.getTime() + 15 * 60_000).toISOString());

    server.requests.length = 0;
    const paused = await failure(facebookConnector.poll(context(page.cursor)));
    expect(paused.failure).toBe("rate_limited");
    expect(paused.options.retryAt).toEqual(new Date(NOW.getTime() + 15 * 60_000));
    expect(server.requests).toHaveLength(0);

    serveGraph({ tagged: () => [200, fixture("facebook", "tagged-page1.json"), usage(85)] });
    const busy = await facebookConnector.poll(context(null));
    expect(busy.hasMore).toBe(false);
    expect(busy.cursor?.pausedUntil).toBeNull();
  });

  it("rejects malformed JSON and unexpected payloads as payload errors naming the field", async () => {
    serveGraph({ tagged: () => [200, '{"data": [{"id": "1", "mess'] });
    expect((await failure(facebookConnector.poll(context(null)))).failure).toBe("payload");

    serveGraph({ tagged: () => [200, JSON.stringify({ data: { id: "1" } })] });
    const error = await failure(facebookConnector.poll(context(null)));
    expect(error.failure).toBe("payload");
    expect(error.message).toContain("`data`");
  });

  it("times out a request that never answers", async () => {
    server.handle(() => {});
    const error = await failure(facebookConnector.poll(context(null, { timeoutMs: 100 })));
    expect(error.failure).toBe("transient");
  });

  it("replies to a comment as the page with one POST", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("facebook", "comment-created.json")));
    const text =
      "We're sorry to hear this. Please message us privately so we can look into it. — Example Co.";
    const result = await facebookConnector.reply?.(context(null), {
      target: "122150000000001_1029384756",
      text,
    });
    expect(result).toEqual({
      externalId: "122150000000001_1029384799",
      url: "https://www.facebook.com/122150000000001_1029384799",
    });
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/v24.0/122150000000001_1029384756/comments");
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(sent?.body).toBe(new URLSearchParams({ message: text }).toString());
  });

  it("does not resend a reply when the POST fails", async () => {
    server.handle((_req, res) =>
      sendJson(res, 500, { error: { message: "An unknown error occurred", code: 1 } }),
    );
    const error = await failure(
      facebookConnector.reply?.(context(null), { target: "122150000000001_1029384756", text: "Hi" }),
    );
    expect(error.failure).toBe("transient");
    expect(server.requests).toHaveLength(1);
  });

  it("test connection reports each edge, including a retired one", async () => {
    serveGraph({ ratings: () => [400, fixture("facebook", "error-12-retired.json")] });
    const report = await facebookConnector.testConnection?.(
      context(null, { cfg: config({ edges: ["tagged", "comments", "ratings"] }) }),
    );
    expect(report).toMatch(/tagged: ok; comments: ok; ratings: Meta has retired page ratings/);
  });
});
