// How the team did against the SLA for the mentions posted in a span, as of a moment: in time, late, missed
// (unanswered past due), still inside their time, and those that arrived overdue (already past due when stored,
// left out of every other figure: no one could have answered them in time). A first response is a public reply
// or a decision that none is needed (resolved, dismissed): both stop the clock (src/domain/status.ts).
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { mentions } from "../../db/schema/index.js";
import type { Span } from "./mention-counts.js";
import { MENTIONS_WITH_SOURCE, type MetricScope, scopeCondition } from "./scope.js";

export interface SlaPerformance {
  /** Relevant mentions posted in the span with a clock. */
  clocked: number;
  arrivedOverdue: number;
  inTime: number;
  late: number;
  missed: number;
  pending: number;
  /** inTime + late + missed: the denominator of "answered in time". */
  decided: number;
  /** Median minutes from the post to its first response (in time or late); null with none. */
  medianFirstResponseMinutes: number | null;
}

export async function slaPerformance(
  db: Db,
  scope: MetricScope,
  span: Required<Span>,
  asOf: Date,
): Promise<SlaPerformance> {
  const at = asOf.getTime();
  const rows = await db.all<{ created: number; due: number; fetched: number; answered: number | null }>(
    sql`SELECT ${mentions.createdAt} AS created, ${mentions.slaDueAt} AS due, ${mentions.fetchedAt} AS fetched,
          CASE WHEN ${mentions.firstResponseAt} <= ${at} THEN ${mentions.firstResponseAt} END AS answered
        FROM ${MENTIONS_WITH_SOURCE}
        WHERE ${scopeCondition(scope)} AND ${mentions.relevant} = 1 AND ${mentions.slaDueAt} IS NOT NULL
          AND ${mentions.createdAt} >= ${span.from.getTime()} AND ${mentions.createdAt} < ${span.until.getTime()}`,
  );
  const result: SlaPerformance = {
    clocked: rows.length,
    arrivedOverdue: 0,
    inTime: 0,
    late: 0,
    missed: 0,
    pending: 0,
    decided: 0,
    medianFirstResponseMinutes: null,
  };
  const minutes: number[] = [];
  for (const r of rows) {
    const due = Number(r.due);
    if (due <= Number(r.fetched)) result.arrivedOverdue++;
    else if (r.answered !== null) {
      if (Number(r.answered) <= due) result.inTime++;
      else result.late++;
      minutes.push((Number(r.answered) - Number(r.created)) / 60_000);
    } else if (due < at) result.missed++;
    else result.pending++;
  }
  result.decided = result.inTime + result.late + result.missed;
  result.medianFirstResponseMinutes = median(minutes.sort((a, b) => a - b));
  return result;
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
