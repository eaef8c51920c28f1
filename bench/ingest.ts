// Ingest benchmark: `rapport import` of N mentions through the whole pipeline (parse, mask, hash, brand match,
// classify, dedup, store, counts), next to the raw batched libSQL insert of the same rows — the very rows the
// pipeline stored, every column — in the same run.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brands, sources, workspaces } from "../src/db/schema/index.js";
import { buildDeps, type Deps } from "../src/deps.js";
import { loadEnv } from "../src/env.js";
import { silentLogger } from "../src/log.js";
import { importFile } from "../src/pipeline/import-file.js";
import { buildRuntime } from "../src/runtime.js";

const PHRASES = [
  "Acme Recovery keeps calling my job about a debt I already paid",
  "@AcmeRecovery stop calling my mother, she has nothing to do with this",
  "Great experience with the Acme Collections rep today, very patient",
  "Why is my credit card interest rate so high this month",
  "They threatened to sue me and garnish my wages over a medical bill",
  "I never got a validation letter from Acme Recovery, is that legal?",
  "Payment portal is down again, can't set up my plan",
  "Love the new coffee place downtown",
];

function rows(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `bench-${i}`,
    text: `${PHRASES[i % PHRASES.length]} (${i}) call 555-01${String(i % 100).padStart(2, "0")}`,
    author: `user_${i % 5000}`,
    created_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
  }));
}

async function freshDeps(
  dir: string,
  name: string,
): Promise<{ deps: Deps; sourceId: number; workspaceId: number }> {
  const env = loadEnv({
    DATABASE_URL: `file:${join(dir, `${name}.db`)}`,
    RAPPORT_DEMO: "0",
    RAPPORT_SECRET: "bench-secret-bench-secret-bench-0000",
    LOG_LEVEL: "silent",
  });
  const deps = await buildRuntime(await buildDeps(env, { log: silentLogger }));
  const [ws] = await deps.db.insert(workspaces).values({ name: "Bench" }).returning();
  const [brand] = await deps.db
    .insert(brands)
    .values({
      workspaceId: ws!.id,
      name: "Acme Recovery",
      slug: "acme",
      kind: "company",
      keywords: ["@AcmeRecovery", "Acme Collections"],
    })
    .returning();
  const [source] = await deps.db
    .insert(sources)
    .values({
      workspaceId: ws!.id,
      brandId: brand!.id,
      name: "bench",
      type: "file",
      config: { path: "bench" },
      enabled: false,
    })
    .returning();
  return { deps, sourceId: source!.id, workspaceId: ws!.id };
}

export async function runIngestBench(n = Number(process.env.BENCH_INGEST_N ?? 100_000)): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rapport-bench-ingest-"));
  try {
    const data = rows(n);
    const file = join(dir, "mentions.jsonl");
    writeFileSync(file, data.map((r) => JSON.stringify(r)).join("\n"));

    // The pipeline: parse, mask, hash, brand-match, classify, dedup, store with counts and routing.
    const piped = await freshDeps(dir, "pipeline");
    const source = (await piped.deps.db.select().from(sources))[0]!;
    const start = performance.now();
    const result = await importFile(piped.deps, source, file);
    const seconds = (performance.now() - start) / 1000;
    if (piped.deps.database.kind !== "libsql") throw new Error("the ingest benchmark runs on libSQL");
    // The same rows, exactly as the pipeline stored them (every column), read back for the raw insert.
    const stored = (await piped.deps.database.client.execute("SELECT * FROM mentions ORDER BY id")).rows;
    const columns = Object.keys(stored[0] ?? {}).filter((c) => c !== "id" && c !== "group_id");
    const classified = piped.deps.classifier !== undefined;
    piped.deps.database.close();

    // Raw: those rows straight into a fresh database through the libSQL client, batched multi-row INSERTs in
    // transactions of 1,000 — no parsing, masking, classification, dedup bookkeeping, counts or routing.
    const raw = await freshDeps(dir, "raw");
    if (raw.deps.database.kind !== "libsql") throw new Error("the ingest benchmark runs on libSQL");
    const client = raw.deps.database.client;
    const perStatement = Math.floor(30_000 / columns.length);
    const rawStart = performance.now();
    for (let i = 0; i < stored.length; i += 1000) {
      const tx = await client.transaction("write");
      const batch = stored.slice(i, i + 1000);
      for (let j = 0; j < batch.length; j += perStatement) {
        const chunk = batch.slice(j, j + perStatement);
        await tx.execute({
          sql: `INSERT INTO mentions (${columns.join(",")}) VALUES ${chunk.map(() => `(${columns.map(() => "?").join(",")})`).join(",")}`,
          args: chunk.flatMap((row) =>
            columns.map((c) => (c === "source_id" ? raw.sourceId : (row[c] ?? null))),
          ),
        });
      }
      await tx.commit();
      tx.close();
    }
    const rawSeconds = (performance.now() - rawStart) / 1000;
    raw.deps.database.close();

    const rawRate = n / rawSeconds;
    const rate = result.imported / seconds;
    console.log(`ingest: ${n.toLocaleString("en-US")} mentions`);
    console.log(
      `  pipeline import      ${rate.toFixed(0).padStart(8)} mentions/s  (${seconds.toFixed(2)} s, classified: ${classified ? "yes" : "no"})`,
    );
    console.log(
      `  raw batched insert   ${rawRate.toFixed(0).padStart(8)} mentions/s  (${rawSeconds.toFixed(2)} s)`,
    );
    console.log(`  ratio                ${(rate / rawRate).toFixed(2)}  (target ≥ 0.5)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runIngestBench();
