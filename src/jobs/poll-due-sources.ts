// The poll job: every source whose schedule fired since its last run is polled, each under its own lease so
// two processes never poll the same source at once. One failing source never stops the others.
import { eq } from "drizzle-orm";
import { connectorFor } from "../../connectors/index.js";
import { sources } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { pollSource, type PollOutcome } from "../pipeline/poll.js";
import { isDue } from "./cron.js";
import { withLease } from "./lease.js";

const POLL_LEASE_MS = 10 * 60_000;

export async function runPollDueSources(deps: Deps, now: Date, holder: string): Promise<PollOutcome[]> {
  const enabled = await deps.db.select().from(sources).where(eq(sources.enabled, true));
  const outcomes: PollOutcome[] = [];
  for (const source of enabled) {
    if (!connectorFor(source.type)) continue; // push-only sources (webhook) have nothing to poll
    if (!isDue(source.schedule, source.lastRunAt, now)) continue;
    if (source.health === "auth_error" || source.health === "unsupported") continue; // waits for a person
    const run = await withLease(deps.db, `poll:${source.id}`, holder, POLL_LEASE_MS, now, () =>
      pollSource(deps, source, { now }),
    );
    if (run.ran) outcomes.push(run.value);
  }
  return outcomes;
}
