// Reclassification on a D1 handle, which has no interactive transactions: each batch is written as ONE atomic
// batch of statements fixed in advance (reclassify.ts, writeBatchAtomically). Run here on a libSQL file marked as
// D1 (the same statements; test/classification/workers.test.ts runs them on a real local D1), checked with plain SQL.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  addReviewer,
  addSource,
  everythingPraise,
  storeTexts,
  TEXTS,
} from "../../../test/classification/helpers.js";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import { LocalEngine } from "../../classifier/index.js";
import { markD1 } from "../../db/atomic.js";
import { runClassifyUnclassified } from "../../jobs/reclassify.js";
import { buildRuntime } from "../../runtime.js";
import { correctClassification, HUMAN_VERSION } from "../mentions/correct-classification.js";
import { type ReclassifyClassifier, reclassifyMentions } from "./reclassify.js";

const NOW = new Date("2026-11-22T12:00:00Z");
let deps: TestDeps;
beforeEach(async () => {
  // A fixed clock: ingest and the reclassification write the same classified_at, the hardest case for telling
  // the rows this batch wrote from the rows it did not.
  deps = await createTestDeps({}, () => NOW);
});
afterEach(async () => {
  await deps.cleanup();
});

const rowsOf = async <T>(query: ReturnType<typeof sql>) => (await deps.db.all(query)) as T[];
interface MentionRow {
  id: number;
  category: string | null;
  relevant: number | null;
  severity: string | null;
  flags: string;
  classified_by: string | null;
  classifier_version: string | null;
  classified_at: number | null;
}
const mentionTable = () =>
  rowsOf<MentionRow>(sql`
    SELECT id, category, relevant, severity, flags, classified_by, classifier_version, classified_at
    FROM mentions ORDER BY id`);
const historyTable = () =>
  rowsOf<{ mention_id: number; engine: string; version: string; category: string; created_at: number }>(sql`
    SELECT mention_id, engine, version, category, created_at FROM classifications ORDER BY id`);
const countsTable = () =>
  rowsOf<{ key: string; hour: number; count: number }>(
    sql`SELECT key, hour, count FROM hourly_counts ORDER BY key, hour`,
  );
/** What the per-category hourly counts must be: the stored mentions counted again, in plain SQL. */
const recounted = () =>
  rowsOf<{ key: string; n: number }>(sql`
    SELECT 'brand:' || mb.brand_id || '|cat:' || coalesce(m.category, 'unclassified') || '|src:' || m.source_id AS key,
      count(*) AS n
    FROM mentions m JOIN mention_brands mb ON mb.mention_id = m.id GROUP BY 1 ORDER BY 1`);
const categoryCounts = () =>
  rowsOf<{ key: string; n: number }>(sql`
    SELECT key, sum(count) AS n FROM hourly_counts WHERE key LIKE '%|cat:%' GROUP BY key HAVING sum(count) > 0 ORDER BY key`);

/**
 * A person's correction needs a transaction: refused on D1, made on Turso. Here it runs on the libSQL file
 * underneath, between the engine reading a batch and the batch being written.
 */
async function correctMeanwhile(run: () => Promise<unknown>) {
  (deps.db as unknown as Record<symbol, boolean>)[Symbol.for("rapport.d1")] = false;
  try {
    await run();
  } finally {
    markD1(deps.db);
  }
}

