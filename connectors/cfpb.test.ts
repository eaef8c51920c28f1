import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../src/platform/http/index.js";
import {
  fakeSleep,
  fixture,
  fixtureJson,
  type LocalServer,
  sendJson,
  startLocalServer,
} from "../test/fixtures/local-server.js";
import { type CfpbConfig, cfpbConfigSchema, cfpbConnector } from "./cfpb.js";
import { ConnectorError } from "./errors.js";
import type { Cursor, PollPage } from "./types.js";

const COMPANY = "ENCORE CAPITAL GROUP INC.";
const NOW = new Date("2019-06-03T12:00:00Z");
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function config(extra: Partial<CfpbConfig> = {}): CfpbConfig {
  return cfpbConfigSchema.parse({
    company: COMPANY,
    baseUrl: `${server.baseUrl}/api/v1/`,
    pageSize: 3,
    ...extra,
  });
}

function poll(
  cursor: Cursor | null,
  options: { since?: Date; cfg?: CfpbConfig; http?: ReturnType<typeof createHttpClient> } = {},
) {
  const clock = fakeSleep();
  return cfpbConnector.poll({
    config: options.cfg ?? config(),
    cursor,
    since: options.since,
    now: NOW,
    http:
      options.http ??
      createHttpClient({
        allow: "127.0.0.1,localhost",
        sleep: clock.sleep,
        timeoutMs: 2_000,
        retries: 2,
        random: () => 0.5,
      }),
  });
}

function servePages() {
  server.handle((req, res) => {
    const after = req.url.searchParams.get("search_after");
    if (!after) return sendJson(res, 200, fixture("cfpb", "search-page1.json"));
    if (after === "1553274000000_3187812") return sendJson(res, 200, fixture("cfpb", "search-page2.json"));
    return sendJson(res, 200, fixture("cfpb", "search-empty.json"));
  });
}

