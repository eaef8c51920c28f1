// 1,000 seeded backfills of a CFPB source against a local server that randomly answers 429, 500, never answers,
// or cuts the body short. After every run each complaint must be stored exactly once: no page half-stored,
// none skipped, none fetched-and-stored twice (the page and its cursor commit together).
import { existsSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackfill } from "../src/cli/backfill.js";
import { hourlyCounts, mentions, sources } from "../src/db/schema/index.js";
import type { SourceRow } from "../src/pipeline/poll.js";
import { createHttpClient } from "../src/platform/http/index.js";
import {
  fixtureJson,
  type LocalServer,
  type RecordedRequest,
  startLocalServer,
} from "./fixtures/local-server.js";
import { createTestDeps, type TestDeps } from "./helpers/deps.js";

const RUNS = Number(process.env.FAULT_RUNS ?? 1_000);
const COMPANY = "ENCORE CAPITAL GROUP INC.";
const NOW = new Date("2019-06-03T12:00:00Z");
const SINCE = new Date("2019-01-01T00:00:00Z");
const CONCURRENCY = 1;
const PAGE_SIZE = 4; // six complaints: a full page, then a short last page

type Hit = {
  _id: string;
  _source: Record<string, unknown> & { complaint_id: string };
  sort: [number, string];
};
type SearchPage = { _meta: unknown; hits: { total: { value: number }; hits: Hit[] } };

/** Small, fast, seedable PRNG (mulberry32): the same seed replays the same fault schedule. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The six recorded complaints, newest first (the order the API pages them with created_date_desc). */
function dataset(): Hit[] {
  const pages = [
    fixtureJson<SearchPage>("cfpb", "search-page1.json"),
    fixtureJson<SearchPage>("cfpb", "search-page2.json"),
  ];
  return pages
    .flatMap((p) => p.hits.hits)
    .sort((a, b) => b.sort[0] - a.sort[0] || b.sort[1].localeCompare(a.sort[1]));
}

type Fault = "ok" | "429" | "500" | "hang" | "cut" | "short";

function pick(random: () => number): Fault {
  const r = random();
  if (r < 0.08) return "429";
  if (r < 0.16) return "500";
  if (r < 0.18) return "hang";
  if (r < 0.24) return "cut";
  if (r < 0.28) return "short";
  return "ok";
}

let deps: TestDeps;
let server: LocalServer;
const complaints = dataset();
/** Each run has its own seeded schedule, chosen by the run number in the URL, so runs can overlap. */
const schedules = new Map<number, () => number>();
const faultCounts: Record<Fault, number> = { ok: 0, "429": 0, "500": 0, hang: 0, cut: 0, short: 0 };

function answer(req: RecordedRequest, res: ServerResponse) {
  const random = schedules.get(Number(req.path.split("/")[2])) ?? Math.random;
  const after = req.url.searchParams.get("search_after");
  const size = Number(req.url.searchParams.get("size"));
  let start = 0;
  if (after) {
    const [ms, id] = after.split("_");
    start = complaints.findIndex(
      (h) => h.sort[0] < Number(ms) || (h.sort[0] === Number(ms) && h.sort[1] < String(id)),
    );
    if (start < 0) start = complaints.length;
  }
  const body = JSON.stringify({
    _meta: { license: "CC0", total_record_count: 1_322_587, break_points: {} },
    hits: {
      total: { value: complaints.length, relation: "eq" },
      max_score: null,
      hits: complaints.slice(start, start + size),
    },
  });
  const fault = pick(random);
  faultCounts[fault]++;
  switch (fault) {
    case "429":
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      return res.end('{"detail":"Request was throttled. Expected available in 1 second."}');
    case "500":
      res.writeHead(500, { "content-type": "text/html" });
      return res.end("<h1>Server Error (500)</h1>");
    case "hang":
      return; // never answers: the client's timeout fires
    case "cut":
      // Promise the whole body, send half, drop the connection.
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
      });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      return void setImmediate(() => res.socket?.destroy());
    case "short": {
      const half = body.slice(0, Math.floor(body.length * random()));
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(half);
    }
    default:
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(body);
  }
}

