// The Sources page: every source with its schedule, health and last run, in plain words.
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import { connectorFor } from "../../../connectors/index.js";
import type { AuthUser } from "../../auth/types.js";
import { brands, jobRuns, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { describeSchedule } from "../../domain/schedule-words.js";
import { POLL_DEADLINE_MS } from "../../pipeline/poll.js";
import { nextRun } from "../../platform/jobs/cron.js";
import { sourceTypeForm } from "./config-form.js";
import { CLI_ONLY_TYPES } from "./source-input-policy.js";

export interface SourceSummary {
  id: number;
  name: string;
  type: string;
  label: string;
  brand: string | null;
  schedule: string;
  /** The schedule in words ("every 15 minutes"): what pages show. */
  scheduleWords: string;
  enabled: boolean;
  health: string;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastItems: number;
  lastError: string | null;
  consecutiveFailures: number;
  nextRunAt: string | null;
  canTestConnection: boolean;
  notice: string | null;
  /** A poll of it is running now (a "Poll now" just started, or the schedule's). */
  polling: boolean;
  /** Its settings can be changed from the dashboard (demo and file sources are the command line's). */
  editable: boolean;
  /** Credential fields it has (names only), for "Rotate credentials". */
  credentialFields: string[];
}

export async function listSources(deps: Deps, viewer: AuthUser): Promise<SourceSummary[]> {
  const rows = await deps.db
    .select({ source: sources, brandName: brands.name })
    .from(sources)
    .leftJoin(brands, eq(brands.id, sources.brandId))
    .where(and(eq(sources.workspaceId, viewer.workspaceId), isNull(sources.removedAt)))
    .orderBy(asc(sources.name));
  const now = deps.now();
  // Runs started within a poll deadline (and a minute) that have not ended; older ones belong to a dead process.
  const ids = rows.map((r) => r.source.id);
  const running =
    ids.length === 0
      ? []
      : await deps.db
          .select({ sourceId: jobRuns.sourceId })
          .from(jobRuns)
          .where(
            and(
              inArray(jobRuns.sourceId, ids),
              eq(jobRuns.status, "running"),
              gt(jobRuns.startedAt, new Date(now.getTime() - POLL_DEADLINE_MS - 60_000)),
            ),
          );
  const polling = new Set(running.map((r) => r.sourceId));
  return rows.map(({ source, brandName }) => {
    const connector = connectorFor(source.type);
    let next: Date | null = source.enabled ? nextRun(source.schedule, now) : null;
    // A failing source waits out its backoff before the schedule applies again.
    if (next && source.backoffUntil && source.backoffUntil > next) next = source.backoffUntil;
    return {
      id: source.id,
      name: source.name,
      type: source.type,
      label: connector?.label ?? source.type,
      brand: brandName,
      schedule: source.schedule,
      scheduleWords: describeSchedule(source.schedule),
      enabled: source.enabled,
      health: source.enabled ? source.health : "disabled",
      lastRunAt: source.lastRunAt?.toISOString() ?? null,
      lastSuccessAt: source.lastSuccessAt?.toISOString() ?? null,
      lastItems: source.lastItems,
      lastError: source.lastError,
      consecutiveFailures: source.consecutiveFailures,
      nextRunAt: next?.toISOString() ?? null,
      canTestConnection: Boolean(connector?.testConnection),
      notice: connector?.notice ?? null,
      polling: polling.has(source.id),
      editable: !CLI_ONLY_TYPES.has(source.type) && source.type !== "webhook",
      credentialFields: (sourceTypeForm(source.type)?.fields ?? [])
        .filter((f) => f.input === "password")
        .map((f) => f.name),
    };
  });
}