describe("CFPB connector", () => {
  it("pages with search_after until an empty page, then keeps only the newest date received", async () => {
    servePages();
    const pages: PollPage[] = [];
    let cursor: Cursor | null = null;
    do {
      const page: PollPage = await poll(cursor);
      pages.push(page);
      cursor = page.cursor;
    } while (pages.at(-1)?.hasMore);

    expect(pages.map((p) => p.mentions.length)).toEqual([3, 3, 0]);
    expect(cursor).toEqual({ receivedMax: "2019-05-29" });
    const ids = pages.flatMap((p) => p.mentions.map((m) => m.externalId));
    expect(ids).toEqual(["3256998", "3222811", "3187812", "3174379", "3166331", "3155880"]);

    const [first, second, third] = server.requests;
    expect(first?.path).toBe("/api/v1/");
    expect(first?.url.searchParams.getAll("company")).toEqual([COMPANY]);
    expect(first?.url.searchParams.get("date_received_min")).toBe("2019-03-05"); // 90 days before NOW
    expect(first?.url.searchParams.get("sort")).toBe("created_date_desc");
    expect(first?.url.searchParams.get("size")).toBe("3");
    expect(first?.url.searchParams.get("no_aggs")).toBe("true");
    expect(first?.url.searchParams.has("search_after")).toBe(false);
    expect(second?.url.searchParams.get("search_after")).toBe("1553274000000_3187812");
    expect(second?.url.searchParams.get("date_received_min")).toBe("2019-03-05");
    expect(third?.url.searchParams.get("search_after")).toBe("1550595600000_3155880");
  });

  it("flags every complaint as regulator and keeps the CFPB issue, sub-issue and company response", async () => {
    servePages();
    const page = await poll(null);
    const mention = page.mentions[0];
    expect(mention?.flags).toEqual(["regulator"]);
    expect(mention?.createdAt.toISOString()).toBe("2019-05-29T17:00:00.000Z");
    expect(mention?.url).toBe(
      "https://www.consumerfinance.gov/data-research/consumer-complaints/search/detail/3256998",
    );
    expect(mention?.meta).toMatchObject({
      issue: "Took or threatened to take negative or legal action",
      subIssue: "Threatened or suggested your credit would be damaged",
      product: "Debt collection",
      subProduct: "Credit card debt",
      state: "CA",
      companyResponse: "Closed with explanation",
      // The response clock (src/domain/compliance/cfpb-clock.ts) starts on the day the company got it.
      dateSentToCompany: "2019-05-29T12:00:00-05:00",
    });
    expect(mention?.text.length).toBeGreaterThan(1000);
    expect(mention?.authorHandle ?? null).toBeNull();
  });

  it("uses the issue as text when the consumer did not publish a narrative", async () => {
    servePages();
    const page = await poll({ run: { floor: "2019-03-05", searchAfter: "1553274000000_3187812" } });
    const silent = page.mentions.find((m) => m.externalId === "3155880");
    expect(silent?.text).toBe(
      "Took or threatened to take negative or legal action: Threatened to sue you for very old debt",
    );
    expect(silent?.meta?.hasNarrative).toBe(false);
  });

  it("looks back from the newest stored date on later runs, and uses the backfill date when given", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("cfpb", "search-empty.json")));
    const page = await poll({ receivedMax: "2019-05-29" }, { cfg: config({ lookbackDays: 45 }) });
    expect(page).toEqual({ mentions: [], cursor: { receivedMax: "2019-05-29" }, hasMore: false });
    expect(server.requests[0]?.url.searchParams.get("date_received_min")).toBe("2019-04-14");

    await poll(null, { since: new Date("2019-01-01T00:00:00Z") });
    expect(server.requests[1]?.url.searchParams.get("date_received_min")).toBe("2019-01-01");
  });

  it("waits out a 429 Retry-After and 5xx with backoff, then returns the page", async () => {
    let calls = 0;
    server.handle((_req, res) => {
      calls++;
      if (calls === 1)
        return sendJson(
          res,
          429,
          { detail: "Request was throttled. Expected available in 2 seconds." },
          { "retry-after": "2" },
        );
      if (calls === 2) return sendJson(res, 503, "<html>Service Unavailable</html>");
      return sendJson(res, 200, fixture("cfpb", "search-page1.json"));
    });
    const clock = fakeSleep();
    const http = createHttpClient({
      allow: "127.0.0.1,localhost",
      sleep: clock.sleep,
      retries: 3,
      baseDelayMs: 100,
      random: () => 0,
    });
    const page = await poll(null, { http });
    expect(page.mentions).toHaveLength(3);
    expect(clock.waits).toHaveLength(2);
    expect(clock.waits[0]).toBeGreaterThan(1_000); // Retry-After: 2 (seconds), measured from the response
    expect(clock.waits[0]).toBeLessThanOrEqual(2_000);
    expect(clock.waits[1]).toBe(100); // equal-jitter backoff with random()=0 after the 2nd attempt
  });

  it("reports rate_limited with the window end when Retry-After is longer than it will wait", async () => {
    server.handle((_req, res) => sendJson(res, 429, { detail: "throttled" }, { "retry-after": "3600" }));
    const clock = fakeSleep();
    const error = await poll(null, {
      http: createHttpClient({ allow: "127.0.0.1,localhost", sleep: clock.sleep, maxWaitMs: 60_000 }),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.failure).toBe("rate_limited");
    const waitMs = error.options.retryAt.getTime() - Date.now();
    expect(waitMs).toBeGreaterThan(3_500_000);
    expect(clock.waits).toEqual([]);
  });

  it("rejects malformed JSON and unexpected fields as payload errors naming the field", async () => {
    server.handle((_req, res) =>
      sendJson(res, 200, '{"_meta":{},"hits":{"total":{"value":6},"hits":[{"_id":"1",'),
    );
    const truncated = await poll(null).catch((e) => e);
    expect(truncated.failure).toBe("payload");
    expect(truncated.message).toMatch(/not JSON/);

    const broken = JSON.parse(fixture("cfpb", "search-page1.json"));
    delete broken.hits.hits[1]._source.date_received;
    server.handle((_req, res) => sendJson(res, 200, broken));
    const error = await poll(null).catch((e) => e);
    expect(error.failure).toBe("payload");
    expect(error.message).toContain("hits.hits.1._source.date_received");
  });

  it("refuses a page that names another company instead of storing it", async () => {
    const other = JSON.parse(fixture("cfpb", "search-page1.json"));
    other.hits.hits[2]._source.company = "EQUIFAX, INC.";
    server.handle((_req, res) => sendJson(res, 200, other));
    const error = await poll(null).catch((e) => e);
    expect(error.failure).toBe("payload");
    expect(error.message).toContain("EQUIFAX");
  });

  it("times out a request that never answers and reports it as transient", async () => {
    server.handle(() => {}); // never responds
    const clock = fakeSleep();
    const http = createHttpClient({
      allow: "127.0.0.1,localhost",
      sleep: clock.sleep,
      timeoutMs: 150,
      retries: 1,
    });
    const error = await poll(null, { http }).catch((e) => e);
    expect(error.failure).toBe("transient");
    expect(error.message).toMatch(/did not answer within 150 ms/);
    expect(server.requests).toHaveLength(2);
  });

  it("test connection reports how many complaints name the company", async () => {
    server.handle((_req, res) => sendJson(res, 200, fixture("cfpb", "search-page1.json")));
    const message = await cfpbConnector.testConnection?.({
      config: config(),
      cursor: null,
      now: NOW,
      http: createHttpClient({ allow: "127.0.0.1,localhost" }),
    });
    expect(message).toBe(`CFPB answered: 6 complaints naming ${COMPANY} in the last year`);
    expect(server.requests[0]?.url.searchParams.get("size")).toBe("1");
  });

  it("validates its configuration", () => {
    expect(cfpbConfigSchema.safeParse({ company: "" }).success).toBe(false);
    expect(cfpbConfigSchema.safeParse({ company: COMPANY, baseUrl: "not a url" }).success).toBe(false);
    expect(cfpbConfigSchema.parse({ company: COMPANY })).toMatchObject({ pageSize: 100, lookbackDays: 45 });
    expect(cfpbConnector.reply).toBeUndefined();
  });
});

