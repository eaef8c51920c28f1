import { asc, eq, inArray, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  addReviewer,
  addSource,
  everythingPraise,
  fixed,
  recording,
  storeTexts,
  TEXTS,
} from "../../../test/classification/helpers.js";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import { LocalEngine } from "../../classifier/index.js";
import {
  accountLinks,
  accounts,
  classifications,
  hourlyCounts,
  jobRuns,
  mentions,
  outbox,
  rightsEvents,
} from "../../db/schema/index.js";
import { DEFAULT_SLA_MINUTES } from "../../domain/sla.js";
import { RIGHTS_EVENT_FLAGS } from "../../domain/taxonomy.js";
import { runClassifyUnclassified } from "../../jobs/reclassify.js";
import { JOBS } from "../../jobs/schedule.js";
import { runJob } from "../../jobs/scheduler.js";
import { buildRuntime } from "../../runtime.js";
import { correctClassification } from "../mentions/correct-classification.js";
import { reclassifyMentions } from "./reclassify.js";

const NOW = new Date("2026-11-22T12:00:00Z");
let deps: TestDeps;

beforeEach(async () => {
  deps = await createTestDeps({}, () => NOW);
});
afterEach(async () => {
  await deps.cleanup();
});

const mentionRows = (ids: number[]) =>
  deps.db.select().from(mentions).where(inArray(mentions.id, ids)).orderBy(asc(mentions.id));
const historyOf = (id: number) =>
  deps.db
    .select()
    .from(classifications)
    .where(eq(classifications.mentionId, id))
    .orderBy(asc(classifications.id));

