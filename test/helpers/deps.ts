// A real database file per test (never :memory:: libSQL transactions detach in-memory connections),
// migrated, with one workspace and its company brand.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brands, workspaces } from "../../src/db/schema/index.js";
import { buildDeps, type Deps } from "../../src/deps.js";
import { loadEnv } from "../../src/env.js";
import { silentLogger } from "../../src/log.js";

export interface TestDeps extends Deps {
  workspaceId: number;
  companyBrandId: number;
  dir: string;
  cleanup(): Promise<void>;
}

export async function createTestDeps(
  overrides: Record<string, string> = {},
  now?: () => Date,
): Promise<TestDeps> {
  const dir = mkdtempSync(join(tmpdir(), "rapport-test-"));
  const env = loadEnv({
    NODE_ENV: "test",
    DATABASE_URL: `file:${join(dir, "test.db")}`,
    RAPPORT_DEMO: "0",
    RAPPORT_SECRET: "test-secret-test-secret-test-secret-00",
    LOG_LEVEL: "silent",
    // Test upstreams listen on 127.0.0.1, which the egress policy refuses unless allow-listed; a test of the
    // policy itself passes EGRESS_ALLOW: "" (unset).
    EGRESS_ALLOW: "127.0.0.1,localhost",
    ...overrides,
  });
  const deps = await buildDeps(env, { log: silentLogger, ...(now ? { now } : {}) });
  const [workspace] = await deps.db.insert(workspaces).values({ name: "Test Co" }).returning();
  const [brand] = await deps.db
    .insert(brands)
    .values({
      workspaceId: workspace!.id,
      name: "Acme Recovery",
      slug: "acme-recovery",
      kind: "company",
      keywords: ["Acme Recovery", "@AcmeRecovery", "Acme Collections"],
      contacts: ["1-800-555-0100", "acmerecovery.example/contact"],
    })
    .returning();
  return {
    ...deps,
    workspaceId: workspace!.id,
    companyBrandId: brand!.id,
    dir,
    async cleanup() {
      deps.database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
