// Web benchmark: N mentions (default 1,000,000) in a temp database, the real server (`npm start`'s entry, its
// web workers, the scheduler off) in its own processes on loopback; p50/p95 for Today, the SLA queue page, the
// feed page, the queue API and full-text search (a mix of terms; two common words) with one client (the cost of
// a request) and with 10 concurrent clients, and the server's resident memory (all its processes). Targets at
// 10 clients: p95 ≤ 100 ms (Today, search), ≤ 30 ms (SLA queue page, feed, queue API).
// Two data sets: a realistic mix of statuses, and the worst case for Today and the queue, every mention still
// new (a backlog after an outage, or a first backfill: all of it stored in the last day, most already past due).
// Run alone: `npx tsx bench/web.ts [mentions] [--mix realistic|all-new] [--workers N] [--db file] [--only text]`
// (--only: the scenarios whose name contains the text).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, get as httpGet } from "node:http";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { createApiToken } from "../src/auth/api-tokens.js";
import { createSession } from "../src/auth/sessions.js";
import { brands, sources, users, workspaces } from "../src/db/schema/index.js";
import { buildDeps } from "../src/deps.js";
import { loadEnv } from "../src/env.js";
import { silentLogger } from "../src/log.js";
import { rebuildCounts } from "../src/services/metrics/rebuild-counts.js";

export type BenchMix = "realistic" | "all-new";

const CLIENTS = 10;
const REQUESTS_PER_SCENARIO = 2000;
/**
 * Ten-client requests each scenario runs before it is measured. A server that has been up for a while has
 * compiled its hot paths (V8 optimises a function after thousands of calls) and filled its page caches. From a
 * fresh start, the first ~5,000 feed requests (two workers) mostly time that: their p95 is about twice the
 * steady one. The warm-up's own figures are printed too: the feed's (the first scenario) are what the first
 * minute after a restart looks like; the later scenarios start with the shared code already warm.
 */
const WARMUP_REQUESTS = 6000;
const SINGLE_CLIENT_REQUESTS = 150;
const DAY = 86_400_000;

const WORDS =
  "the a i my they called me again about debt account payment portal collector phone work family never owed paid already bill letter notice validation credit report threatened rude agent hold hours weekend night message voicemail stop calling please help company today week month year customer service plan settle balance interest fees wrong amount identity fraud".split(
    " ",
  );
