// What the connector benchmarks share: a bench database with one company brand, and the measurement of one
// connector — normalize alone, then normalize + prepare + store through the real pipeline.
import { join } from "node:path";
import type { AnyConnector } from "../connectors/index.js";
import type { Cursor, NormalizedMention } from "../connectors/types.js";
import { brands, sources, workspaces } from "../src/db/schema/index.js";
import { buildDeps, type Deps } from "../src/deps.js";
import { loadEnv } from "../src/env.js";
import { silentLogger } from "../src/log.js";
import { loadIngestContext } from "../src/pipeline/context.js";
import { prepareMentions } from "../src/pipeline/prepare.js";
import { storePage } from "../src/pipeline/store.js";

export interface BenchDb {
  deps: Deps;
  workspaceId: number;
  brandId: number;
}

export async function benchDeps(
  dir: string,
  brand: { name: string; slug: string; keywords: string[] },
): Promise<BenchDb> {
  const env = loadEnv({
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    RAPPORT_DEMO: "0",
    RAPPORT_SECRET: "bench-secret-bench-secret-bench-0000",
    LOG_LEVEL: "silent",
  });
  const deps = await buildDeps(env, { log: silentLogger });
  const [workspace] = await deps.db.insert(workspaces).values({ name: "Bench" }).returning();
  const [row] = await deps.db
    .insert(brands)
    .values({ workspaceId: workspace!.id, kind: "company", ...brand })
    .returning();
  return { deps, workspaceId: workspace!.id, brandId: row!.id };
}

export interface BenchScenario {
  name: string;
  connector: AnyConnector;
  pages: number;
}

export type Drain<S> = (
  scenario: S,
  onPage: (mentions: NormalizedMention[], cursor: Cursor | null) => Promise<void>,
) => Promise<number>;

/** Times one connector over `n` mentions and prints normalize and normalize+store rates. */
export async function measureConnector<S extends BenchScenario>(
  db: BenchDb,
  build: (count: number) => S,
  drain: Drain<S>,
  n: number,
  warmup: number,
  now: Date,
): Promise<void> {
  await drain(build(Math.min(n, warmup)), async () => {}); // JIT and module loading are not connector time

  const payloads = build(n); // scaling the recorded payloads is setup, not connector time
  const normalizeStart = performance.now();
  const normalized = await drain(payloads, async () => {});
  const normalizeSeconds = (performance.now() - normalizeStart) / 1000;

  const scenario = build(n);
  const [source] = await db.deps.db
    .insert(sources)
    .values({
      workspaceId: db.workspaceId,
      brandId: db.brandId,
      name: `bench-${scenario.name}`,
      type: scenario.connector.type,
      config: {},
      enabled: false,
    })
    .returning();
  const ingest = await loadIngestContext(db.deps, source!);
  let stored = 0;
  const storeStart = performance.now();
  await drain(scenario, async (mentions, cursor) => {
    const prepared = await prepareMentions(mentions, ingest.prepare);
    const result = await storePage(db.deps.database, prepared, {
      sourceId: source!.id,
      now,
      brandSla: ingest.brandSla,
      cursor: { value: { live: cursor } },
    });
    stored += result.inserted.length;
  });
  const storeSeconds = (performance.now() - storeStart) / 1000;
  console.log(
    `  ${scenario.name.padEnd(11)} normalize ${(normalized / normalizeSeconds).toFixed(0).padStart(8)} mentions/s` +
      `   normalize+store ${(stored / storeSeconds).toFixed(0).padStart(7)} mentions/s` +
      `   (${scenario.pages} pages, ${stored} stored, no classifier)`,
  );
}
