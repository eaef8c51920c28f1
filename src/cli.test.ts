import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "./cli.js";

// A production host with Slack configured and no PUBLIC_URL yet.
const PRODUCTION = {
  NODE_ENV: "production",
  RAPPORT_DEMO: "0",
  RAPPORT_SECRET: "cli-test-secret-cli-test-secret-0000",
  SLACK_WEBHOOK_URL: "http://127.0.0.1:9/slack",
  LOG_LEVEL: "silent",
};

async function run(argv: string[], stdinText = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(argv, { stdin: Readable.from([stdinText]), stdout, stderr });
  return { code, out, err };
}

describe("rapport on a host that sends Slack alerts but has no PUBLIC_URL", () => {
  let dir: string;
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rapport-cli-"));
    saved = { ...process.env };
    delete process.env.PUBLIC_URL;
    Object.assign(process.env, PRODUCTION, { DATABASE_URL: `file:${join(dir, "rapport.db")}` });
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the commands that send nothing", async () => {
    const migrated = await run(["migrate"]);
    expect(migrated.err).toBe("");
    expect(migrated.code).toBe(0);
    const linted = await run(
      ["lint-reply", "--brand-name", "Acme Recovery", "--contact", "1-800-555-0100"],
      `${JSON.stringify({ id: "r1", text: "We are sorry to hear this. Please call us privately at 1-800-555-0100. — Acme Recovery" })}\n`,
    );
    expect(linted.err).toBe("");
    expect(JSON.parse(linted.out)).toMatchObject({ id: "r1", ok: true });
    expect(linted.code).toBe(0);
  });

  it("refuses the commands that send alerts or e-mail, naming the variable and the fix", async () => {
    for (const command of [["poll"], ["digest"], ["reclassify"]]) {
      const { code, err } = await run(command);
      expect(code).toBe(2);
      expect(err).toMatch(/PUBLIC_URL is required when RAPPORT_DEMO=0 and SLACK_WEBHOOK_URL is set/);
      expect(err).toMatch(/PUBLIC_URL=https:\/\/rapport\.example\.com/);
    }
  });
});