/** Rarer words give the searches a realistic spread of result sizes. */
const RARE = [
  ["lawsuit", 0.02],
  ["garnishment", 0.005],
  ["attorney", 0.01],
  ["bankruptcy", 0.004],
  ["harassment", 0.03],
  ["cfpb", 0.002],
] as const;
const CATEGORIES = [
  "communication_tactics",
  "payment_service",
  "debt_not_owed",
  "legal_threats",
  "written_notice",
  "privacy",
  "false_statements",
  "other_collections",
  "praise",
  "not_collections",
];
const SEVERITIES = ["low", "medium", "high", "critical"];
const STATUSES = [
  "new",
  "new",
  "new",
  "new",
  "triaged",
  "dismissed",
  "resolved",
  "escalated",
  "drafting",
  "posted",
];
const SLA_MINUTES: Record<string, number> = { critical: 60, high: 240, medium: 1440, low: 4320 };

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function seedWebBench(dbFile: string, count: number, mix: BenchMix = "realistic") {
  const env = loadEnv({
    NODE_ENV: "test",
    DATABASE_URL: `file:${dbFile}`,
    RAPPORT_DEMO: "0",
    RAPPORT_SECRET: "bench-secret-bench-secret-bench-secret-00",
    LOG_LEVEL: "silent",
  });
  const deps = await buildDeps(env, { log: silentLogger });
  const [workspace] = await deps.db.insert(workspaces).values({ name: "Bench" }).returning();
  const [brand] = await deps.db
    .insert(brands)
    .values({
      workspaceId: workspace!.id,
      name: "Acme Recovery",
      slug: "acme",
      kind: "company",
      keywords: ["Acme"],
    })
    .returning();
  const sourceRows = await deps.db
    .insert(sources)
    .values(
      ["x-acme", "reddit-debt", "google-reviews", "trustpilot", "news-alerts"].map((name) => ({
        workspaceId: workspace!.id,
        brandId: brand!.id,
        name,
        type: "rss",
      })),
    )
    .returning();
  // The password hash is irrelevant: the bench signs in by creating a session directly.
  const [user] = await deps.db
    .insert(users)
    .values({ workspaceId: workspace!.id, email: "bench@example.com", role: "manager", passwordHash: "x" })
    .returning();
  const session = await createSession(deps, user!.id);
  const { token } = await createApiToken(deps, user!.id, "bench");

  if (deps.database.kind !== "libsql") throw new Error("the web bench seeds a libSQL file");
  const client = deps.database.client;
  // Bulk load the way a restore would: drop the secondary indexes and the full-text triggers, load, then
  // rebuild both once (sorting once is far cheaper than updating thirteen b-trees per row).
  const derived = await client.execute(
    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'mentions' AND type IN ('index', 'trigger') AND sql IS NOT NULL",
  );
  for (const row of derived.rows)
    await client.execute(`DROP ${String(row.type).toUpperCase()} "${String(row.name)}"`);
  const random = rng(42);
  const now = Date.now();
  const started = performance.now();
  const BATCH = 2000;
  const PER_TX = 50_000;
  let tx = await client.transaction("write");
  for (let i = 0; i < count; i += BATCH) {
    const rows: string[] = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      const words: string[] = [];
      const length = 8 + Math.floor(random() * 25);
      for (let w = 0; w < length; w++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
      for (const [word, p] of RARE)
        if (random() < p) words.splice(Math.floor(random() * words.length), 0, word);
      const text = `Acme ${words.join(" ")}`;
      const createdAt = now - Math.floor(random() * 365 * DAY);
      const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)]!;
      const relevant = category === "not_collections" ? 0 : 1;
      const severity = SEVERITIES[Math.min(3, Math.floor(random() ** 2 * 4))]!;
      const drawn = STATUSES[Math.floor(random() * STATUSES.length)]!;
      const status = mix === "all-new" ? "new" : drawn;
      const sla = relevant ? createdAt + SLA_MINUTES[severity]! * 60_000 : null;
      // All new: everything stored in the last day (most of it long past due: "arrived overdue"). Realistic:
      // stored minutes after it was posted, and handled posts answered (in time or not) within twice their SLA.
      const fetchedAt =
        mix === "all-new"
          ? now - Math.floor(random() * DAY)
          : Math.min(now, createdAt + Math.floor(random() * 30 * 60_000));
      const handled = status === "posted" || status === "resolved" || status === "dismissed";
      const respondedAt =
        handled && sla !== null
          ? Math.min(now, createdAt + Math.floor(random() * 2 * (sla - createdAt)))
          : null;
      const sourceId = sourceRows[Math.floor(random() * sourceRows.length)]!.id;
      // Rights flags as the text carries them (no draw, so every other column is as before): about 7% flagged.
      const flags = [
        ...(words.includes("never") && words.includes("owed") ? ["dispute"] : []),
        ...(words.includes("attorney") ? ["attorney"] : []),
        ...(words.includes("bankruptcy") ? ["bankruptcy"] : []),
      ];
      rows.push(
        `(${sourceId},'b${j}',${quote(text)},${quote(text)},${createdAt},${fetchedAt},'h${j}',${quote(`user${Math.floor(random() * 50_000)}`)},${quote(status)},${quote(category)},${relevant},${quote(severity)},${Math.floor(random() * 10_000)},${sla ?? "NULL"},${respondedAt ?? "NULL"},${(0.5 + random() / 2).toFixed(3)},'local',${quote(JSON.stringify(flags))},'{}')`,
      );
    }
    await tx.execute(
      `INSERT INTO mentions (source_id, external_id, text, text_masked, created_at, fetched_at, content_hash, author_handle, status, category, relevant, severity, reach, sla_due_at, first_response_at, confidence, classified_by, flags, meta) VALUES ${rows.join(",")}`,
    );
    if ((i + BATCH) % PER_TX === 0) {
      await tx.commit();
      tx = await client.transaction("write");
    }
  }
  await tx.commit();
  // As the pipeline stores them: every mention heads its own group unless it repeats an earlier one.
  await client.execute("UPDATE mentions SET group_id = id");
  for (const row of derived.rows) await client.execute(String(row.sql));
  await client.execute("INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild')");
  await client.execute(
    `INSERT INTO mention_brands (mention_id, brand_id) SELECT id, ${brand!.id} FROM mentions`,
  );
  // The load ran without the triggers that keep Today's and the queue's counters: count them once.
  await rebuildCounts(deps.db);
  await client.execute("ANALYZE");
  const seconds = (performance.now() - started) / 1000;
  deps.database.close();
  return { cookie: `rapport_session=${session.cookieValue}`, token, seconds };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * One GET over a kept-alive connection. The load generator shares the machine's cores with the server, so it
 * uses node:http (a fraction of fetch's CPU per request) to leave the cores to what is being measured.
 */
function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent, headers }, (response) => {
      response.on("data", () => {});
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

async function load(
  baseUrl: string,
  paths: () => string,
  headers: Record<string, string>,
  clients = CLIENTS,
  requests = REQUESTS_PER_SCENARIO,
) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const worker = async () => {
    while (next < requests) {
      next++;
      const started = performance.now();
      const status = await get(agent, new URL(paths(), baseUrl), headers);
      latencies.push(performance.now() - started);
      if (status < 200 || status >= 300) failures++;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), failures };
}

