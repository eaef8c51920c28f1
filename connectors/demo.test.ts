import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../src/platform/http/index.js";
import {
  type DemoConfig,
  type DemoRow,
  demoConfigSchema,
  demoConnector,
  loadDemoRows,
  resolveDemoFile,
} from "./demo.js";
import { ConnectorError } from "./errors.js";
import type { Cursor, PollPage } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "rapport-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function row(id: string, segment = "company", extra: Partial<DemoRow> = {}): DemoRow {
  return {
    id,
    text: `Complaint number ${id}: the collector kept calling my work after I asked them to stop.`,
    kind: "complaint",
    segment,
    author: `demo_user_${id.padStart(4, "0")}`,
    rating: null,
    source_file: "cfpb_debt_collection_unlabelled.jsonl",
    source_repo: "example/repo",
    source_commit: "0".repeat(40),
    source_path: "complaints.csv",
    original_id: `cfpb-${id}`,
    ...extra,
  };
}

function writeRows(name: string, rows: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n")}\n`);
  return path;
}

const http = createHttpClient({ allow: "127.0.0.1,localhost", userAgent: "test" });
const config = (overrides: Record<string, unknown>): DemoConfig => demoConfigSchema.parse(overrides);
const poll = (cfg: DemoConfig, cursor: Cursor | null, now: Date): Promise<PollPage> =>
  demoConnector.poll({ config: cfg, cursor, now, http });

const T0 = new Date("2026-03-10T12:00:00.000Z");
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe("demo connector", () => {
  const file = writeRows(
    "ten.jsonl",
    Array.from({ length: 10 }, (_, i) => row(String(i + 1))),
  );

  it("releases the backlog on the first poll, spread over the past days in order", async () => {
    const page = await poll(config({ file, backlog: 6, releasePerRun: 2 }), null, T0);
    expect(page.mentions.map((m) => m.externalId)).toEqual([
      "demo-1",
      "demo-2",
      "demo-3",
      "demo-4",
      "demo-5",
      "demo-6",
    ]);
    const times = page.mentions.map((m) => m.createdAt.getTime());
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(T0.getTime() - 7 * DAY);
      expect(t).toBeLessThan(T0.getTime());
    }
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Spread over days, not bunched at one end.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(4 * DAY);
    expect(page.cursor).toEqual({ released: 6, lastReleaseAt: T0.toISOString() });
    expect(page.hasMore).toBe(false);
    const first = page.mentions[0]!;
    expect(first.authorHandle).toBe("demo_user_0001");
    expect(first.text).toContain("Complaint number 1:");
    expect(first.meta).toMatchObject({ demo: true, kind: "complaint", provenance: { id: "cfpb-1" } });
  });

  it("releases releasePerRun more on each later poll, dated in the minutes since the previous one", async () => {
    const cfg = config({ file, backlog: 6, releasePerRun: 2 });
    const first = await poll(cfg, null, T0);
    const t1 = new Date(T0.getTime() + 3 * MINUTE);
    const second = await poll(cfg, first.cursor, t1);
    expect(second.mentions.map((m) => m.externalId)).toEqual(["demo-7", "demo-8"]);
    for (const m of second.mentions) {
      expect(m.createdAt.getTime()).toBeGreaterThanOrEqual(T0.getTime());
      expect(m.createdAt.getTime()).toBeLessThan(t1.getTime());
    }
    // After a long quiet spell the new mentions still land in the last few minutes, not hours back.
    const t2 = new Date(t1.getTime() + 6 * 60 * MINUTE);
    const third = await poll(cfg, second.cursor, t2);
    for (const m of third.mentions)
      expect(t2.getTime() - m.createdAt.getTime()).toBeLessThanOrEqual(5 * MINUTE);
  });

  it("is deterministic given the cursor and now, so a restart after a crash repeats exactly the lost page", async () => {
    const cfg = config({ file, backlog: 3, releasePerRun: 2 });
    const first = await poll(cfg, null, T0);
    const t1 = new Date(T0.getTime() + MINUTE);
    const a = await poll(cfg, first.cursor, t1);
    const b = await poll(cfg, first.cursor, t1);
    expect(b).toEqual(a);
    expect((await poll(cfg, null, T0)).mentions).toEqual(first.mentions);
  });

  it("never skips or repeats a row, and starts a new cycle with new ids when the file runs out", async () => {
    const cfg = config({ file, backlog: 4, releasePerRun: 3 });
    let cursor: Cursor | null = null;
    const ids: string[] = [];
    for (let run = 0; run < 6; run++) {
      const page = await poll(cfg, cursor, new Date(T0.getTime() + run * MINUTE));
      ids.push(...page.mentions.map((m) => m.externalId));
      cursor = page.cursor;
    }
    expect(ids).toHaveLength(4 + 5 * 3);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `demo-${i + 1}`));
    expect(ids.slice(10)).toEqual(Array.from({ length: 9 }, (_, i) => `demo-${i + 1}-c2`));
    expect(cursor).toMatchObject({ released: 19 });
  });

  it("replays only the configured segments", async () => {
    const mixed = writeRows("mixed.jsonl", [
      row("1"),
      row("2", "medical"),
      row("3", "auto"),
      row("4", "medical"),
    ]);
    const page = await poll(config({ file: mixed, segments: ["medical"], backlog: 3 }), null, T0);
    expect(page.mentions.map((m) => m.externalId)).toEqual(["demo-2", "demo-4", "demo-2-c2"]);
  });

  it("keeps the rating only on review rows", async () => {
    const reviews = writeRows("reviews.jsonl", [
      row("1", "company", { kind: "review", rating: 1 }),
      row("2"),
    ]);
    const page = await poll(config({ file: reviews, backlog: 2 }), null, T0);
    expect(page.mentions.map((m) => m.rating)).toEqual([1, null]);
  });

  it("reports a bad data file by line, a missing file and an empty segment as configuration errors", async () => {
    const bad = writeRows("bad.jsonl", [row("1"), "{not json", row("3")]);
    await expect(poll(config({ file: bad }), null, T0)).rejects.toMatchObject({
      failure: "payload",
      message: expect.stringContaining("line 2"),
    });
    const invalid = writeRows("invalid.jsonl", [row("1"), { ...row("2"), kind: "tweet" }]);
    await expect(poll(config({ file: invalid }), null, T0)).rejects.toMatchObject({
      failure: "payload",
      message: expect.stringMatching(/line 2: `kind`/),
    });
    await expect(poll(config({ file: join(dir, "absent.jsonl") }), null, T0)).rejects.toBeInstanceOf(
      ConnectorError,
    );
    await expect(poll(config({ file, segments: ["nothing"] }), null, T0)).rejects.toMatchObject({
      failure: "config",
    });
    await expect(poll(config({ file }), { position: "x" }, T0)).rejects.toMatchObject({ failure: "config" });
  });

  it("ships a bundled data file under 1 MB with every demo brand's segment", async () => {
    const defaults = config({});
    expect(statSync(resolveDemoFile(defaults.file)).size).toBeLessThan(1024 * 1024);
    const rows = await loadDemoRows(defaults);
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const segment of ["company", "medical", "auto"]) {
      expect(rows.filter((r) => r.segment === segment).length).toBeGreaterThanOrEqual(20);
    }
    for (const r of rows) {
      expect(r.author).toMatch(/^demo_user_\d{4}$/);
      expect(r.source_commit).toMatch(/^[0-9a-f]{40}$/);
      expect(r.text.length).toBeLessThanOrEqual(601);
    }
    const page = await poll(defaults, null, T0);
    expect(page.mentions).toHaveLength(120);
  });
});