describe("reclassifyMentions", () => {
  it("replaces an outdated model's answers with the local engine's, keeping the history and moving category counts", async () => {
    const source = await addSource(deps, "reviews");
    const ids = await storeTexts(deps, source, TEXTS, { classifier: everythingPraise });
    const local = new LocalEngine();
    const expected = await local.classify(TEXTS.map((text, i) => ({ id: String(i), text })));
    const praiseKey = `brand:${deps.companyBrandId}|cat:praise|src:${source.id}`;
    const countOf = async (key: string) =>
      (await deps.db.select().from(hourlyCounts).where(eq(hourlyCounts.key, key)))[0]?.count ?? 0;
    expect(await countOf(praiseKey)).toBe(TEXTS.length);

    const progress: number[] = [];
    const result = await reclassifyMentions(deps, {
      engine: "local",
      batchSize: 3,
      onProgress: (p) => progress.push(p.processed),
    });

    expect(result.status).toBe("done");
    expect(result.processed).toBe(TEXTS.length);
    expect(result.total).toBe(TEXTS.length);
    expect(progress).toEqual([0, 3, 6, 8]);
    const changed = expected.filter(
      (e) => e.category !== "praise" || e.severity !== "low" || e.flags.length > 0,
    );
    expect(changed.length).toBeGreaterThanOrEqual(5);
    expect(result.changed).toBe(changed.length);

    const rows = await mentionRows(ids);
    for (const [i, row] of rows.entries()) {
      const e = expected[i]!;
      expect({
        category: row.category,
        severity: row.severity,
        flags: row.flags,
        relevant: row.relevant,
      }).toEqual({
        category: e.category,
        severity: e.severity,
        flags: e.flags,
        relevant: e.relevant,
      });
      expect(row.classifiedBy).toBe("local");
      expect(row.classifierVersion).toBe(local.version);
      expect(row.classifiedAt).toEqual(NOW);
      // Still "new": the SLA clock follows the new severity from when the customer posted.
      const posted = Math.min(row.createdAt.getTime(), row.fetchedAt.getTime());
      const due = e.relevant ? new Date(posted + DEFAULT_SLA_MINUTES[e.severity] * 60_000) : null;
      expect(row.slaDueAt).toEqual(due);
      // The ingest decision is kept in the history, then the new one.
      const history = await historyOf(row.id);
      expect(history.map((h) => [h.engine, h.version, h.category])).toEqual([
        ["local", "old-model-0", "praise"],
        ["local", local.version, e.category],
      ]);
    }
    // Spike detection's per-category counts follow the mentions.
    const stillPraise = expected.filter((e) => e.category === "praise").length;
    expect(await countOf(praiseKey)).toBe(stillPraise);
    for (const category of new Set(expected.map((e) => e.category).filter((c) => c !== "praise"))) {
      expect(await countOf(`brand:${deps.companyBrandId}|cat:${category}|src:${source.id}`)).toBe(
        expected.filter((e) => e.category === category).length,
      );
    }
    const [run] = await deps.db.select().from(jobRuns).where(eq(jobRuns.job, "reclassify"));
    expect(run).toMatchObject({ status: "ok", items: TEXTS.length });

    // Run again: everything is current, nothing is classified or written twice.
    const again = await reclassifyMentions(deps, { engine: "local" });
    expect(again.total).toBe(0);
    expect((await historyOf(ids[0]!)).length).toBe(2);
  });

  it("leaves the SLA clock alone once someone is working on the mention", async () => {
    const source = await addSource(deps, "reviews");
    const [a, b] = await storeTexts(deps, source, TEXTS.slice(0, 2), { classifier: everythingPraise });
    await deps.db.update(mentions).set({ status: "triaged" }).where(eq(mentions.id, b!));
    const [before] = await mentionRows([b!]);
    await reclassifyMentions(deps, { classifier: fixed({ severity: "critical" }) });
    const [rowA, rowB] = await mentionRows([a!, b!]);
    expect(rowA!.severity).toBe("critical");
    const postedA = Math.min(rowA!.createdAt.getTime(), rowA!.fetchedAt.getTime());
    expect(rowA!.slaDueAt).toEqual(new Date(postedA + 60 * 60_000));
    expect(rowB!.severity).toBe("critical");
    expect(rowB!.slaDueAt).toEqual(before!.slaDueAt);
  });

  it("never overwrites a reviewer's correction", async () => {
    const source = await addSource(deps, "reviews");
    const ids = await storeTexts(deps, source, TEXTS.slice(0, 4), { classifier: everythingPraise });
    const reviewer = await addReviewer(deps);
    await correctClassification(deps, reviewer, {
      mentionId: ids[1]!,
      category: "privacy",
      severity: "high",
      flags: ["cease_contact"],
    });
    const engine = recording(fixed({ category: "legal_threats" }));

    for (const mode of ["stale", "all"] as const) {
      const result = await reclassifyMentions(deps, { classifier: engine.classifier, mode, restart: true });
      expect(result.status).toBe("done");
    }
    // The corrected mention is not even sent to the engine.
    expect(engine.seen).not.toContain(String(ids[1]));
    const [corrected] = await mentionRows([ids[1]!]);
    expect(corrected).toMatchObject({
      category: "privacy",
      severity: "high",
      flags: ["cease_contact"],
      classifiedBy: "human",
    });
    expect((await historyOf(ids[1]!)).map((h) => h.engine)).toEqual(["human"]);
    for (const id of [ids[0]!, ids[2]!, ids[3]!])
      expect((await mentionRows([id]))[0]!.category).toBe("legal_threats");
  });

  it("lets a correction made while a batch is being classified win", async () => {
    const source = await addSource(deps, "reviews");
    const ids = await storeTexts(deps, source, TEXTS.slice(0, 3), { classifier: everythingPraise });
    const reviewer = await addReviewer(deps);
    const inner = fixed({ category: "legal_threats" });
    const result = await reclassifyMentions(deps, {
      classifier: {
        version: inner.version,
        async classify(items) {
          // The reviewer saves while the engine is thinking.
          await correctClassification(deps, reviewer, {
            mentionId: ids[2]!,
            category: "praise",
            severity: "low",
            flags: [],
          });
          return inner.classify(items);
        },
      },
    });
    expect(result.skipped).toBe(1);
    expect(result.changed).toBe(2);
    const [row] = await mentionRows([ids[2]!]);
    expect(row).toMatchObject({ category: "praise", classifiedBy: "human" });
    expect((await historyOf(ids[2]!)).map((h) => h.engine)).toEqual(["human"]);
  });

  it("resumes an interrupted run after the last committed batch without redoing work", async () => {
    const source = await addSource(deps, "reviews");
    const ids = await storeTexts(deps, source, [...TEXTS, ...TEXTS.map((t) => `${t} (again)`)], {
      classifier: everythingPraise,
    });
    const inner = fixed({ category: "written_notice" });
    const first = recording(inner, 3);
    const stopped = await reclassifyMentions(deps, { classifier: first.classifier, batchSize: 5 });
    expect(stopped).toMatchObject({ status: "stopped", error: "classifier went away", processed: 10 });
    expect(first.seen).toEqual(ids.slice(0, 10).map(String));
    const [failedRun] = await deps.db.select().from(jobRuns).where(eq(jobRuns.job, "reclassify"));
    expect(failedRun).toMatchObject({ status: "error", items: 10, error: "classifier went away" });

    const second = recording(inner);
    const progress: { processed: number; total: number }[] = [];
    const resumed = await reclassifyMentions(deps, {
      classifier: second.classifier,
      batchSize: 5,
      onProgress: (p) => progress.push({ processed: p.processed, total: p.total }),
    });
    expect(resumed).toMatchObject({
      status: "done",
      resumedAfter: ids[9],
      processed: ids.length,
      total: ids.length,
    });
    expect(progress[0]).toEqual({ processed: 10, total: ids.length });
    expect(second.seen).toEqual(ids.slice(10).map(String));
    for (const id of ids) expect((await historyOf(id)).length).toBe(2);

    // Finished: the position is gone, so the next run (nothing stale left) starts from the beginning and finds nothing.
    const third = recording(inner);
    const next = await reclassifyMentions(deps, { classifier: third.classifier });
    expect(next).toMatchObject({ status: "done", resumedAfter: null, total: 0 });
    expect(third.seen).toEqual([]);
  });

  it("stops after the batch in hand when aborted, and a capped run continues where it stopped", async () => {
    const source = await addSource(deps, "reviews");
    const ids = await storeTexts(deps, source, TEXTS, { classifier: everythingPraise });
    const controller = new AbortController();
    const engine = recording(fixed({ category: "privacy" }));
    const result = await reclassifyMentions(deps, {
      classifier: engine.classifier,
      batchSize: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.processed === 2) controller.abort();
      },
    });
    expect(result).toMatchObject({ status: "stopped", error: "interrupted", processed: 2 });

    const capped = await reclassifyMentions(deps, {
      classifier: engine.classifier,
      batchSize: 2,
      maxMentions: 3,
    });
    expect(capped).toMatchObject({ status: "partial", processed: 5, resumedAfter: ids[1] });
    const rest = await reclassifyMentions(deps, { classifier: engine.classifier, batchSize: 2 });
    expect(rest).toMatchObject({ status: "done", processed: 8 });
    expect(engine.seen).toEqual(ids.map(String));
  });

  it("refuses a second run over the same mentions while the first is working", async () => {
    const source = await addSource(deps, "reviews");
    await storeTexts(deps, source, TEXTS, { classifier: everythingPraise });
    const inner = fixed({ category: "privacy" });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow = {
      version: inner.version,
      async classify(items: Parameters<typeof inner.classify>[0]) {
        entered();
        await gate;
        return inner.classify(items);
      },
    };
    const first = reclassifyMentions(deps, { classifier: slow });
    await inside;
    await expect(reclassifyMentions(deps, { classifier: inner })).rejects.toThrow(
      /another reclassification of the same mentions is running/,
    );
    // A different scope is a different walk and may run alongside.
    expect((await reclassifyMentions(deps, { classifier: inner, sourceName: "reviews" })).status).toBe(
      "done",
    );
    release();
    expect((await first).status).toBe("done");
    // Once the first has finished, the same scope is free again.
    expect((await reclassifyMentions(deps, { classifier: inner })).status).toBe("done");
  });

  it("limits the walk to a source and to mentions created since a date", async () => {
    const reviews = await addSource(deps, "reviews");
    const forum = await addSource(deps, "forum");
    const old = await storeTexts(deps, reviews, TEXTS.slice(0, 2), {
      classifier: everythingPraise,
      createdAt: new Date("2026-10-01T00:00:00Z"),
      prefix: "old",
    });
    const recent = await storeTexts(deps, reviews, TEXTS.slice(2, 4), {
      classifier: everythingPraise,
      prefix: "new",
    });
    const other = await storeTexts(deps, forum, TEXTS.slice(4, 6), { classifier: everythingPraise });
    const engine = recording(fixed({ category: "privacy" }));
    const result = await reclassifyMentions(deps, {
      classifier: engine.classifier,
      sourceName: "reviews",
      since: new Date("2026-11-01T00:00:00Z"),
    });
    expect(result.processed).toBe(2);
    expect(engine.seen).toEqual(recent.map(String));
    for (const id of [...old, ...other]) expect((await mentionRows([id]))[0]!.category).toBe("praise");
    await expect(
      reclassifyMentions(deps, { classifier: engine.classifier, sourceName: "nope" }),
    ).rejects.toThrow(/no source named "nope"/);
  });
});