/** The pids of a process and all its descendants (the entry, tsx and the web workers). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while listing
    }
  }
  const tree: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function procField(pid: number, read: (pid: number) => number): number {
  try {
    return read(pid);
  } catch {
    return 0; // ended meanwhile
  }
}

const treeRssMb = (root: number) =>
  processTree(root).reduce(
    (kb, pid) =>
      kb +
      procField(pid, (p) =>
        Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0),
      ),
    0,
  ) / 1024;

/** CPU seconds (user + system) the server's processes have used: per request, it is the cost of a request
 * whatever else the machine is running, which the latencies are not on a shared machine. */
const treeCpuSeconds = (root: number) =>
  processTree(root).reduce(
    (ticks, pid) =>
      ticks +
      procField(pid, (p) => {
        // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
        return Number(fields[11]) + Number(fields[12]);
      }),
    0,
  ) / 100;

/**
 * Stores ten new mentions a second (each the newest, about a credit report) in its own connection, as ingest
 * would, until stopped; resolves with how many it stored.
 */
function arriveTenASecond(dbFile: string): () => Promise<number> {
  const client = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  let stored = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pending = pending.then(async () => {
      const now = Date.now();
      const key = `arrived-${now}-${stored}`;
      await client.execute({
        sql: `INSERT INTO mentions (source_id, external_id, text, text_masked, created_at, fetched_at, content_hash, status, flags, meta)
              SELECT min(id), ?, 'Acme put this on my credit report', 'Acme put this on my credit report', ?, ?, ?, 'new', '[]', '{}' FROM sources`,
        args: [key, now, now, key],
      });
      stored++;
    });
  }, 100);
  return async () => {
    clearInterval(timer);
    await pending;
    client.close();
    return stored;
  };
}

export interface WebBenchOptions {
  /** Only the scenarios whose name contains this. */
  only?: string;
  mentions?: number;
  /** Which data set (default: both, one after the other). */
  mix?: BenchMix;
  /** WEB_WORKERS for the server; default one per CPU core, as `npm start`. */
  workers?: number;
  /** Keep the seeded database here (and reuse it when it exists) instead of a temp file. */
  database?: string;
}

