import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { asc, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEngine } from "../../src/classifier/index.js";
import {
  mentionOf,
  startFakeAnthropic,
  toolUseMessage,
} from "../../src/classifier/testing/fake-anthropic.js";
import { loadJsonlRows } from "../../src/classifier/training.js";
import { classifications, mentions } from "../../src/db/schema/index.js";
import { correctClassification } from "../../src/services/mentions/correct-classification.js";
import { runCli } from "../helpers/cli.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";
import { addReviewer, addSource, everythingPraise, storeTexts, TEXTS } from "./helpers.js";

let deps: TestDeps;
let env: Record<string, string>;

beforeEach(async () => {
  deps = await createTestDeps();
  env = {
    DATABASE_URL: deps.env.DATABASE_URL,
    RAPPORT_DEMO: "0",
    LOG_LEVEL: "silent",
    RAPPORT_SECRET: deps.env.RAPPORT_SECRET,
    // The fake Anthropic API listens on 127.0.0.1, which the egress policy refuses unless allow-listed.
    EGRESS_ALLOW: "127.0.0.1",
  };
});
afterEach(async () => {
  await deps.cleanup();
});

const rowsOf = (ids: number[]) =>
  deps.db.select().from(mentions).where(inArray(mentions.id, ids)).orderBy(asc(mentions.id));

