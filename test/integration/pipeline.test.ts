import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hourlyCounts, jobRuns, mentionBrands, mentions, sources } from "../../src/db/schema/index.js";
import { pollSource, type SourceRow } from "../../src/pipeline/poll.js";
import { createHttpClient } from "../../src/platform/http/index.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";

const googleAlerts = readFileSync(new URL("../fixtures/rss/google-alerts.xml", import.meta.url), "utf8");
const now = new Date("2026-11-22T09:00:00Z");
const http = () => createHttpClient({ allow: "127.0.0.1,localhost", retries: 0, timeoutMs: 1_000 });

let deps: TestDeps;
let server: TestServer;
let body = googleAlerts;
let status = 200;

beforeEach(async () => {
  deps = await createTestDeps();
  body = googleAlerts;
  status = 200;
  server = await startHttpServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/atom+xml" });
    res.end(body);
  });
});
afterEach(async () => {
  await server.close();
  await deps.cleanup();
});

async function addRssSource(name = "alerts", url = `${server.url}/feed`): Promise<SourceRow> {
  const [row] = await deps.db
    .insert(sources)
    .values({
      workspaceId: deps.workspaceId,
      brandId: deps.companyBrandId,
      name,
      type: "rss",
      config: { url },
    })
    .returning();
  return row!;
}