/** Starts `npm start`'s entry on the database; resolves with its port once it prints the URL. */
async function startServer(dbFile: string, workers: number | undefined) {
  const entry = fileURLToPath(new URL("../src/entry/node.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: `file:${dbFile}`,
      PORT: "0",
      RAPPORT_DEMO: "0",
      RAPPORT_SCHEDULER: "0",
      RAPPORT_SECRET: "bench-secret-bench-secret-bench-secret-00",
      LOG_LEVEL: "error",
      ...(workers ? { WEB_WORKERS: String(workers) } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /running at http:\/\/localhost:(\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, port };
}

export async function runWebBench(opts: WebBenchOptions = {}): Promise<void> {
  for (const mix of opts.mix ? [opts.mix] : (["all-new", "realistic"] as const)) {
    await runWebBenchMix({
      ...opts,
      mix,
      ...(opts.database && !opts.mix ? { database: `${opts.database}.${mix}` } : {}),
    });
  }
}

async function runWebBenchMix(opts: WebBenchOptions & { mix: BenchMix }): Promise<void> {
  const count = opts.mentions ?? 1_000_000;
  const dir = opts.database ? null : mkdtempSync(join(tmpdir(), "rapport-webbench-"));
  const dbFile = opts.database ?? join(dir!, "bench.db");
  const authFile = `${dbFile}.auth.json`;
  try {
    let auth: { cookie: string; token: string };
    if (opts.database && existsSync(dbFile) && existsSync(authFile)) {
      auth = JSON.parse(readFileSync(authFile, "utf8")) as typeof auth;
      console.log(`web: reusing ${dbFile}`);
    } else {
      console.log(`web: seeding ${count.toLocaleString("en-US")} mentions (${opts.mix})…`);
      const seeded = await seedWebBench(dbFile, count, opts.mix);
      console.log(`web: seeded in ${seeded.seconds.toFixed(1)} s`);
      auth = seeded;
      if (opts.database) writeFileSync(authFile, JSON.stringify(auth));
    }
    const { child, port } = await startServer(dbFile, opts.workers);
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      const random = rng(7);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      const feedPaths = [
        "/feed",
        "/feed?source=reddit-debt",
        "/feed?category=legal_threats",
        "/feed?status=new",
        "/feed?brand=acme",
      ];
      const searchTerms = [
        "lawsuit",
        "garnishment",
        "attorney",
        "bankruptcy harassment",
        "cfpb",
        "lawsuit credit report",
        "garnish",
      ];
      const cookie = { cookie: auth.cookie };
      const bearer = { authorization: `Bearer ${auth.token}` };
      const scenarios = [
        {
          name: "Today (GET /, 50 items, counts, queue tallies, 30-day charts)",
          target: 100,
          paths: () => "/",
          headers: cookie,
        },
        {
          name: "SLA queue page (GET /feed?sort=sla, 50 items)",
          target: 30,
          paths: () => "/feed?sort=sla",
          headers: cookie,
        },
        {
          name: "feed page (GET /feed, 50 items, mixed filters)",
          target: 30,
          paths: () => pick(feedPaths),
          headers: cookie,
        },
        {
          // A compliance officer's filter; one of the three is a flag no mention carries, whose empty page must
          // still not read every mention (the partial index of flagged mentions, migration 0024).
          name: "feed by rights flag (GET /feed?flag=dispute|attorney|servicemember)",
          target: 30,
          paths: () => `/feed?flag=${pick(["dispute", "attorney", "servicemember"])}`,
          headers: cookie,
        },
        {
          name: "queue API (GET /api/mentions?sort=sla&grouped=true)",
          target: 30,
          paths: () => "/api/mentions?sort=sla&grouped=true&limit=50",
          headers: bearer,
        },
        {
          name: "full-text search (GET /api/mentions?q=…)",
          target: 100,
          paths: () => `/api/mentions?q=${encodeURIComponent(pick(searchTerms))}`,
          headers: bearer,
        },
        {
          // Two words each in ~30% of the mentions, ~9% together, the last one also as a prefix: the
          // search whose every match is the most work to find. Fewer warm-up requests: each costs tens of ms.
          name: "full-text search, common words (GET /api/mentions?q=credit+report)",
          target: 100,
          paths: () => "/api/mentions?q=credit+report",
          headers: bearer,
          warmup: 1000,
        },
        {
          // The same while mentions arrive (ten a second, each about a credit report and the newest): every
          // write to the full-text index makes each web worker find the search's newest matches again once.
          name: "full-text search, common words, ten new matching mentions a second",
          target: 100,
          paths: () => "/api/mentions?q=credit+report",
          headers: bearer,
          warmup: 1000,
          arriving: true,
        },
      ].filter((scenario) => !opts.only || scenario.name.includes(opts.only));
      const results = [];
      for (const scenario of scenarios) {
        const warmup = await load(
          baseUrl,
          scenario.paths,
          scenario.headers,
          CLIENTS,
          "warmup" in scenario ? scenario.warmup : WARMUP_REQUESTS,
        );
        const stopArriving = "arriving" in scenario ? arriveTenASecond(dbFile) : null;
        const single = await load(baseUrl, scenario.paths, scenario.headers, 1, SINGLE_CLIENT_REQUESTS);
        const cpuBefore = treeCpuSeconds(child.pid!);
        const concurrent = await load(baseUrl, scenario.paths, scenario.headers);
        const cpuMs = ((treeCpuSeconds(child.pid!) - cpuBefore) * 1000) / REQUESTS_PER_SCENARIO;
        const arrived = stopArriving ? await stopArriving() : 0;
        results.push({
          ...scenario,
          name: arrived ? `${scenario.name} (${arrived} arrived)` : scenario.name,
          warmup,
          single,
          concurrent,
          cpuMs,
        });
      }
      console.log(
        `web (${opts.mix}): ${count.toLocaleString("en-US")} mentions, ${opts.workers ?? availableParallelism()} web workers on ${availableParallelism()} cores; 1 client × ${SINGLE_CLIENT_REQUESTS} requests, then ${CLIENTS} concurrent clients × ${REQUESTS_PER_SCENARIO} requests per scenario, each after ${WARMUP_REQUESTS} warm-up requests`,
      );
      for (const { name, target, warmup, single, concurrent, cpuMs } of results) {
        const verdict = concurrent.p95 <= target ? "ok" : "OVER TARGET";
        const failed = warmup.failures + single.failures + concurrent.failures;
        console.log(
          `  ${name}: 1 client p50 ${single.p50.toFixed(1)} ms, p95 ${single.p95.toFixed(1)} ms; ${CLIENTS} clients p50 ${concurrent.p50.toFixed(1)} ms, p95 ${concurrent.p95.toFixed(1)} ms (target ≤ ${target} ms: ${verdict}); server CPU ${cpuMs.toFixed(1)} ms/request${failed ? `, ${failed} failed` : ""}; during the warm-up p50 ${warmup.p50.toFixed(1)} ms, p95 ${warmup.p95.toFixed(1)} ms`,
        );
      }
      console.log(`  server RSS (all processes): ${treeRssMb(child.pid!).toFixed(0)} MB`);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const [value] = args.splice(at, 2).slice(1);
    return value;
  };
  const workers = option("--workers");
  const database = option("--db");
  const mix = option("--mix");
  const only = option("--only");
  if (mix !== undefined && mix !== "realistic" && mix !== "all-new")
    throw new Error(`--mix must be realistic or all-new (got "${mix}")`);
  const mentions = args[0] ? Number(args[0]) : undefined;
  await runWebBench({
    ...(mix ? { mix } : {}),
    ...(only ? { only } : {}),
    ...(mentions ? { mentions } : {}),
    ...(workers ? { workers: Number(workers) } : {}),
    ...(database ? { database } : {}),
  });
}
