// A production install without the demo: migrate creates the workspace; brands and sources follow from the CLI.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rapport-setup-"));
  env = {
    DATABASE_URL: `file:${join(dir, "prod.db")}`,
    RAPPORT_DEMO: "0",
    RAPPORT_SECRET: "setup-secret-setup-secret-setup-00",
    LOG_LEVEL: "silent",
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("setting up without the demo", () => {
  it("migrates into a workspace, then adds the company, a client and a source", async () => {
    expect((await runCli(["migrate"], { env })).code).toBe(0);
    const company = await runCli(
      [
        "brands",
        "add",
        "--name",
        "Summit Recovery",
        "--keyword",
        "@SummitRecovery,Summit Collections",
        "--contact",
        "1-800-555-0100",
      ],
      { env },
    );
    expect(company.stdout).toContain('Added company brand "Summit Recovery" (summit-recovery)');
    const client = await runCli(
      ["brands", "add", "--name", "Northwind Medical", "--client", "--keyword", "Northwind"],
      { env },
    );
    expect(client.stdout).toContain("Added client brand");
    const duplicate = await runCli(["brands", "add", "--name", "Summit Recovery"], { env });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('a brand "summit-recovery" already exists');
    const source = await runCli(
      ["sources", "add", "rss", "--name", "alerts", "--url", "https://example.com/feed.xml"],
      { env },
    );
    expect(source.stdout).toContain('Added rss source "alerts"');
    const listed = await runCli(["brands", "list"], { env });
    expect(listed.stdout).toContain("summit-recovery\tcompany");
    expect(listed.stdout).toContain("northwind-medical\tclient");
  });
});
