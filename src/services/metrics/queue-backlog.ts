// The open queue's figures: how many mentions wait for a first response, how many are overdue (the team's
// misses: past due, and due after Rapport stored them), how many arrived overdue (already past due when stored:
// a backfill or an outage, not the team's miss), and how many are still inside their time.
//
// A workspace (or some of its sources) reads the trigger-kept `queue_counts` rows plus the few mentions still
// inside their SLA (a range of the `mentions_open_by_source` index, at most the last few days' intake), so the
// cost does not grow with the backlog (queueBacklogFromCounters). Any other scope counts the rows; with feed filters the count stops at
// `FILTERED_COUNT_CAP` and says so, rather than reading a million rows for one page.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { mentions, queueCounts } from "../../db/schema/index.js";
import { type CounterSources, counterSources, idList } from "./counters.js";
import { IN_OPEN_QUEUE, MENTIONS_WITH_SOURCE, type MetricScope, scopeCondition } from "./scope.js";

export const FILTERED_COUNT_CAP = 10_000;

export interface QueueBacklog {
  /** In the open queue (relevant, open status, clock set), answered or not. */
  open: number;
  /** Of those, with no first response yet. */
  unanswered: number;
  /** Unanswered, past due, and due after Rapport stored them: the team's misses. */
  overdue: number;
  /** Unanswered and already past due when stored. */
  arrivedOverdue: number;
  /** Unanswered and still inside their time. */
  dueLater: number;
  /** True when the figures are lower bounds (a filtered count stopped at FILTERED_COUNT_CAP). */
  capped: boolean;
}

const UNANSWERED = sql.raw(`"mentions"."first_response_at" IS NULL`);

export async function queueBacklog(db: Db, scope: MetricScope, now: Date): Promise<QueueBacklog> {
  if (scope.brandId === undefined && !scope.where?.length) return fromCounters(db, scope, now);
  return counted(db, scope, now, scope.where?.length ? FILTERED_COUNT_CAP : null);
}

async function fromCounters(db: Db, scope: MetricScope, now: Date): Promise<QueueBacklog> {
  return queueBacklogFromCounters(db, await counterSources(db, scope.workspaceId, scope.sourceIds), now);
}

/**
 * The queue's figures for a workspace or some of its sources, in one statement: the trigger-kept `queue_counts`
 * rows, plus the mentions still inside their time, a range of the covering partial index
 * `mentions_open_by_source` (source, due time, first response) per source: at most the last SLA window's
 * intake, no row read. A post is stored at or before `now`, so one still inside its time cannot have arrived
 * overdue: the counters' split stays exact.
 */
export async function queueBacklogFromCounters(
  db: Db,
  src: CounterSources,
  now: Date,
): Promise<QueueBacklog> {
  const empty = { open: 0, unanswered: 0, arrivedOverdue: 0, dueLater: 0, overdue: 0, capped: false };
  if (src.ids.length === 0) return empty;
  const ids = idList(src.ids);
  const [row] = await db.all<{ open: number; unanswered: number; arrived: number; later: number }>(
    sql`SELECT coalesce(sum(${queueCounts.open}), 0) AS open, coalesce(sum(${queueCounts.unanswered}), 0) AS unanswered,
          coalesce(sum(${queueCounts.arrivedOverdue}), 0) AS arrived,
          (SELECT count(*) FROM ${mentions} WHERE ${mentions.sourceId} IN (${ids}) AND ${IN_OPEN_QUEUE}
             AND ${mentions.slaDueAt} >= ${now.getTime()} AND ${UNANSWERED}) AS later
        FROM ${queueCounts} WHERE ${queueCounts.sourceId} IN (${ids})`,
  );
  const unanswered = Number(row?.unanswered ?? 0);
  const arrivedOverdue = Number(row?.arrived ?? 0);
  const dueLater = Number(row?.later ?? 0);
  return {
    open: Number(row?.open ?? 0),
    unanswered,
    arrivedOverdue,
    dueLater,
    overdue: unanswered - arrivedOverdue - dueLater,
    capped: false,
  };
}

async function counted(db: Db, scope: MetricScope, now: Date, cap: number | null): Promise<QueueBacklog> {
  const limit: SQL = cap === null ? sql`` : sql` LIMIT ${cap + 1}`;
  const [row] = await db.all<{ open: number; unanswered: number; arrived: number; later: number }>(
    sql`SELECT count(*) AS open, coalesce(sum(answered IS NULL), 0) AS unanswered,
          coalesce(sum(answered IS NULL AND due <= fetched), 0) AS arrived,
          coalesce(sum(answered IS NULL AND due > fetched AND due >= ${now.getTime()}), 0) AS later
        FROM (SELECT ${mentions.firstResponseAt} AS answered, ${mentions.slaDueAt} AS due, ${mentions.fetchedAt} AS fetched
              FROM ${MENTIONS_WITH_SOURCE} WHERE ${scopeCondition(scope)} AND ${IN_OPEN_QUEUE}${limit})`,
  );
  const open = Number(row?.open ?? 0);
  const capped = cap !== null && open > cap;
  const unanswered = Number(row?.unanswered ?? 0);
  const arrivedOverdue = Number(row?.arrived ?? 0);
  const dueLater = Number(row?.later ?? 0);
  return {
    open: capped ? cap : open,
    unanswered,
    arrivedOverdue,
    dueLater,
    overdue: unanswered - arrivedOverdue - dueLater,
    capped,
  };
}
