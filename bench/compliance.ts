// The compliance desk at a realistic size: a week of 250,000 mentions (1M a month), a tenth of them complaints, 2%
// flagged regulator and a tenth of those naming the CFPB, plus 5,000 complaints from the CFPB connector over three years. Prints the time of
// the cfpb-clock job's first run (every complaint gets its clock) and of a steady-state run (nothing new), of
// Today's tally, and of the register for a quarter (CSV included). Targets: the job's steady run under 1 s
// (it runs every 5 minutes), the tally under 50 ms (every Today), the register's quarter under 3 s.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { brands, sources, users, workspaces } from "../src/db/schema/index.js";
import { buildDeps } from "../src/deps.js";
import { loadEnv } from "../src/env.js";
import { runCfpbClock } from "../src/jobs/cfpb-clock.js";
import { silentLogger } from "../src/log.js";
import { cfpbTally } from "../src/services/compliance/cfpb-complaints.js";
import { complaintsCsv, listComplaints } from "../src/services/compliance/list-complaints.js";

const WEEK_MENTIONS = 250_000;
const CFPB_COMPLAINTS = 5_000;
const DAY = 86_400_000;

async function time<T>(label: string, target: number, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  console.log(`${label}: ${ms.toFixed(0)} ms (target < ${target} ms)${ms > target ? "  ← over target" : ""}`);
  return result;
}

export async function runComplianceBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rapport-compliance-bench-"));
  try {
    const env = loadEnv({
      NODE_ENV: "test",
      DATABASE_URL: `file:${join(dir, "bench.db")}`,
      RAPPORT_DEMO: "0",
      RAPPORT_SECRET: "bench-secret-bench-secret-bench-secret",
      LOG_LEVEL: "silent",
      SLACK_WEBHOOK_URL: "http://127.0.0.1:9/slack",
    });
    const deps = await buildDeps(env, { log: silentLogger });
    const [ws] = await deps.db.insert(workspaces).values({ name: "Bench Co" }).returning();
    const [brand] = await deps.db
      .insert(brands)
      .values({ workspaceId: ws!.id, name: "Acme", slug: "acme", kind: "company", keywords: ["Acme"] })
      .returning();
    const [x] = await deps.db
      .insert(sources)
      .values({ workspaceId: ws!.id, brandId: brand!.id, name: "x", type: "x" })
      .returning();
    const [cfpb] = await deps.db
      .insert(sources)
      .values({ workspaceId: ws!.id, brandId: brand!.id, name: "cfpb", type: "cfpb" })
      .returning();
    const [manager] = await deps.db
      .insert(users)
      .values({ workspaceId: ws!.id, email: "m@example.com", role: "manager" })
      .returning();
    const now = Date.parse("2026-12-14T15:00:00Z");
    const seedStarted = performance.now();
    // Filled with SQL: a bench of the reads, not of the ingest path (bench/ingest.ts has that).
    await deps.db.run(sql`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${WEEK_MENTIONS})
      INSERT INTO mentions (source_id, external_id, text, text_masked, created_at, fetched_at, content_hash, status,
                            category, relevant, severity, flags, meta)
      SELECT ${x!.id}, 'x-' || i,
             CASE WHEN i % 500 = 0 THEN 'Filed a complaint with the CFPB about Acme today' ELSE 'Acme called me again at work about a debt' END,
             'masked', ${now} - (i * 7 * ${DAY} / ${WEEK_MENTIONS}), ${now}, 'h' || i, 'new',
             CASE WHEN i % 10 = 0 THEN 'communication_tactics' ELSE 'not_collections' END, i % 10 = 0, 'medium',
             CASE WHEN i % 50 = 0 THEN '["regulator"]' ELSE '[]' END, '{}'
      FROM n`);
    await deps.db.run(sql`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CFPB_COMPLAINTS})
      INSERT INTO mentions (source_id, external_id, text, text_masked, created_at, fetched_at, content_hash, status,
                            category, relevant, severity, flags, meta)
      SELECT ${cfpb!.id}, 'c-' || i, 'Communication tactics: Frequent or repeated calls', 'masked',
             ${now} - (i * 3 * 365 * ${DAY} / ${CFPB_COMPLAINTS}), ${now}, 'c' || i, 'new', 'communication_tactics', 1,
             'critical', '["regulator"]',
             json_object('dateSentToCompany', date((${now} - (i * 3 * 365 * ${DAY} / ${CFPB_COMPLAINTS})) / 1000, 'unixepoch') || 'T12:00:00-05:00',
                         'companyResponse', CASE WHEN i > 40 THEN 'Closed with explanation' ELSE NULL END)
      FROM n`);
    await deps.db.run(
      sql`INSERT INTO mention_brands (mention_id, brand_id) SELECT id, ${brand!.id} FROM mentions`,
    );
    await deps.db.run(sql`UPDATE mentions SET group_id = id`);
    console.log(
      `seeded ${WEEK_MENTIONS.toLocaleString("en-US")} mentions of a week and ${CFPB_COMPLAINTS.toLocaleString("en-US")} CFPB complaints in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    const first = await time("cfpb-clock job, first run (every complaint gets its clock)", 5_000, () =>
      runCfpbClock(deps, new Date(now)),
    );
    console.log(`  found ${first.found} complaints, queued ${first.queued} reminders`);
    await time("cfpb-clock job, steady run (nothing new)", 1_000, () =>
      runCfpbClock(deps, new Date(now + 300_000)),
    );
    await cfpbTally(deps.db, ws!.id, new Date(now)); // the server has run it before: statements prepared
    const tally = await time("Today's CFPB tally", 50, () => cfpbTally(deps.db, ws!.id, new Date(now)));
    console.log(`  ${JSON.stringify(tally)}`);
    const viewer = {
      id: manager!.id,
      workspaceId: ws!.id,
      email: "m@example.com",
      name: "",
      role: "manager" as const,
    };
    const rows = await time("complaint register, the last quarter", 3_000, () =>
      listComplaints(deps, viewer, { from: "2026-09-15", to: "2026-12-14" }),
    );
    await time(`  and its CSV (${rows.length.toLocaleString("en-US")} rows)`, 1_000, async () =>
      complaintsCsv(rows),
    );
    deps.database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