describe("CFPB hits and their ids", () => {
  it("uses _source.complaint_id when _id is missing, and skips (and reports) a hit with neither", async () => {
    const page = fixtureJson("cfpb", "search-page1.json") as {
      hits: { hits: Array<{ _id?: string; _source: Record<string, unknown> }> };
    };
    const [withBoth, noIndexId, noIds] = page.hits.hits;
    delete noIndexId!._id;
    delete noIds!._id;
    delete noIds!._source.complaint_id;
    server.handle((_req, res) => sendJson(res, 200, page));
    const result = await poll(null, { cfg: config({ pageSize: 10 }) });
    expect(result.mentions.map((m) => m.externalId)).toEqual([
      withBoth!._source.complaint_id,
      noIndexId!._source.complaint_id,
    ]);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped?.[0]).toMatch(
      /hit 3 of the page .* has neither _id nor _source\.complaint_id: skipped/,
    );
    expect(result.hasMore).toBe(false);
  });

  it("falls back to _id when the source has no complaint_id", async () => {
    const page = fixtureJson("cfpb", "search-page1.json") as {
      hits: { hits: Array<{ _id?: string; _source: Record<string, unknown> }> };
    };
    const only = page.hits.hits[0]!;
    delete only._source.complaint_id;
    page.hits.hits = [only];
    server.handle((_req, res) => sendJson(res, 200, page));
    const result = await poll(null, { cfg: config({ pageSize: 10 }) });
    expect(result.mentions.map((m) => m.externalId)).toEqual([only._id]);
    expect(result.mentions[0]?.url).toContain(encodeURIComponent(only._id!));
  });
});
