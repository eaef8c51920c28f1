import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { brands } from "../../src/db/schema/index.js";
import { runCli } from "../helpers/cli.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";

let deps: TestDeps;
beforeEach(async () => {
  deps = await createTestDeps();
  await deps.db
    .insert(brands)
    .values({ workspaceId: deps.workspaceId, name: "Northwind Medical", slug: "northwind", kind: "client" });
});
afterEach(async () => {
  await deps.cleanup();
});

describe("rapport lint-reply with the database's first brand", () => {
  it("takes the brand name, own contacts and client roster from the database", async () => {
    const input = [
      {
        id: "ok",
        text: "We're sorry to hear about this experience. We'd like to look into it: please call our Customer Care team privately at 1-800-555-0100 and mention this post. — Acme Recovery Customer Care",
      },
      {
        id: "client",
        text: "We're sorry. Your Northwind Medical bill is with us; please call 1-800-555-0100. — Acme Recovery",
      },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const run = await runCli(["lint-reply", "--platform", "x"], {
      stdin: input,
      env: { DATABASE_URL: deps.env.DATABASE_URL, RAPPORT_DEMO: "0", LOG_LEVEL: "silent" },
    });
    expect(run.stderr).toBe("");
    const [ok, client] = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; ok: boolean; violations: { rule: string }[] });
    expect(ok).toMatchObject({ id: "ok", ok: true, violations: [] });
    expect(client!.ok).toBe(false);
    expect(client!.violations.map((v) => v.rule)).toContain("B3");
  });
});
