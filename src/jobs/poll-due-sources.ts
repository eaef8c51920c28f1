// The poll job: every source whose schedule fired since its last run is polled, each under its own lease so
// two processes never poll the same source at once. One failing source never stops the others.
import { eq } from "drizzle-orm";
import { connectorFor } from "../../connectors/index.js";
import { sources } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { type PollOutcome, pollSource } from "../pipeline/poll.js";
import { isDue } from "./cron.js";
import { withLease } from "../platform/jobs/lease.js";

const POLL_LEASE_MS = 10 * 60_000;

/** Enabled, pollable sources whose schedule fired since their last run (the Workers cron fans these out). */
export async function findDueSources(deps: Deps, now: Date) {
  const enabled = await deps.db.select().from(sources).where(eq(sources.enabled, true));
  return enabled.filter(
    (source) =>
      connectorFor(source.type) !== undefined && // push-only sources (webhook) have nothing to poll
      isDue(source.schedule, source.lastRunAt, now) &&
      source.health !== "auth_error" && // waits for a person to fix the credential
      source.health !== "unsupported",
  );
}

/** Polls one source under its lease; `ran: false` when another process is polling it right now. */
export function pollWithLease(
  deps: Deps,
  source: typeof sources.$inferSelect,
  now: Date,
  holder: string,
  options: { maxPages?: number } = {},
) {
  return withLease(deps.db, `poll:${source.id}`, holder, POLL_LEASE_MS, now, () =>
    pollSource(deps, source, { now, ...options }),
  );
}

export async function runPollDueSources(deps: Deps, now: Date, holder: string): Promise<PollOutcome[]> {
  const outcomes: PollOutcome[] = [];
  for (const source of await findDueSources(deps, now)) {
    const run = await pollWithLease(deps, source, now, holder);
    if (run.ran) outcomes.push(run.value);
  }
  return outcomes;
}
