import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createClassifyCommand } from "./classify.js";
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
    deps: () => Promise.reject(new Error("classify needs no database")),
  };
  const command = createClassifyCommand(() => ({ CLAUDE_MODEL: "claude-test" }));
  return command.run(args, ctx).then((code) => ({ code, out, err }));
}

const input = [
  { id: "1", text: "@CollectCo stop calling me, this isn't my debt" },
  { id: "2", text: "great pizza tonight" },
  { id: "3", text: "my lawyer will be in touch" },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

function parseLines(out: string) {
  return out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("rapport classify", () => {
  it("reads JSONL on stdin and writes one classification per line, in order", async () => {
    const { code, out } = await run(["--engine", "local"], `${input}\n`);
    expect(code).toBe(0);
    const lines = parseLines(out);
    expect(lines.map((l) => l.id)).toEqual(["1", "2", "3"]);
    expect(Object.keys(lines[0] as object)).toEqual([
      "id",
      "category",
      "relevant",
      "severity",
      "flags",
      "sentiment",
      "confidence",
    ]);
    expect(lines[0]).toMatchObject({ relevant: true });
    expect(lines[0]?.flags).toEqual(expect.arrayContaining(["cease_contact", "dispute"]));
    expect(lines[1]).toMatchObject({ category: "not_collections", relevant: false });
    expect(lines[2]).toMatchObject({ severity: "critical" });
  });

  it("reads a file given with --input (local by default without a key)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rapport-classify-"));
    const file = join(dir, "in.jsonl");
    writeFileSync(file, `${input}\r\n\n`);
    const { code, out } = await run(["--input", file]);
    expect(code).toBe(0);
    expect(parseLines(out)).toHaveLength(3);
  });

  it("names the bad line numbers and classifies nothing", async () => {
    const { code, out, err } = await run(
      [],
      `${JSON.stringify({ id: "1", text: "ok" })}\nnot json\n{"id":"3"}\n`,
    );
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain("line 2: not valid JSON");
    expect(err).toMatch(/line 3: expected \{"id","text"\}/);
  });

  it("rejects an unknown engine and a missing file as usage errors", async () => {
    await expect(run(["--engine", "gpt"])).rejects.toThrow(/--engine must be one of/);
    await expect(run(["--input", "/nonexistent/file.jsonl"])).rejects.toThrow(/file not found/);
  });

  it("explains that the claude engine needs a key", async () => {
    await expect(run(["--engine", "claude"], `${input}\n`)).rejects.toThrow(/ANTHROPIC_API_KEY/);
  });
});