describe("the unclassified job", () => {
  it("classifies mentions stored without a classification, and only those", async () => {
    const source = await addSource(deps, "reviews");
    const classified = await storeTexts(deps, source, TEXTS.slice(0, 2), {
      classifier: everythingPraise,
      prefix: "c",
    });
    const unclassified = await storeTexts(deps, source, TEXTS, { prefix: "u" });
    expect(
      (await mentionRows(unclassified)).every((r) => r.classifiedAt === null && r.category === null),
    ).toBe(true);
    const unclassifiedKey = `brand:${deps.companyBrandId}|cat:unclassified|src:${source.id}`;
    const [before] = await deps.db.select().from(hourlyCounts).where(eq(hourlyCounts.key, unclassifiedKey));
    expect(before!.count).toBe(TEXTS.length);

    const job = JOBS.find((j) => j.name === "classify-unclassified");
    expect(job?.cron).toBe("*/5 * * * *");
    expect(await runJob(deps, job!, "test-holder", NOW)).toBe(true);

    const expected = await new LocalEngine().classify(TEXTS.map((text, i) => ({ id: String(i), text })));
    const rows = await mentionRows(unclassified);
    expect(rows.map((r) => r.category)).toEqual(expected.map((e) => e.category));
    expect(rows.every((r) => r.classifiedBy === "local" && r.classifiedAt !== null)).toBe(true);
    expect((await mentionRows(classified)).every((r) => r.category === "praise")).toBe(true);
    const [after] = await deps.db.select().from(hourlyCounts).where(eq(hourlyCounts.key, unclassifiedKey));
    expect(after!.count).toBe(0);
    const [run] = await deps.db.select().from(jobRuns).where(eq(jobRuns.job, "classify-unclassified"));
    expect(run).toMatchObject({ status: "ok", items: TEXTS.length });
    // Its walk keeps no position (classifying takes a mention out of scope): no state row is left behind.
    const { leases } = await import("../../db/schema/index.js");
    expect(await deps.db.select().from(leases).where(like(leases.name, "reclassify%"))).toEqual([]);
  });

  it("raises the urgent alert an unclassified post could not raise at ingest, once", async () => {
    await deps.cleanup();
    deps = await createTestDeps({ SLACK_WEBHOOK_URL: "http://127.0.0.1:9/slack-hook" }, () => NOW);
    const source = await addSource(deps, "reviews");
    const [urgent, calm] = await storeTexts(deps, source, [
      "Acme Recovery calls every day, I can't take it anymore, I want to kill myself",
      "Acme Recovery was kind to me today",
    ]);
    // A post classified at ingest and reclassified later is not alerted again by a reclassification.
    const [alreadyCritical] = await storeTexts(
      deps,
      source,
      ["Acme Recovery, my attorney will be in touch"],
      {
        classifier: everythingPraise,
        prefix: "old",
      },
    );
    expect(await deps.db.select().from(outbox)).toEqual([]);

    // The runtime's routers, as `npm start` and the Worker wire them.
    const runtime = await buildRuntime(deps);
    await runClassifyUnclassified(runtime);
    await runClassifyUnclassified(runtime);
    await reclassifyMentions(runtime, { engine: "local" });

    const [row] = await mentionRows([urgent!]);
    expect(row).toMatchObject({ severity: "critical", flags: ["self_harm"] });
    const messages = await deps.db.select().from(outbox);
    expect(messages.map((m) => [m.idempotencyKey, m.kind, m.destination])).toEqual([
      [`urgent:${urgent}`, "slack", "http://127.0.0.1:9/slack-hook"],
    ]);
    expect(JSON.stringify(messages[0]!.payload)).toContain("possible self-harm");
    expect((await mentionRows([alreadyCritical!]))[0]!.flags).toContain("attorney");
    expect(calm).toBeDefined();
  });

  it("turns the rights flags of a late-classified post by a linked author into rights events", async () => {
    const runtime = await buildRuntime(deps);
    const source = await addSource(deps, "reviews");
    const [earlier] = await storeTexts(deps, source, ["Acme Recovery sent me a letter"], {
      classifier: everythingPraise,
      authorHandle: "pat_doe",
      prefix: "earlier",
      routers: runtime.routers,
    });
    const [account] = await deps.db
      .insert(accounts)
      .values({ workspaceId: deps.workspaceId, reference: "ACC-1", displayName: "Pat Doe" })
      .returning();
    await deps.db.insert(accountLinks).values({
      mentionId: earlier!,
      accountId: account!.id,
      score: 100,
      evidence: [],
      status: "confirmed",
      decidedAt: NOW,
    });
    // Stored while the classifier was down: routed at ingest without flags, so no event yet.
    const [late] = await storeTexts(
      deps,
      source,
      ["@AcmeRecovery stop calling me. I dispute this debt, it is not mine"],
      {
        authorHandle: "pat_doe",
        prefix: "late",
        routers: runtime.routers,
      },
    );
    expect(await deps.db.select().from(rightsEvents)).toEqual([]);

    await runClassifyUnclassified(runtime);

    const [row] = await mentionRows([late!]);
    const rights = row!.flags.filter((f) => (RIGHTS_EVENT_FLAGS as readonly string[]).includes(f));
    expect(rights.length).toBeGreaterThan(0);
    const events = await deps.db.select().from(rightsEvents).where(eq(rightsEvents.mentionId, late!));
    expect(events.map((e) => e.flag).sort()).toEqual([...rights].sort());
    expect(events.every((e) => e.accountId === account!.id)).toBe(true);
  });

  it("uses the runtime's classifier and does at most a bounded number per run", async () => {
    const source = await addSource(deps, "reviews");
    const ids = await storeTexts(deps, source, TEXTS);
    const engine = recording(fixed({ category: "debt_not_owed" }, "runtime-1"));
    const withClassifier = { ...deps, classifier: engine.classifier as never };
    const first = await runClassifyUnclassified(withClassifier, { maxMentions: 5, batchSize: 2 });
    expect(first).toMatchObject({ status: "partial", processed: 5 });
    const second = await runClassifyUnclassified(withClassifier, { maxMentions: 5, batchSize: 2 });
    expect(second).toMatchObject({ status: "done", processed: 3 });
    expect(engine.seen).toEqual(ids.map(String));
    expect(
      (await mentionRows(ids)).every(
        (r) => r.category === "debt_not_owed" && r.classifierVersion === "runtime-1",
      ),
    ).toBe(true);
  });
});

