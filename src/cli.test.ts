import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
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
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rapport-cli-"));
    // `main` reads the configuration from the process environment, as `npx rapport` does.
    vi.stubEnv("PUBLIC_URL", undefined);
    for (const [name, value] of Object.entries(PRODUCTION)) vi.stubEnv(name, value);
    vi.stubEnv("DATABASE_URL", `file:${join(dir, "rapport.db")}`);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the commands that send nothing", async () => {
    const migrated = await run(["migrate"]);
    expect(migrated.err).toBe("");
    expect(migrated.code).toBe(0);
    const added = await run(
      ["users", "add", "--email", "ops@example.com", "--role", "viewer", "--password-stdin"],
      "a-long-password-123\n",
    );
    expect(added.err).toBe("");
    expect(added.out).toBe("Added ops@example.com (viewer).\n");
    expect(added.code).toBe(0);
  });

  it("refuses the commands that send alerts or e-mail, naming the variable and the fix", async () => {
    for (const command of [["poll"], ["digest"], ["reclassify"]]) {
      const { code, err } = await run(command);
      expect(code).toBe(2);
      expect(err).toMatch(/PUBLIC_URL is required when RAPPORT_DEMO=0 and SLACK_WEBHOOK_URL is set/);
      expect(err).toMatch(/PUBLIC_URL=https:\/\/rapport\.example\.com/);
    }
  });

  it("will not print an invitation link to localhost, and adds no one when it refuses", async () => {
    expect((await run(["migrate"])).code).toBe(0);
    const invited = await run(["users", "add", "--email", "new@example.com", "--role", "viewer", "--invite"]);
    expect(invited.code).toBe(2);
    expect(invited.err).toMatch(/PUBLIC_URL is required/);
    expect(invited.out).toBe("");
    vi.stubEnv("PUBLIC_URL", "https://rapport.example.com");
    const retried = await run(["users", "add", "--email", "new@example.com", "--role", "viewer", "--invite"]);
    expect(retried.err).toBe("");
    expect(retried.out).toMatch(
      /^Added new@example.com \(viewer\)\.\nInvitation link .*: https:\/\/rapport\.example\.com\//,
    );
  });
});