const reload = async (id: number) => (await deps.db.select().from(sources).where(eq(sources.id, id)))[0]!;
const count = async (table: typeof mentions | typeof mentionBrands) =>
  (await deps.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n;

describe("ingest pipeline", () => {
  it("stores every entry once, however often the feed is polled", async () => {
    const source = await addRssSource();
    const first = await pollSource(deps, source, { now, http: http() });
    expect(first).toMatchObject({ status: "ok", inserted: 2, duplicates: 0 });
    const second = await pollSource(deps, await reload(source.id), { now, http: http() });
    expect(second).toMatchObject({ status: "ok", inserted: 0, duplicates: 2 });
    expect(await count(mentions)).toBe(2);
    // The entry naming the brand is tagged with it; the other belongs to the feed's own brand.
    expect(await count(mentionBrands)).toBe(2);
    const runs = await deps.db.select().from(jobRuns).where(eq(jobRuns.sourceId, source.id));
    expect(runs.map((r) => [r.status, r.items])).toEqual([
      ["ok", 2],
      ["ok", 0],
    ]);
    const stored = await reload(source.id);
    expect(stored).toMatchObject({ health: "ok", lastItems: 0, consecutiveFailures: 0 });
  });

  it("keeps hourly counts per brand and per brand × category × source", async () => {
    const source = await addRssSource();
    await pollSource(deps, source, { now, http: http() });
    const rows = await deps.db.select().from(hourlyCounts);
    const brandKey = `brand:${deps.companyBrandId}`;
    expect(rows.filter((r) => r.key === brandKey).reduce((n, r) => n + r.count, 0)).toBe(2);
    expect(rows.some((r) => r.key === `${brandKey}|cat:unclassified|src:${source.id}`)).toBe(true);
  });

  it("stores nothing and keeps the cursor when the transaction fails, then recovers completely", async () => {
    const source = await addRssSource();
    deps.routers.push(async () => {
      throw new Error("simulated crash inside the store transaction");
    });
    const failed = await pollSource(deps, source, { now, http: http() });
    expect(failed.status).toBe("error");
    expect(await count(mentions)).toBe(0);
    expect((await reload(source.id)).cursor).toBeNull();
    expect(await deps.db.select().from(hourlyCounts)).toEqual([]);

    deps.routers.length = 0;
    const recovered = await pollSource(deps, await reload(source.id), { now, http: http(), force: true });
    expect(recovered).toMatchObject({ status: "ok", inserted: 2 });
    expect(await count(mentions)).toBe(2);
  });

  it("marks a failing source unhealthy with a plain reason and backs off; other sources go on", async () => {
    const broken = await addRssSource("broken", `${server.url}/broken`);
    const healthy = await addRssSource("healthy");
    status = 500;
    const failed = await pollSource(deps, broken, { now, http: http() });
    expect(failed.status).toBe("error");
    const after = await reload(broken.id);
    expect(after.health).toBe("failing");
    expect(after.lastError).toMatch(/answered HTTP 500/);
    expect(after.backoffUntil!.getTime()).toBeGreaterThan(now.getTime());
    expect((await pollSource(deps, after, { now, http: http() })).status).toBe("skipped");

    status = 200;
    expect((await pollSource(deps, healthy, { now, http: http() })).status).toBe("ok");
  });

  it("groups near-duplicates (a retweet of the same words) under the first mention", async () => {
    const source = await addRssSource();
    await pollSource(deps, source, { now, http: http() });
    body = googleAlerts
      .replaceAll("12501224780620368192", "77777777777777777777")
      .replace("&lt;b&gt;Acme Recovery&lt;/b&gt; sued", "RT @news: &lt;b&gt;Acme Recovery&lt;/b&gt; sued");
    await pollSource(deps, await reload(source.id), { now, http: http() });
    const rows = await deps.db.select().from(mentions).orderBy(mentions.id);
    expect(rows).toHaveLength(3);
    const original = rows.find((r) => r.externalId.endsWith("12501224780620368192"))!;
    const copy = rows.find((r) => r.externalId.endsWith("77777777777777777777"))!;
    expect(copy.groupId).toBe(original.id);
    expect(original.groupId).toBe(original.id);
  });

  it("names an invalid source configuration", async () => {
    const [row] = await deps.db
      .insert(sources)
      .values({ workspaceId: deps.workspaceId, name: "bad", type: "rss", config: { url: "not a url" } })
      .returning();
    const outcome = await pollSource(deps, row!, { now, http: http() });
    expect(outcome.error).toMatch(/invalid configuration: `url`/);
  });
});

describe("storePage", () => {
  it("writes every mention column and reads back the same values", async () => {
    const [source] = await deps.db
      .insert(sources)
      .values({ workspaceId: deps.workspaceId, name: "direct", type: "file", config: { path: "x" } })
      .returning();
    const { storePage } = await import("../../src/pipeline/store.js");
    const createdAt = new Date("2026-11-21T10:00:00Z");
    const result = await storePage(
      deps.database,
      [
        {
          mention: {
            externalId: "ext-1",
            url: "https://x.example/1",
            authorHandle: "pat",
            authorName: "Pat",
            authorId: "42",
            text: "my lawyer will call you, 555-123-4567",
            createdAt,
            rating: 2,
            reach: 1200,
            language: "en",
            threadId: "thread-1",
            replyTarget: "target-1",
            meta: { issue: "Communication tactics" },
            raw: { id: 1 },
          },
          textMasked: "my lawyer will call you, [phone]",
          contentHash: "abc",
          authorKey: "key-1",
          brandIds: [deps.companyBrandId],
          classification: {
            category: "legal_threats",
            relevant: true,
            severity: "critical",
            flags: ["attorney", "pii"],
            sentiment: -0.6,
            confidence: 0.8,
            engine: "local",
            version: "v-test",
          },
        },
      ],
      {
        sourceId: source!.id,
        now,
        brandSla: new Map([[deps.companyBrandId, { critical: 30 }]]),
        cursor: { value: { page: 2 } },
      },
    );
    expect(result.inserted).toHaveLength(1);
    const [row] = await deps.db.select().from(mentions);
    expect(row).toMatchObject({
      sourceId: source!.id,
      externalId: "ext-1",
      url: "https://x.example/1",
      authorHandle: "pat",
      authorName: "Pat",
      authorId: "42",
      authorKey: "key-1",
      textMasked: "my lawyer will call you, [phone]",
      createdAt,
      fetchedAt: now,
      rating: 2,
      reach: 1200,
      language: "en",
      contentHash: "abc",
      groupId: row!.id,
      threadId: "thread-1",
      replyTarget: "target-1",
      meta: { issue: "Communication tactics" },
      raw: { id: 1 },
      status: "new",
      statusChangedAt: now,
      // The clock runs from the post's own time (a day before it was stored: it arrived overdue).
      slaDueAt: new Date(createdAt.getTime() + 30 * 60_000),
      category: "legal_threats",
      relevant: true,
      severity: "critical",
      flags: ["attorney", "pii"],
      sentiment: -0.6,
      confidence: 0.8,
      classifiedBy: "local",
      classifierVersion: "v-test",
      classifiedAt: now,
      routedAt: now,
    });
    expect((await reload(source!.id)).cursor).toEqual({ page: 2 });
  });
});
