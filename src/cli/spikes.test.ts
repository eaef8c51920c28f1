import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseIsoHour, spikesCommand } from "./spikes.js";
import type { CliContext } from "./types.js";

function run(args: string[], stdinText = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => {
    out += c;
  });
  stderr.on("data", (c) => {
    err += c;
  });
  const ctx: CliContext = {
    stdin: Readable.from([stdinText]),
    stdout,
    stderr,
    deps: () => Promise.reject(new Error("spikes needs no database")),
  };
  return spikesCommand.run(args, ctx).then((code) => ({ code, out, err }));
}

const START = Date.UTC(2026, 10, 2); // Monday
const hourIso = (h: number) => new Date(START + h * 3_600_000).toISOString().replace(".000Z", "Z");

function countsFile(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "rapport-spikes-"));
  const file = join(dir, "counts.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** Five weeks of a daytime rhythm for one key, a flat quiet key, and one spike in week five. */
function sampleLines(spikeHour: number): string[] {
  const lines: string[] = [];
  for (let h = 0; h < 5 * 168; h++) {
    const day = h % 24 >= 9 && h % 24 < 18;
    const count = h === spikeHour ? 60 : day ? 10 + (h % 3) : 2 + (h % 2);
    lines.push(JSON.stringify({ key: "brand:acme", ts: hourIso(h), count }));
    if (h % 7 === 0) lines.push(JSON.stringify({ key: "brand:acme|cat:privacy", ts: hourIso(h), count: 1 }));
  }
  return lines;
}

describe("rapport spikes", () => {
  it("writes one JSONL line per spike with the contract's fields", async () => {
    const spikeHour = 4 * 168 + 24 + 11;
    const { code, out, err } = await run(["--input", countsFile(sampleLines(spikeHour))]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    // The contract's fields first, then those added for episodes (issue 18).
    expect(Object.keys(lines[0])).toEqual([
      "key",
      "ts",
      "count",
      "expected",
      "score",
      "end",
      "hours",
      "peak",
      "rule",
    ]);
    expect(lines[0]).toMatchObject({
      key: "brand:acme",
      ts: new Date(START + spikeHour * 3_600_000).toISOString(),
      count: 60,
      // One hour far above normal: the burst rule.
      rule: "burst",
    });
    expect(lines[0].expected).toBeGreaterThan(8);
    expect(lines[0].expected).toBeLessThan(14);
    expect(lines[0].score).toBeGreaterThan(4);
    // A one-hour burst: the episode ends the hour after it.
    expect(lines[0]).toMatchObject({
      end: new Date(START + (spikeHour + 1) * 3_600_000).toISOString(),
      hours: 1,
      peak: 60,
    });
  });

  it("names a key with too little history on stderr and keeps stdout one line per spike", async () => {
    const young = Array.from({ length: 40 }, (_, h) =>
      JSON.stringify({ key: "brand:new", ts: hourIso(h), count: h === 30 ? 500 : 5 }),
    );
    const alone = await run(["--input", countsFile(young)]);
    expect(alone.code).toBe(0);
    expect(alone.out).toBe("");
    expect(alone.err).toBe(
      "brand:new: not judged (insufficient_history): 40 hours of counts, at least 73 needed\n",
    );
  });

  it("reads stdin when no file is given and prints nothing for a calm series", async () => {
    const lines = sampleLines(-1);
    const { code, out } = await run([], lines.join("\n"));
    expect(code).toBe(0);
    expect(out).toBe("");
  });

  it("names the line number of each bad line and computes nothing", async () => {
    const lines = [
      JSON.stringify({ key: "k", ts: hourIso(0), count: 1 }),
      "{not json",
      JSON.stringify({ key: "k", ts: "2026-11-02T13:30:00Z", count: 1 }),
      JSON.stringify({ key: "k", ts: hourIso(3), count: -2 }),
      JSON.stringify({ ts: hourIso(4), count: 2 }),
    ];
    const { code, out, err } = await run(["--input", countsFile(lines)]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain("line 2: not valid JSON");
    expect(err).toContain("line 3: ts must be an ISO-8601 hour");
    expect(err).toMatch(/line 4: .*count/);
    expect(err).toMatch(/line 5: .*key/);
  });

  it("rejects unknown options and bad settings as usage errors", async () => {
    await expect(run(["--input", "x", "--bogus"])).rejects.toThrow(/bogus/);
    await expect(run(["--sensitivity", "max"])).rejects.toThrow(/fewer, balanced, more/);
    await expect(run(["--input", "/no/such/file.jsonl"])).rejects.toThrow(/file not found/);
  });
});

describe("parseIsoHour", () => {
  it("accepts hours with or without zone, minutes and seconds", () => {
    expect(parseIsoHour("2026-11-02T13:00:00Z")?.toISOString()).toBe("2026-11-02T13:00:00.000Z");
    expect(parseIsoHour("2026-11-02T13:00")?.toISOString()).toBe("2026-11-02T13:00:00.000Z");
    expect(parseIsoHour("2026-11-02T13")?.toISOString()).toBe("2026-11-02T13:00:00.000Z");
    expect(parseIsoHour("2026-11-02T13:00:00+01:00")?.toISOString()).toBe("2026-11-02T12:00:00.000Z");
    expect(parseIsoHour("2026-11-02T13:00:00.000Z")?.toISOString()).toBe("2026-11-02T13:00:00.000Z");
  });

  it("refuses what is not the start of an hour", () => {
    expect(parseIsoHour("2026-11-02T13:05:00Z")).toBeNull();
    expect(parseIsoHour("2026-11-02")).toBeNull();
    expect(parseIsoHour("yesterday")).toBeNull();
    expect(parseIsoHour("2026-13-02T13:00:00Z")).toBeNull();
  });
});
