// Reading the trigger-kept tallies (`daily_counts`, `queue_counts`; see src/db/schema/counts.ts) for a workspace
// or some of its sources. Today reads them once per page and derives every figure from what it read: the
// workspace's sources are looked up once (not once per figure), and the daily rows come back from SQLite as one
// JSON text (built in C) instead of hundreds of driver rows, so a page's counters cost a few statements whatever
// the backlog.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { prepareOnce } from "../../db/prepared.js";
import { sources } from "../../db/schema/index.js";

export const DAY_MS = 86_400_000;

/** Sources the counters are read for: always the workspace's own (looked up by workspace, never taken on trust). */
export interface CounterSources {
  workspaceId: number;
  ids: number[];
  names: Map<number, string>;
}

const workspaceSources = (db: Db) =>
  db
    .select({ id: sources.id, name: sources.name })
    .from(sources)
    .where(eq(sources.workspaceId, sql.placeholder("workspaceId")))
    .prepare();

/** The workspace's sources, or those of `sourceIds` that belong to it. */
export async function counterSources(
  db: Db,
  workspaceId: number,
  sourceIds?: number[],
): Promise<CounterSources> {
  const rows = await prepareOnce(db, "metrics-workspace-sources", workspaceSources).all({ workspaceId });
  const names = new Map(rows.map((r) => [Number(r.id), r.name]));
  const ids = sourceIds ? sourceIds.filter((id) => names.has(id)) : [...names.keys()];
  return { workspaceId, ids, names };
}

export const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/** One `daily_counts` row: mentions of a source, posted on a UTC day (days since the epoch), in a category. */
export type DayCount = [day: number, sourceId: number, category: string, count: number];

/**
 * The `daily_counts` rows from `fromDay` on (days × sources × categories rows, read from the covering index
 * `daily_counts_covering` alone), optionally of one category. Rows that fell to zero are left out.
 */
export async function readDailyCounts(
  db: Db,
  src: CounterSources,
  fromDay: number,
  category?: string,
): Promise<DayCount[]> {
  if (src.ids.length === 0) return [];
  const [row] = await db.all<{ rows: string | null }>(
    sql`SELECT json_group_array(json_array(day, source_id, category, count)) AS rows FROM daily_counts
        WHERE source_id IN (${idList(src.ids)}) AND day >= ${fromDay}${category ? sql` AND category = ${category}` : sql``}
          AND count <> 0`,
  );
  return JSON.parse(row?.rows ?? "[]") as DayCount[];
}
