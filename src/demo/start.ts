// Demo mode at start: seed an empty database, fill the feed at once (the scheduler releases more each minute),
// and tell the caller which login to print.
import { eq } from "drizzle-orm";
import { users } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { pollSource } from "../pipeline/poll.js";
import { DEMO_LOGIN, type SeedDemoOptions, seedDemo } from "./seed.js";

export interface DemoStart {
  email: string;
  password: string;
  /** True when this start created the demo workspace. */
  seeded: boolean;
  /** Mentions stored by the first poll of each demo source (0 when the demo already existed). */
  released: number;
}

/** Null when the database holds a workspace other than the demo (the demo login does not exist there). */
export async function startDemo(deps: Deps, options: SeedDemoOptions = {}): Promise<DemoStart | null> {
  const seed = await seedDemo(deps, options);
  let released = 0;
  if (seed.seeded) {
    for (const source of seed.sources) {
      const outcome = await pollSource(deps, source, { force: true });
      if (outcome.status === "error")
        deps.log.warn("demo source failed", { source: source.name, error: outcome.error });
      released += outcome.inserted;
    }
    deps.log.info("demo workspace seeded", { workspace: seed.workspace.name, mentions: released });
  }
  const [demoUser] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_LOGIN.email))
    .limit(1);
  if (!demoUser) return null;
  return { ...DEMO_LOGIN, seeded: seed.seeded, released };
}