describe("rapport reclassify", () => {
  it("reclassifies with the local engine, keeps corrections, prints a summary, and has nothing left on a second run", async () => {
    const source = await addSource(deps, "reviews");
    const ids = await storeTexts(deps, source, TEXTS, { classifier: everythingPraise });
    const reviewer = await addReviewer(deps);
    await correctClassification(deps, reviewer, {
      mentionId: ids[0]!,
      category: "debt_not_owed",
      severity: "high",
      flags: ["dispute"],
    });
    const local = new LocalEngine();
    const expected = await local.classify(TEXTS.map((text, i) => ({ id: String(i), text })));
    const changed = expected
      .slice(1)
      .filter((e) => e.category !== "praise" || e.severity !== "low" || e.flags.length > 0).length;

    const run = await runCli(["reclassify", "--engine", "local"], { env });
    expect(run.stderr).toContain(`reclassify: 7/7, ${changed} changed`);
    expect(run.stdout).toBe(
      `7 mentions classified with ${local.version}: ${changed} changed, 1 reviewer corrections kept, 0 without an answer\n`,
    );
    expect(run.code).toBe(0);
    const rows = await rowsOf(ids);
    expect(rows[0]).toMatchObject({ category: "debt_not_owed", classifiedBy: "human" });
    expect(rows.slice(1).map((r) => r.category)).toEqual(expected.slice(1).map((e) => e.category));

    const again = await runCli(["reclassify"], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 mentions classified/);
    const all = await runCli(["reclassify", "--all", "--source", "reviews"], { env });
    expect(all.stdout).toBe(
      `7 mentions classified with ${local.version}: 0 changed, 1 reviewer corrections kept, 0 without an answer\n`,
    );
  });

  it("explains bad options and a missing API key", async () => {
    const bad = await runCli(["reclassify", "--engine", "gpt"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--engine must be one of local, claude, hybrid (got "gpt")');
    const since = await runCli(["reclassify", "--since", "last tuesday"], { env });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since "last tuesday" is not a date');
    const source = await runCli(["reclassify", "--source", "nowhere"], { env });
    expect(source.code).toBe(1);
    expect(source.stderr).toContain('no source named "nowhere"');
    const claude = await runCli(["reclassify", "--engine", "claude"], { env });
    expect(claude.code).toBe(1);
    expect(claude.stderr).toContain("the claude engine needs ANTHROPIC_API_KEY");
  });

  it("sends a large Claude run through one Message Batch and keeps what a failed request had", async () => {
    const source = await addSource(deps, "reviews");
    const texts = Array.from({ length: 210 }, (_, i) => `${TEXTS[i % TEXTS.length]} #${i}`);
    const ids = await storeTexts(deps, source, texts, { classifier: everythingPraise });
    const fake = await startFakeAnthropic((request) => {
      if (mentionOf(request).endsWith("#7"))
        return { status: 500, body: { type: "error", error: { type: "api_error", message: "boom" } } };
      return {
        body: toolUseMessage({
          category: "communication_tactics",
          relevant: true,
          severity: "medium",
          flags: [],
          sentiment: -0.4,
          confidence: 0.9,
        }),
      };
    }, 0);
    try {
      const run = await runCli(["reclassify", "--engine", "claude"], {
        env: {
          ...env,
          ANTHROPIC_API_KEY: "sk-test",
          ANTHROPIC_BASE_URL: fake.baseURL,
          CLAUDE_MODEL: "claude-test",
        },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^210 mentions classified with claude:claude-test:prompt-[0-9a-f]{8}: 209 changed, 0 reviewer corrections kept, 1 without an answer\n$/,
      );
      expect(fake.batchCreates).toBe(1);
      expect(fake.requests).toHaveLength(210);
      const rows = await rowsOf(ids);
      expect(rows[7]).toMatchObject({ category: "praise", classifierVersion: "old-model-0" });
      expect(
        rows.filter((r) => r.classifiedBy === "claude" && r.category === "communication_tactics"),
      ).toHaveLength(209);
      const history = await deps.db
        .select()
        .from(classifications)
        .where(eq(classifications.engine, "claude"));
      expect(history).toHaveLength(209);
    } finally {
      await fake.close();
    }
  });
});

describe("rapport reclassify on a terminal", () => {
  it("draws a progress bar on stderr and prints the summary on stdout", async () => {
    const source = await addSource(deps, "reviews");
    await storeTexts(deps, source, TEXTS, { classifier: everythingPraise });
    const { main } = await import("../../src/cli.js");
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    const stdin = new PassThrough();
    stdin.end();
    let out = "";
    let err = "";
    stdout.on("data", (c: Buffer) => (out += c.toString()));
    stderr.on("data", (c: Buffer) => (err += c.toString()));
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      expect(await main(["reclassify", "--batch-size", "3"], { stdin, stdout, stderr })).toBe(0);
    } finally {
      for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
    expect(err).toMatch(/reclassify \|[█░]+\| 8\/8 · \d+ changed/);
    expect(out).toMatch(/^8 mentions classified with local-/);
  });
});

describe("rapport export-labels", () => {
  it("writes each corrected mention once, with its latest correction, in the shape training reads", async () => {
    const source = await addSource(deps, "reviews");
    const texts = [...TEXTS.slice(0, 3), "Acme Recovery keeps calling 555-867-5309 about my mom's bill"];
    const ids = await storeTexts(deps, source, texts, { classifier: everythingPraise });
    const reviewer = await addReviewer(deps);
    await correctClassification(deps, reviewer, {
      mentionId: ids[1]!,
      category: "praise",
      severity: "low",
      flags: [],
    });
    await correctClassification(deps, reviewer, {
      mentionId: ids[1]!,
      category: "privacy",
      severity: "high",
      flags: ["cease_contact"],
    });
    await correctClassification(deps, reviewer, {
      mentionId: ids[3]!,
      category: "not_collections",
      severity: "low",
      flags: [],
    });
    // An engine's answer is not a label.
    await runCli(["reclassify", "--engine", "local"], { env });

    const file = join(deps.dir, "labels.jsonl");
    const run = await runCli(["export-labels", "--output", file], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`Exported 2 reviewer corrections to ${file}.\n`);
    const lines = readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      id: `mention-${ids[1]}`,
      text: texts[1],
      category: "privacy",
      relevant: true,
      flags: ["cease_contact"],
      source: "reviewer",
      corrected_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(lines[1]).toMatchObject({
      id: `mention-${ids[3]}`,
      text: texts[3],
      category: "not_collections",
      relevant: false,
    });
    // The training loader reads the file as labelled rows.
    expect(loadJsonlRows(file)).toEqual([
      { id: `mention-${ids[1]}`, text: texts[1], category: "privacy", relevant: true },
      { id: `mention-${ids[3]}`, text: texts[3], category: "not_collections", relevant: false },
    ]);

    const toStdout = await runCli(["export-labels", "--masked"], { env });
    expect(toStdout.code).toBe(0);
    const masked = toStdout.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { text: string });
    expect(masked).toHaveLength(2);
    expect(masked[1]!.text).not.toContain("555-867-5309");
    expect(toStdout.stderr).toBe("Exported 2 reviewer corrections.\n");
  });

  it("says so when there is nothing to export, and refuses an unwritable path", async () => {
    const empty = await runCli(["export-labels"], { env });
    expect(empty).toMatchObject({ code: 0, stdout: "", stderr: "Exported 0 reviewer corrections.\n" });
    const blocked = join(deps.dir, "file-not-dir");
    writeFileSync(blocked, "");
    const bad = await runCli(["export-labels", "--output", join(blocked, "labels.jsonl")], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("cannot write");
  });
});
