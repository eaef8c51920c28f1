// "Poll now" on a source: under the same lease as the scheduler (never two polls of one source at once) and the
// same per-source deadline. The dashboard starts it and answers at once (POST-redirect-GET); the API waits for
// the outcome, which the deadline bounds.
import type { AuthUser } from "../../auth/types.js";
import type { sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { type PollOutcome, pollSourceLeased } from "../../pipeline/poll.js";
import { recordAudit } from "../audit/record-audit.js";
import { sourceInWorkspace } from "./find-source.js";

const sourceFor = sourceInWorkspace;

async function pollAndAudit(
  deps: Deps,
  user: AuthUser,
  source: typeof sources.$inferSelect,
): Promise<PollOutcome> {
  const run = await pollSourceLeased(deps, source, deps.now(), `poll-now:${user.id}`, { force: true });
  const outcome: PollOutcome = run.ran
    ? run.value
    : {
        sourceId: source.id,
        status: "skipped",
        inserted: 0,
        duplicates: 0,
        pages: 0,
        skipped: 0,
        error: "a poll of this source is already running",
      };
  await recordAudit(deps.db, {
    actor: { id: user.id, email: user.email },
    action: "source.poll",
    entityType: "source",
    entityId: source.id,
    after: { status: outcome.status, inserted: outcome.inserted },
  });
  return outcome;
}

/** Polls and returns the outcome (the API). */
export async function pollNow(deps: Deps, user: AuthUser, id: number): Promise<PollOutcome> {
  return pollAndAudit(deps, user, await sourceFor(deps, user, id));
}

/**
 * Starts a poll and returns once it is under way (the dashboard): its result shows on the Sources page. `keepAlive`
 * hands the running poll to the runtime (Workers' waitUntil); on Node the process keeps it running anyway.
 */
export async function startPoll(
  deps: Deps,
  user: AuthUser,
  id: number,
  keepAlive?: (work: Promise<unknown>) => void,
): Promise<{ name: string }> {
  const source = await sourceFor(deps, user, id);
  const work = pollAndAudit(deps, user, source).catch((error: unknown) =>
    deps.log.error("poll now failed", { source: source.name, error: String(error) }),
  );
  keepAlive?.(work);
  return { name: source.name };
}
