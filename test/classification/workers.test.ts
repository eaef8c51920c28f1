// The classify-unclassified cron on Workers (wrangler dev, local D1): D1 has no interactive transactions and
// allows 100 bound parameters per statement, so the job's batched writes are exercised there for real.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, localD1File, run, startWranglerDev } from "../workers/wrangler.js";
import { TEXTS } from "./helpers.js";

let persist: string;
let dev: DevServer;
let d1: Client;
// More than one batch of the job (200) and more than D1's 100 parameters per statement.
const UNCLASSIFIED = 230;

beforeAll(async () => {
  persist = mkdtempSync(join(tmpdir(), "rapport-workers-reclassify-"));
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  d1 = createClient({ url: `file:${localD1File(persist)}` });
  const hour = Date.UTC(2026, 10, 20, 10);
  const statements: { sql: string; args: (string | number | null)[] }[] = [
    {
      sql: "INSERT INTO workspaces (id, name, settings, created_at) VALUES (1, 'Edge Co', '{}', 0)",
      args: [],
    },
    {
      sql: `INSERT INTO brands (id, workspace_id, name, slug, kind, keywords, exclusions, contacts, sla_minutes, created_at)
            VALUES (1, 1, 'Acme Recovery', 'acme-recovery', 'company', '["Acme Recovery"]', '[]', '[]', '{}', 0)`,
      args: [],
    },
    {
      sql: `INSERT INTO sources (id, workspace_id, brand_id, name, type, schedule, config, enabled, health, last_items, consecutive_failures, posting_enabled, dry_run, created_at)
            VALUES (1, 1, 1, 'imported', 'file', '0 0 1 1 *', '{}', 1, 'ok', 0, 0, 0, 1, 0)`,
      args: [],
    },
    {
      sql: "INSERT INTO hourly_counts (key, hour, count) VALUES ('brand:1|cat:unclassified|src:1', ?, ?)",
      args: [hour, UNCLASSIFIED],
    },
  ];
  for (let i = 0; i < UNCLASSIFIED + 1; i++) {
    const text = `${TEXTS[i % TEXTS.length]} #${i}`;
    // The last one was corrected by a reviewer: classified, and not the job's business.
    const corrected = i === UNCLASSIFIED;
    statements.push({
      sql: `INSERT INTO mentions (id, source_id, external_id, text, text_masked, created_at, fetched_at, content_hash, meta, status, flags,
              category, relevant, severity, classified_by, classifier_version, classified_at)
            VALUES (?, 1, ?, ?, ?, ?, ?, ?, '{}', 'new', '[]', ?, ?, ?, ?, ?, ?)`,
      args: [
        i + 1,
        `ext-${i}`,
        text,
        text,
        hour,
        hour,
        `hash-${i}`,
        corrected ? "privacy" : null,
        corrected ? 1 : null,
        corrected ? "high" : null,
        corrected ? "human" : null,
        corrected ? "human-1" : null,
        corrected ? hour : null,
      ],
    });
    statements.push({
      sql: "INSERT INTO mention_brands (mention_id, brand_id) VALUES (?, 1)",
      args: [i + 1],
    });
  }
  await d1.batch(statements, "write");
  dev = await startWranglerDev(persist, { RAPPORT_SECRET: "worker-secret-worker-secret-000000" });
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  d1?.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

const count = async (sql: string) => Number((await d1.execute(sql)).rows[0]![0]);

describe("classify-unclassified on Workers", () => {
  it("classifies every unclassified mention on the */5 cron, moves their counts, and leaves the correction", async () => {
    const trigger = await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
    expect(trigger.status).toBe(200);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (
        (await count(
          "SELECT count(*) FROM job_runs WHERE job = 'classify-unclassified' AND ended_at IS NOT NULL",
        )) > 0
      )
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const [run] = (
      await d1.execute("SELECT status, items, error FROM job_runs WHERE job = 'classify-unclassified'")
    ).rows;
    expect({ status: run?.status, items: run?.items, error: run?.error }).toEqual({
      status: "ok",
      items: UNCLASSIFIED,
      error: null,
    });
    expect(await count("SELECT count(*) FROM mentions WHERE classified_at IS NULL")).toBe(0);
    expect(
      await count("SELECT count(*) FROM mentions WHERE classified_by = 'local' AND category IS NOT NULL"),
    ).toBe(UNCLASSIFIED);
    expect(await count("SELECT count(*) FROM classifications WHERE engine = 'local'")).toBe(UNCLASSIFIED);
    expect(await count("SELECT count(*) FROM mentions WHERE sla_due_at IS NOT NULL")).toBeGreaterThan(0);
    expect(await count("SELECT count FROM hourly_counts WHERE key = 'brand:1|cat:unclassified|src:1'")).toBe(
      0,
    );
    expect(await count("SELECT sum(count) FROM hourly_counts WHERE key LIKE 'brand:1|cat:%'")).toBe(
      UNCLASSIFIED,
    );
    const corrected = (
      await d1.execute(`SELECT category, classified_by FROM mentions WHERE id = ${UNCLASSIFIED + 1}`)
    ).rows[0];
    expect({ category: corrected?.category, by: corrected?.classified_by }).toEqual({
      category: "privacy",
      by: "human",
    });
  });
});