beforeAll(async () => {
  // Still a real database file; on tmpfs when there is one, because this test commits thousands of transactions.
  const savedTmp = process.env.TMPDIR;
  if (existsSync("/dev/shm")) process.env.TMPDIR = "/dev/shm";
  try {
    deps = await createTestDeps({}, () => NOW);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  server = await startLocalServer((req, res) => {
    answer(req, res);
  });
});
afterAll(async () => {
  await server?.close();
  await deps?.cleanup();
});

describe("backfill under a seeded fault schedule", () => {
  it(`stores every complaint exactly once across ${RUNS} runs`, async () => {
    const expectedIds = complaints.map((h) => h._id).sort();
    const waits: number[] = [];
    let stoppedRuns = 0;
    const sourceIds: number[] = [];

    async function oneRun(run: number): Promise<void> {
      const random = mulberry32(run);
      schedules.set(run, random);
      const [created] = await deps.db
        .insert(sources)
        .values({
          workspaceId: deps.workspaceId,
          brandId: deps.companyBrandId,
          name: `cfpb-run-${run}`,
          type: "cfpb",
          config: { company: COMPANY, baseUrl: `${server.baseUrl}/run/${run}/api/v1/`, pageSize: PAGE_SIZE },
        })
        .returning();
      const source = created as SourceRow;
      const sleep = async (ms: number) => {
        waits.push(ms);
      };
      const http = createHttpClient({
        allow: "127.0.0.1,localhost",
        timeoutMs: 50,
        retries: 2,
        baseDelayMs: 10,
        random,
        sleep,
      });
      const options = { since: SINCE, http, maxFailures: 25, maxWaitMs: Number.POSITIVE_INFINITY, sleep };
      let result = await runBackfill(deps, source, options);
      let stored = result.stored;
      let fetchedAgain = result.duplicates;
      // A stopped backfill resumes from its stored cursor when run again with the same since.
      while (result.status === "stopped") {
        stoppedRuns++;
        result = await runBackfill(deps, source, options);
        stored += result.stored;
        fetchedAgain += result.duplicates;
      }
      if (fetchedAgain !== 0 || stored !== complaints.length) {
        throw new Error(`run ${run} (seed ${run}): stored ${stored}, fetched again ${fetchedAgain}`);
      }
      sourceIds.push(source.id);
      schedules.delete(run);
    }

    // A few runs overlap (as sources do under the scheduler); each has its own source, cursor and schedule.
    let next = 1;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next <= RUNS) await oneRun(next++);
      }),
    );
    sourceIds.sort((a, b) => a - b);

    // One query checks every run's rows: each source holds exactly the six complaint ids, once each.
    const perSource = await deps.db
      .select({
        sourceId: mentions.sourceId,
        n: sql<number>`count(*)`,
        ids: sql<string>`group_concat(${mentions.externalId}, ',')`,
        regulator: sql<number>`sum(${mentions.flags} LIKE '%"regulator"%')`,
      })
      .from(mentions)
      .groupBy(mentions.sourceId);
    expect(perSource).toHaveLength(RUNS);
    const bad = perSource.filter(
      (row) =>
        Number(row.n) !== complaints.length ||
        row.ids.split(",").sort().join() !== expectedIds.join() ||
        Number(row.regulator) !== complaints.length,
    );
    expect(bad).toEqual([]);
    expect(perSource.map((r) => r.sourceId).sort((a, b) => a - b)).toEqual(sourceIds);

    // Every fault kind really happened, and the hourly counts (written in the same transaction) agree.
    for (const fault of ["429", "500", "hang", "cut", "short"] as const)
      expect(faultCounts[fault]).toBeGreaterThan(20);
    const [total] = await deps.db.select({ n: sql<number>`count(*)` }).from(mentions);
    expect(Number(total?.n)).toBe(RUNS * complaints.length);
    const [counted] = await deps.db
      .select({ n: sql<number>`sum(${hourlyCounts.count})` })
      .from(hourlyCounts)
      .where(and(eq(hourlyCounts.key, `brand:${deps.companyBrandId}`)));
    expect(Number(counted?.n)).toBe(RUNS * complaints.length);
    expect(waits.length).toBeGreaterThan(0);
    console.info(
      `fault schedule: ${JSON.stringify(faultCounts)}; ${stoppedRuns} backfills stopped and resumed; ${waits.length} waits (fake clock)`,
    );
  }, 240_000); // ~17 s of CPU; slower on a loaded machine
});
