// The review connectors inside the real poll pipeline (temp database file, local upstream server): pages and
// cursors stored together, nothing stored twice, and each failure shown on the source the way the Sources
// page reads it (auth error names the credential, a retired Meta feature is "unsupported", a rate limit
// waits for the platform's own reset time).
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sources } from "../src/db/schema/index.js";
import { pollSource, type SourceRow } from "../src/pipeline/poll.js";
import { createHttpClient } from "../src/platform/http/index.js";
import {
  fakeSleep,
  fixture,
  type LocalServer,
  sendJson,
  startLocalServer,
} from "../test/fixtures/local-server.js";
import { createTestDeps, type TestDeps } from "../test/helpers/deps.js";

const NOW = new Date("2026-11-22T12:00:00Z");
let server: LocalServer;
let deps: TestDeps;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  deps = await createTestDeps({}, () => NOW);
});
afterEach(async () => {
  server.requests.length = 0;
  await deps.cleanup();
});

async function addSource(type: string, config: Record<string, unknown>): Promise<SourceRow> {
  const [row] = await deps.db
    .insert(sources)
    .values({
      workspaceId: deps.workspaceId,
      brandId: deps.companyBrandId,
      name: `${type}-test`,
      type,
      config,
    })
    .returning();
  return row!;
}

async function reload(id: number): Promise<SourceRow> {
  const [row] = await deps.db.select().from(sources).where(eq(sources.id, id));
  return row!;
}

const http = () =>
  createHttpClient({
    allow: "127.0.0.1,localhost",
    sleep: fakeSleep().sleep,
    timeoutMs: 2_000,
    retries: 1,
    random: () => 0.5,
  });

describe("review connectors in the poll pipeline", () => {
  it("stores every Google review once, with the cursor, and nothing on the next poll", async () => {
    server.handle((req, res) => {
      if (req.path === "/token") return sendJson(res, 200, fixture("google", "token.json"));
      const token = req.url.searchParams.get("pageToken");
      return sendJson(res, 200, fixture("google", token ? "reviews-page2.json" : "reviews-page1.json"));
    });
    const source = await addSource("google", {
      clientId: "id",
      clientSecret: "secret",
      refreshToken: "refresh",
      accountId: "1234567890",
      locationId: "9876543210",
      baseUrl: `${server.baseUrl}/v4`,
      tokenUrl: `${server.baseUrl}/token`,
    });
    const first = await pollSource(deps, source, { now: NOW, http: http() });
    // The rating-only review (stars, no text) is kept: it is still a signal and a reply target.
    expect(first).toMatchObject({ status: "ok", pages: 2, inserted: 5, duplicates: 0 });
    const stored = await reload(source.id);
    expect(stored.health).toBe("ok");
    expect((stored.cursor as { live: { reviews: { watermark: string } } }).live.reviews.watermark).toBe(
      "2026-11-21T18:22:41.123Z",
    );

    const second = await pollSource(deps, stored, { now: NOW, http: http() });
    expect(second).toMatchObject({ status: "ok", pages: 1, inserted: 0, duplicates: 0 });
  });

  it("shows retired Facebook ratings as unsupported with Meta's reason", async () => {
    server.handle((_req, res) => sendJson(res, 400, fixture("facebook", "error-12-retired.json")));
    const source = await addSource("facebook", {
      pageId: "104839201234567",
      pageAccessToken: "token",
      baseUrl: server.baseUrl,
      edges: ["ratings"],
    });
    const outcome = await pollSource(deps, source, { now: NOW, http: http() });
    expect(outcome.status).toBe("error");
    const stored = await reload(source.id);
    expect(stored.health).toBe("unsupported");
    expect(stored.lastError).toContain("Meta has retired page ratings");
  });

  it("marks a refused Trustpilot key as an auth error naming apiKey", async () => {
    server.handle((_req, res) => sendJson(res, 401, fixture("trustpilot", "error-401.json")));
    const source = await addSource("trustpilot", {
      apiKey: "bad",
      businessUnitId: "bu",
      baseUrl: `${server.baseUrl}/v1`,
    });
    await pollSource(deps, source, { now: NOW, http: http() });
    const stored = await reload(source.id);
    expect(stored.health).toBe("auth_error");
    expect(stored.lastError).toContain("check apiKey");
  });

  it("backs a Yelp source off until its daily limit resets", async () => {
    const reset = new Date(Math.ceil((Date.now() + 5 * 3_600_000) / 1000) * 1000);
    server.handle((_req, res) =>
      sendJson(res, 429, fixture("yelp", "error-429-daily.json"), {
        "RateLimit-Remaining": "0",
        "RateLimit-ResetTime": reset.toISOString(),
      }),
    );
    const source = await addSource("yelp", {
      apiKey: "key",
      businessId: "biz",
      baseUrl: `${server.baseUrl}/v3`,
    });
    await pollSource(deps, source, { now: NOW, http: http() });
    const stored = await reload(source.id);
    expect(stored.backoffUntil).toEqual(reset);
    expect(stored.lastError).toContain("daily API limit");
  });
});