it("writes each batch atomically on D1: classifications, history with the kept ingest decision, hourly counts; a correction made meanwhile wins; a re-run changes nothing", async () => {
  const source = await addSource(deps, "reviews");
  const praised = await storeTexts(deps, source, TEXTS, { classifier: everythingPraise });
  const bare = await storeTexts(deps, source, TEXTS.slice(0, 3), { prefix: "bare" });
  const reviewer = await addReviewer(deps);
  const before = new Map((await mentionTable()).map((m) => [m.id, m]));
  expect(await categoryCounts()).toEqual(await recounted());
  markD1(deps.db);

  const local = new LocalEngine();
  const texts = [...TEXTS, ...TEXTS.slice(0, 3)];
  const ids = [...praised, ...bare];
  const answers = new Map(
    (await local.classify(texts.map((text, i) => ({ id: String(ids[i]), text })))).map((a, i) => [
      ids[i]!,
      a,
    ]),
  );
  const correctedId = praised[2]!;
  let calls = 0;
  const engine: ReclassifyClassifier = {
    version: local.version,
    async classify(items) {
      if (calls++ === 0)
        await correctMeanwhile(() =>
          correctClassification(deps, reviewer, {
            mentionId: correctedId,
            category: "privacy",
            severity: "high",
            flags: ["cease_contact"],
          }),
        );
      return local.classify(items);
    },
  };
  const result = await reclassifyMentions(deps, { classifier: engine, batchSize: 4 });

  const differs = (id: number) => {
    const was = before.get(id)!;
    const answer = answers.get(id)!;
    return (
      was.category !== answer.category ||
      was.relevant !== Number(answer.relevant) ||
      was.severity !== answer.severity ||
      JSON.parse(was.flags).sort().join() !== [...answer.flags].sort().join()
    );
  };
  const written = ids.filter((id) => id !== correctedId);
  expect(result).toMatchObject({
    status: "done",
    processed: ids.length,
    skipped: 1,
    changed: written.filter(differs).length,
  });
  expect(written.filter(differs).length).toBeGreaterThan(5);

  const after = await mentionTable();
  for (const m of after) {
    if (m.id === correctedId) {
      expect(m).toMatchObject({
        category: "privacy",
        severity: "high",
        flags: '["cease_contact"]',
        classified_by: "human",
      });
      continue;
    }
    const answer = answers.get(m.id)!;
    expect(m).toEqual({
      id: m.id,
      category: answer.category,
      relevant: Number(answer.relevant),
      severity: answer.severity,
      flags: JSON.stringify([...new Set(answer.flags)]),
      classified_by: answer.engine,
      classifier_version: local.version,
      classified_at: NOW.getTime(),
    });
  }

  // History: ingest's decision (never written to the history by ingest) kept before the first change, then the
  // engine's answer; a mention stored unclassified gets only the answer; the corrected one only the correction.
  const history = await historyTable();
  const expectedHistory = ids.flatMap((id) => {
    if (id === correctedId)
      return [{ mention_id: id, engine: "human", version: HUMAN_VERSION, category: "privacy" }];
    const answer = answers.get(id)!;
    const fresh = {
      mention_id: id,
      engine: answer.engine,
      version: local.version,
      category: answer.category,
    };
    return praised.includes(id)
      ? [{ mention_id: id, engine: "local", version: "old-model-0", category: "praise" }, fresh]
      : [fresh];
  });
  const byMention = (rows: { mention_id: number }[]) => [...rows].sort((a, b) => a.mention_id - b.mention_id);
  expect(byMention(history.map(({ created_at: _, ...h }) => h))).toEqual(byMention(expectedHistory));
  expect(history.every((h) => h.created_at === NOW.getTime())).toBe(true);

  // The per-category counts moved with the categories (the correction's too).
  expect(await categoryCounts()).toEqual(await recounted());

  // Again, from the start: every answer is already there, so nothing is written and nothing doubles.
  const [mentionsBefore, historyBefore, countsBefore] = [after, history, await countsTable()];
  const again = await reclassifyMentions(deps, {
    classifier: engine,
    batchSize: 4,
    mode: "all",
    restart: true,
  });
  expect(again).toMatchObject({ status: "done", processed: written.length, changed: 0, skipped: 0 });
  expect(await mentionTable()).toEqual(mentionsBefore);
  expect(await historyTable()).toEqual(historyBefore);
  expect(await countsTable()).toEqual(countsBefore);
  expect(await rowsOf(sql`SELECT name FROM leases WHERE name LIKE 'reclassify%'`)).toEqual([]);
});

it("saves the position with each batch on D1, counting only what the batch wrote, and resumes from it", async () => {
  const source = await addSource(deps, "reviews");
  const ids = await storeTexts(deps, source, TEXTS, { classifier: everythingPraise });
  markD1(deps.db);
  const local = new LocalEngine();
  const first = await reclassifyMentions(deps, { classifier: local, batchSize: 3, maxMentions: 6 });
  expect(first).toMatchObject({ status: "partial", processed: 6, lastId: ids[5] });
  const [saved] = await rowsOf<{ holder: string }>(
    sql`SELECT holder FROM leases WHERE name LIKE 'reclassify-position:%'`,
  );
  // changed, recounted in plain SQL: mentions of the first six whose answer is no longer ingest's praise/low.
  const [{ n }] = (await rowsOf<{ n: number }>(sql`
    SELECT count(*) AS n FROM mentions WHERE id <= ${ids[5]!}
      AND NOT (category = 'praise' AND relevant = 1 AND severity = 'low' AND flags = '[]')`)) as [
    { n: number },
  ];
  expect(JSON.parse(saved!.holder)).toEqual({ lastId: ids[5], processed: 6, changed: n });
  expect(first.changed).toBe(n);

  const rest = await reclassifyMentions(deps, { classifier: local, batchSize: 3 });
  expect(rest).toMatchObject({ status: "done", resumedAfter: ids[5], processed: TEXTS.length });
  const [{ m }] = (await rowsOf<{ m: number }>(sql`
    SELECT count(*) AS m FROM mentions
    WHERE NOT (category = 'praise' AND relevant = 1 AND severity = 'low' AND flags = '[]')`)) as [
    { m: number },
  ];
  expect(rest.changed).toBe(m);
  const [{ h }] = (await rowsOf<{ h: number }>(sql`SELECT count(*) AS h FROM classifications`)) as [
    { h: number },
  ];
  expect(h).toBe(2 * TEXTS.length);
});

it("raises the urgent alert of a late-classified post on D1, once", async () => {
  await deps.cleanup();
  deps = await createTestDeps({ SLACK_WEBHOOK_URL: "http://127.0.0.1:9/slack-hook" }, () => NOW);
  const source = await addSource(deps, "reviews");
  const [urgent] = await storeTexts(deps, source, [
    "Acme Recovery calls every day, I can't take it anymore, I want to kill myself",
    "Acme Recovery was kind to me today",
  ]);
  const runtime = await buildRuntime(deps);
  markD1(runtime.db);
  const result = await runClassifyUnclassified(runtime);
  expect(result).toMatchObject({ status: "done", processed: 2, skipped: 0 });
  await runClassifyUnclassified(runtime);
  const messages = await rowsOf<{ idempotency_key: string }>(sql`SELECT idempotency_key FROM outbox`);
  expect(messages).toEqual([{ idempotency_key: `urgent:${urgent}` }]);
  const [row] = await rowsOf<{ severity: string }>(sql`SELECT severity FROM mentions WHERE id = ${urgent!}`);
  expect(row!.severity).toBe("critical");
});
