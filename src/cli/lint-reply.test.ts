import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Deps } from "../deps.js";
import { lintReplyCommand, NO_BRAND_MESSAGE } from "./lint-reply.js";
import type { CliContext } from "./types.js";
import { UsageError } from "./types.js";

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

function context(stdinLines: string[], deps?: Partial<Deps> & Record<string, unknown>) {
  const stdout = sink();
  const stderr = sink();
  let depsCalls = 0;
  const ctx: CliContext = {
    stdin: Readable.from(stdinLines.map((line) => `${line}\n`)),
    stdout: stdout.stream,
    stderr: stderr.stream,
    async deps() {
      depsCalls++;
      if (!deps) throw new Error("no database in this test");
      return deps as unknown as Deps;
    },
  };
  return { ctx, out: () => stdout.text(), err: () => stderr.text(), depsCalls: () => depsCalls };
}

const GOOD =
  "We're sorry to hear about this experience. Please reach our team privately at 1-800-555-0100 or example.com/contact. — Example Co.";
const BAD = "Hi Jane, your balance with Mercy Hospital is $1,240. — Example Co.";

describe("rapport lint-reply", () => {
  it("lints JSONL from stdin with brand, contacts and clients from the flags", async () => {
    const { ctx, out, err, depsCalls } = context([
      JSON.stringify({ id: "a", text: GOOD }),
      "",
      JSON.stringify({ id: 2, text: BAD }),
    ]);
    const code = await lintReplyCommand.run(
      [
        "--platform",
        "x",
        "--brand-name",
        "Example Co.",
        "--contact",
        "1-800-555-0100",
        "--contact",
        "example.com/contact",
        "--client",
        "Mercy Hospital",
      ],
      ctx,
    );
    expect(code).toBe(0);
    expect(err()).toBe("");
    expect(depsCalls()).toBe(0);
    const lines = out()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ id: "a", ok: true, violations: [], warnings: [] });
    expect(lines[1].id).toBe(2);
    expect(lines[1].ok).toBe(false);
    const rules = lines[1].violations.map((v: { rule: string }) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(["B1", "B2", "B3", "B4"]));
    expect(rules.every((rule: string) => rule.startsWith("B"))).toBe(true);
    expect(lines[1].warnings.map((w: { rule: string }) => w.rule)).toEqual([
      "R_EMPATHY",
      "R_PRIVATE_CHANNEL",
    ]);
    const b3 = lines[1].violations.find((v: { rule: string }) => v.rule === "B3");
    expect(Object.keys(b3).sort()).toEqual(["end", "message", "rule", "start"]);
    expect(BAD.slice(b3.start, b3.end)).toBe("Mercy Hospital");
    expect(Object.keys(lines[1].warnings[0]).sort()).toEqual(["end", "message", "rule", "start"]);
  });

  it("a compliant reply without an empathy phrase is ok, with a warning (issue 19)", async () => {
    const text = "Please contact us directly at 1-800-555-0100 so we can look into it. — Example Co.";
    const { ctx, out } = context([JSON.stringify({ id: "e", text })]);
    expect(
      await lintReplyCommand.run(["--brand-name", "Example Co.", "--contact", "1-800-555-0100"], ctx),
    ).toBe(0);
    const line = JSON.parse(out().trim());
    expect(line).toMatchObject({ id: "e", ok: true, violations: [] });
    expect(line.warnings).toEqual([
      {
        rule: "R_EMPATHY",
        message: expect.stringContaining("empathy"),
        start: text.length,
        end: text.length,
      },
    ]);
  });

  it("reads --input and without the contact flag the company's number is someone else's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lint-reply-"));
    const file = join(dir, "replies.jsonl");
    writeFileSync(file, `${JSON.stringify({ id: "a", text: GOOD })}\n`);
    const { ctx, out } = context([]);
    expect(await lintReplyCommand.run(["--input", file, "--brand-name", "Example Co."], ctx)).toBe(0);
    const [line] = out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(line.ok).toBe(false);
    expect(line.violations.map((v: { rule: string }) => v.rule)).toContain("B4");
  });

  it("takes brand, contacts and clients from the database when --brand-name is absent", async () => {
    const { ctx, out, depsCalls } = context(
      [JSON.stringify({ id: "a", text: GOOD }), JSON.stringify({ id: "b", text: BAD })],
      {
        brandContext: async () => ({
          brandName: "Example Co.",
          ownContacts: ["1-800-555-0100", "example.com/contact"],
          clients: ["Mercy Hospital"],
        }),
      },
    );
    expect(await lintReplyCommand.run([], ctx)).toBe(0);
    expect(depsCalls()).toBe(1);
    const lines = out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0].ok).toBe(true);
    expect(lines[1].violations.map((v: { rule: string }) => v.rule)).toContain("B3");
  });

  it("explains a missing brand, a bad platform and bad lines", async () => {
    const noBrand = context([], { brandContext: async () => null });
    await expect(lintReplyCommand.run([], noBrand.ctx)).rejects.toThrow(new UsageError(NO_BRAND_MESSAGE));
    const noLoader = context([], {});
    await expect(lintReplyCommand.run([], noLoader.ctx)).rejects.toThrow(NO_BRAND_MESSAGE);
    const badPlatform = context([]);
    await expect(
      lintReplyCommand.run(["--platform", "myspace", "--brand-name", "B"], badPlatform.ctx),
    ).rejects.toThrow(/--platform must be one of x, google/);
    const badLines = context([
      "not json",
      JSON.stringify({ id: "x" }),
      JSON.stringify({ id: "ok", text: GOOD }),
    ]);
    expect(await lintReplyCommand.run(["--brand-name", "Example Co."], badLines.ctx)).toBe(1);
    expect(badLines.err()).toBe(
      'line 1: not valid JSON\nline 2: expected {"id","text"} with a string text\n',
    );
    expect(badLines.out().trim().split("\n")).toHaveLength(1);
  });
});