describe("reclassifying with the hybrid engine", () => {
  it("sends only the texts the local model is unsure of, once each, through one Message Batch", async () => {
    const { ClaudeEngine, HybridEngine, MemoryClassificationCache } = await import(
      "../../classifier/index.js"
    );
    const { startFakeAnthropic, toolUseMessage } = await import("../../classifier/testing/fake-anthropic.js");
    const fake = await startFakeAnthropic(
      () => ({
        body: toolUseMessage({
          category: "other_collections",
          relevant: true,
          severity: "medium",
          flags: [],
          sentiment: -0.2,
          confidence: 0.95,
        }),
      }),
      0,
    );
    try {
      const source = await addSource(deps, "reviews");
      const selfHarm = "Acme Recovery calls every day, I can't take it anymore, I want to kill myself";
      const texts = [...TEXTS, selfHarm, selfHarm];
      const ids = await storeTexts(deps, source, texts, { classifier: everythingPraise });
      const local = new LocalEngine();
      const claude = new ClaudeEngine({ apiKey: "sk-test", baseURL: fake.baseURL, model: "claude-test" });
      const hybrid = new HybridEngine(local, claude, new MemoryClassificationCache());

      const result = await reclassifyMentions(deps, { classifier: hybrid, batchApi: true });

      expect(result).toMatchObject({ status: "done", processed: texts.length, failed: 0 });
      expect(fake.batchCreates).toBe(1);
      // The two copies of the critical post went to Claude once.
      expect(hybrid.stats.sentToClaude).toBe(fake.requests.length);
      expect(fake.requests.length).toBeGreaterThanOrEqual(1);
      const rows = await mentionRows(ids);
      const byClaude = rows.filter((r) => r.classifiedBy === "claude");
      expect(byClaude.map((r) => r.id)).toEqual(expect.arrayContaining([ids[8], ids[9]]));
      for (const row of byClaude) {
        expect(row.category).toBe("other_collections");
        expect(row.classifierVersion).toBe(claude.version);
      }
      // Claude's answer never loses a flag the patterns found.
      expect(rows[8]!.flags).toContain("self_harm");
      expect(rows[8]!.severity).toBe("critical");
      const localRows = rows.filter((r) => r.classifiedBy === "local");
      expect(localRows.length + byClaude.length).toBe(texts.length);
      expect(localRows.length).toBeGreaterThan(0);
    } finally {
      await fake.close();
    }
  });
});

describe("the saved position", () => {
  it("is forgotten after a week, so a stale resume does not skip what changed since", async () => {
    const { loadPosition, POSITION_TTL_MS, savePosition } = await import("./reclassify-state.js");
    await savePosition(deps.db, "scope-a", { lastId: 42, processed: 100, changed: 7 }, NOW);
    expect(await loadPosition(deps.db, "scope-a", NOW)).toEqual({ lastId: 42, processed: 100, changed: 7 });
    expect(await loadPosition(deps.db, "scope-b", NOW)).toBeNull();
    const later = new Date(NOW.getTime() + POSITION_TTL_MS + 1);
    expect(await loadPosition(deps.db, "scope-a", later)).toBeNull();
  });
});
