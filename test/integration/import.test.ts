import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mentions } from "../../src/db/schema/index.js";
import { runCli } from "../helpers/cli.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";

let deps: TestDeps;
let env: Record<string, string>;

beforeEach(async () => {
  deps = await createTestDeps();
  env = {
    DATABASE_URL: deps.env.DATABASE_URL,
    RAPPORT_DEMO: "0",
    LOG_LEVEL: "silent",
    RAPPORT_SECRET: deps.env.RAPPORT_SECRET,
  };
});
afterEach(async () => {
  await deps.cleanup();
});

const storedCount = async () => (await deps.db.select({ n: sql<number>`count(*)` }).from(mentions))[0]!.n;

describe("rapport import", () => {
  it("imports good JSONL rows, reports bad rows by line with the reason, and never imports twice", async () => {
    const file = join(deps.dir, "bbb.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({
          id: "bbb-1",
          text: "Acme Recovery called my employer twice",
          author: "pat",
          rating: 1,
        }),
        "{not json",
        JSON.stringify({ id: "bbb-2", text: "" }),
        JSON.stringify({ id: "bbb-3", text: "They were kind on the phone", created_at: "yesterday-ish" }),
        JSON.stringify({ text: "no id here" }),
        JSON.stringify({
          id: 4,
          text: "Helpful agent",
          url: "https://bbb.example/r/4",
          created_at: "2026-11-01T10:00:00Z",
        }),
        JSON.stringify({ id: "bbb-5", text: "stars out of range", rating: 9 }),
      ].join("\n"),
    );
    const first = await runCli(["import", file, "--source", "bbb"], { env });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('Created file source "bbb"');
    expect(first.stdout).toContain("Imported 2 new mentions");
    expect(first.stderr).toContain("line 2: not valid JSON");
    expect(first.stderr).toContain("line 3: `text` is empty");
    expect(first.stderr).toContain("line 4: `created_at` is not a date");
    expect(first.stderr).toContain("line 5: `id`");
    expect(first.stderr).toContain("line 7: `rating` must be a number from 0 to 5");
    expect(await storedCount()).toBe(2);

    const second = await runCli(["import", file, "--source", "bbb"], { env });
    expect(second.stdout).toContain("Imported 0 new mentions");
    expect(second.stdout).toContain("2 already stored");
    expect(await storedCount()).toBe(2);
  });

  it("imports CSV with optional columns and quoted multi-line text", async () => {
    const file = join(deps.dir, "glassdoor.csv");
    writeFileSync(
      file,
      "id,text,author,url,created_at,rating\n" +
        'g1,"Collector was rude,\nthen hung up",alex,https://example.com/g1,2026-11-20T10:00:00Z,2\n' +
        "g2,,sam,,,\n" +
        "g3,Fine experience overall,,,,4\n",
    );
    const run = await runCli(["import", file, "--source", "glassdoor"], { env });
    expect(run.stdout).toContain("Imported 2 new mentions");
    expect(run.stderr).toMatch(/line 4: `text` is empty/);
    const rows = await deps.db.select().from(mentions).orderBy(mentions.externalId);
    expect(rows.map((r) => [r.externalId, r.text, r.rating])).toEqual([
      ["g1", "Collector was rude,\nthen hung up", 2],
      ["g3", "Fine experience overall", 4],
    ]);
  });

  it("explains a missing file and an unknown format", async () => {
    expect((await runCli(["import", "/nope.jsonl", "--source", "x"], { env })).stderr).toContain(
      "file not found",
    );
    const txt = join(deps.dir, "notes.txt");
    writeFileSync(txt, "hello");
    expect((await runCli(["import", txt, "--source", "x"], { env })).stderr).toContain(
      "name it .jsonl or .csv",
    );
  });

  it("loses and doubles nothing when the process is killed mid-import and run again", async () => {
    const file = join(deps.dir, "big.jsonl");
    const total = 6_000;
    writeFileSync(
      file,
      Array.from({ length: total }, (_, i) =>
        JSON.stringify({ id: `row-${i}`, text: `complaint number ${i} about calls` }),
      ).join("\n"),
    );
    const bin = join(process.cwd(), "bin/rapport.js");
    const childEnv = { ...process.env, ...env };
    // Kill the first run as soon as some batches have landed.
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [bin, "import", file, "--source", "big"], {
        env: childEnv,
        stdio: "ignore",
      });
      const timer = setInterval(async () => {
        if ((await storedCount()) > 0) {
          child.kill("SIGKILL");
          clearInterval(timer);
        }
      }, 20);
      child.on("exit", () => {
        clearInterval(timer);
        resolve();
      });
    });
    const afterKill = await storedCount();
    expect(afterKill).toBeLessThanOrEqual(total);
    const rerun = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [bin, "import", file, "--source", "big"], {
        env: childEnv,
        stdio: "ignore",
      });
      child.on("exit", (code) => resolve(code ?? -1));
    });
    expect(rerun).toBe(0);
    expect(await storedCount()).toBe(total);
    const distinct = await deps.db.select({ n: sql<number>`count(DISTINCT external_id)` }).from(mentions);
    expect(distinct[0]!.n).toBe(total);
  });
});
