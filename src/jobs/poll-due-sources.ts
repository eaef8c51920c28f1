// The poll job: every source whose schedule fired since its last run is polled, each under its own lease so
// two processes never poll the same source at once. Sources run concurrently, each under its own deadline
// (src/pipeline/poll.ts), so one failing or stuck source never stops or delays the others beyond that deadline.
import { eq } from "drizzle-orm";
import { connectorFor } from "../../connectors/index.js";
import { sources } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { type PollOutcome, pollSourceLeased } from "../pipeline/poll.js";
import { isDue } from "../platform/jobs/cron.js";

/** Sources polled at once: enough that a slow one is one lane of several, few enough for a small machine. */
export const POLL_CONCURRENCY = 4;

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
  options: { maxPages?: number; deadlineMs?: number } = {},
) {
  return pollSourceLeased(deps, source, now, holder, options);
}

export async function runPollDueSources(
  deps: Deps,
  now: Date,
  holder: string,
  options: { deadlineMs?: number; concurrency?: number } = {},
): Promise<PollOutcome[]> {
  const due = await findDueSources(deps, now);
  const outcomes: PollOutcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < due.length) {
      const source = due[next++]!;
      const run = await pollWithLease(deps, source, now, holder, {
        ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      });
      if (run.ran) outcomes.push(run.value);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? POLL_CONCURRENCY, due.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return outcomes;
}
