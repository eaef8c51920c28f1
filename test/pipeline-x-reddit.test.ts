// X and Reddit through the real pipeline (pollSource → store with the cursor in one transaction): a rate limit
// in the middle of a run keeps the pages already stored and the position, and the next poll resumes from it
// without storing anything twice or moving since_id early.
import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mentions, sources } from "../src/db/schema/index.js";
import { pollSource, type SourceRow, type StoredCursor } from "../src/pipeline/poll.js";
import { createHttpClient } from "../src/platform/http/index.js";
import { fakeSleep, fixture, type LocalServer, sendJson, startLocalServer } from "./fixtures/local-server.js";
import { createTestDeps, type TestDeps } from "./helpers/deps.js";

const NOW = new Date("2026-11-20T12:00:00Z");
const SEARCH = "https://api.x.com/2/tweets/search/recent";
const msw = setupServer();
let deps: TestDeps;
let reddit: LocalServer;

beforeAll(async () => {
  // msw only for the X half: the Reddit half talks to a real local server through plain fetch.
  msw.listen({ onUnhandledRequest: "error" });
  deps = await createTestDeps({}, () => NOW);
  reddit = await startLocalServer();
});
afterAll(async () => {
  await reddit.close();
  await deps.cleanup();
});

async function addSource(name: string, type: string, config: Record<string, unknown>): Promise<SourceRow> {
  const [row] = await deps.db
    .insert(sources)
    .values({ workspaceId: deps.workspaceId, brandId: deps.companyBrandId, name, type, config })
    .returning();
  return row as SourceRow;
}

async function reload(id: number): Promise<SourceRow> {
  const [row] = await deps.db.select().from(sources).where(eq(sources.id, id));
  return row as SourceRow;
}

async function storedIds(sourceId: number): Promise<string[]> {
  const rows = await deps.db
    .select({ id: mentions.externalId })
    .from(mentions)
    .where(eq(mentions.sourceId, sourceId));
  return rows.map((r) => r.id).sort();
}

describe("X through the pipeline", () => {
  it("keeps next_token after a 429 mid-run and moves since_id only when the run is complete", async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    let limited = true;
    msw.use(
      http.get(SEARCH, ({ request }) => {
        const token = new URL(request.url).searchParams.get("next_token");
        if (token && limited) {
          return HttpResponse.json(JSON.parse(fixture("x", "error-429.json")), {
            status: 429,
            headers: {
              "x-rate-limit-limit": "450",
              "x-rate-limit-remaining": "0",
              "x-rate-limit-reset": String(reset),
            },
          });
        }
        return new HttpResponse(fixture("x", token ? "search-page2.json" : "search-page1.json"), {
          headers: {
            "content-type": "application/json",
            "x-rate-limit-remaining": "300",
            "x-rate-limit-limit": "450",
            "x-rate-limit-reset": String(reset),
          },
        });
      }),
    );
    const source = await addSource("x-acme", "x", {
      query: '"Acme Recovery" OR @AcmeRecovery',
      bearerToken: "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA-test-bearer",
    });

    const first = await pollSource(deps, source, { now: NOW });
    expect(first).toMatchObject({ status: "error", inserted: 3, pages: 1 });
    let row = await reload(source.id);
    expect(row.health).toBe("failing");
    expect(row.backoffUntil?.getTime()).toBe(reset * 1000); // from x-rate-limit-reset, X sends no Retry-After
    expect((row.cursor as StoredCursor).live).toEqual({
      pendingNewestId: "2123746191474302721",
      startTime: "2026-11-13T12:10:00.000Z",
      nextToken: "b26v89c19zqg8o3fosqxydg0l9hy5ghz0wa1yf93mncr1",
    });

    limited = false;
    const second = await pollSource(deps, row, { now: NOW, force: true });
    expect(second).toMatchObject({ status: "ok", inserted: 2, duplicates: 0, pages: 1 });
    row = await reload(source.id);
    expect((row.cursor as StoredCursor).live).toEqual({ sinceId: "2123746191474302721" });
    expect(row.health).toBe("ok");
    expect(await storedIds(source.id)).toEqual([
      "2123664012474219040",
      "2123676268232949764",
      "2123735055595057937",
      "2123741334469347906",
      "2123746191474302721",
    ]);
  });
});

describe("Reddit through the pipeline", () => {
  beforeAll(() => msw.close());

  it("stores page 1, stops at a long 429 on page 2, then resumes from `after` without duplicates", async () => {
    let limited = true;
    reddit.handle((req, res) => {
      if (req.path === "/api/v1/access_token") return sendJson(res, 200, fixture("reddit", "token-app.json"));
      if (req.url.searchParams.get("after")) {
        if (limited) {
          return sendJson(
            res,
            429,
            { message: "Too Many Requests", error: 429 },
            {
              "x-ratelimit-used": "100",
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": "420",
            },
          );
        }
        return sendJson(res, 200, fixture("reddit", "search-page2.json"));
      }
      return sendJson(res, 200, fixture("reddit", "search-page1.json"));
    });
    const source = await addSource("reddit-acme", "reddit", {
      query: '"Acme Recovery"',
      clientId: "p-jcoLKBynTLew",
      clientSecret: "gko_LXELoV07ZBNUXrvWZfzE3aI",
      baseUrl: reddit.baseUrl,
      wwwBaseUrl: reddit.baseUrl,
      pageSize: 3,
    });
    const clock = fakeSleep();
    const httpClient = createHttpClient({
      allow: "127.0.0.1,localhost",
      sleep: clock.sleep,
      maxWaitMs: 60_000,
    });

    const first = await pollSource(deps, source, { now: NOW, http: httpClient });
    expect(first).toMatchObject({ status: "error", inserted: 3 });
    let row = await reload(source.id);
    expect((row.cursor as StoredCursor).live).toMatchObject({ run: { after: "t3_1gw6a0c" } });
    expect(row.backoffUntil!.getTime() - Date.now()).toBeGreaterThan(400_000);
    expect(clock.waits).toEqual([]);

    limited = false;
    const second = await pollSource(deps, row, { now: NOW, force: true, http: httpClient });
    expect(second).toMatchObject({ status: "ok", inserted: 1, duplicates: 0 });
    row = await reload(source.id);
    expect((row.cursor as StoredCursor).live).toEqual({
      newest: { created: NOW.getTime() / 1000 - 20 * 60, name: "t3_1gw8k2r" },
    });
    expect(await storedIds(source.id)).toEqual(["t3_1gvz9me", "t3_1gw6a0c", "t3_1gw7qzt", "t3_1gw8k2r"]);

    // The next scheduled poll sees only what is newer than the high-water mark: nothing new, nothing twice.
    const third = await pollSource(deps, row, { now: NOW, force: true, http: httpClient });
    expect(third).toMatchObject({ status: "ok", inserted: 0, duplicates: 1 });
  });
});
