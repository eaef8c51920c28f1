// Demo mode at start: seed an empty database, fill the feed at once (the scheduler releases more each minute),
// and tell the caller which login to print.
import { readFile } from "node:fs/promises";
import { eq } from "drizzle-orm";
import { resolveDemoFile } from "../../connectors/demo.js";
import { users } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { parseAccountsCsv } from "../domain/accounts/import.js";
import { pollSource } from "../pipeline/poll.js";
import { upsertAccounts } from "../services/accounts/accounts.js";
import { SYSTEM_ACTOR } from "../services/audit/record-audit.js";
import { DEMO_ACCOUNTS_FILE, ingestRecordedPlatforms } from "./platforms.js";
import { DEMO_LOGIN, type SeedDemoOptions, seedDemo } from "./seed.js";

/**
 * The demo's accounts, through the same CSV parser and upsert as `rapport accounts import`: identifiers normalised
 * and stored only as keyed hashes (RAPPORT_SECRET), the import audited. A bad row is a bug in the bundled file.
 */
export async function importDemoAccounts(deps: Deps, workspaceId: number): Promise<number> {
  const parsed = parseAccountsCsv(await readFile(resolveDemoFile(DEMO_ACCOUNTS_FILE), "utf8"));
  if (parsed.errors.length > 0)
    throw new Error(
      `${DEMO_ACCOUNTS_FILE}: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join("; ")}`,
    );
  const summary = await upsertAccounts(deps, workspaceId, parsed.rows, SYSTEM_ACTOR, "csv");
  return summary.created + summary.updated;
}

export interface DemoStart {
  email: string;
  password: string;
  /** True when this start created the demo workspace. */
  seeded: boolean;
  /** Mentions stored by the first poll of each demo source (0 when the demo already existed). */
  released: number;
  /** Mentions stored from the platform sources' recorded payloads, by source (empty when the demo existed). */
  recorded: Record<string, number>;
  /** Accounts imported from data/demo/accounts.csv (0 when the demo existed). */
  accounts: number;
}

/** Null when the database holds a workspace other than the demo (the demo login does not exist there). */
export async function startDemo(deps: Deps, options: SeedDemoOptions = {}): Promise<DemoStart | null> {
  const seed = await seedDemo(deps, options);
  let released = 0;
  let recorded: Record<string, number> = {};
  let accounts = 0;
  if (seed.seeded) {
    for (const source of seed.sources) {
      const outcome = await pollSource(deps, source, { force: true });
      if (outcome.status === "error")
        deps.log.warn("demo source failed", { source: source.name, error: outcome.error });
      released += outcome.inserted;
    }
    recorded = await ingestRecordedPlatforms(deps, seed.platformSources, deps.now());
    accounts = await importDemoAccounts(deps, seed.workspace.id);
    deps.log.info("demo workspace seeded", {
      workspace: seed.workspace.name,
      mentions: released,
      recorded: Object.values(recorded).reduce((a, b) => a + b, 0),
      accounts,
    });
  }
  const [demoUser] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_LOGIN.email))
    .limit(1);
  if (!demoUser) return null;
  return { ...DEMO_LOGIN, seeded: seed.seeded, released, recorded, accounts };
}
