// Today's 30-day charts: mentions per UTC day by category and by source. With no filter but sources and
// categories, from the trigger-kept `daily_counts` (days × sources × categories rows, whatever the volume);
// with any other filter, from the mentions of those days.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { mentions, sources } from "../../db/schema/index.js";
import { type CounterSources, counterSources, DAY_MS, type DayCount, readDailyCounts } from "./counters.js";
import { MENTIONS_WITH_SOURCE, type MetricScope, scopeCondition } from "./scope.js";

export interface DailySeries {
  days: string[];
  series: { key: string; counts: number[] }[];
}

/** `categories`: only these (the Today filter); undefined: all. */
export async function dailySeries(
  db: Db,
  scope: MetricScope,
  days: number,
  now: Date,
  categories?: string[],
): Promise<{ byCategory: DailySeries; bySource: DailySeries }> {
  const firstDay = Math.floor(now.getTime() / DAY_MS) - (days - 1);
  if (scope.brandId === undefined && !scope.where?.length) {
    const src = await counterSources(db, scope.workspaceId, scope.sourceIds);
    const rows =
      categories && categories.length !== 1
        ? (await readDailyCounts(db, src, firstDay)).filter(([, , category]) => categories.includes(category))
        : await readDailyCounts(db, src, firstDay, categories?.[0]);
    return dailySeriesFromCounts(rows, src, days, now);
  }
  const { byCategory, bySource } = await fromMentions(db, scope, firstDay, categories);
  return { byCategory: series(byCategory, firstDay, days), bySource: series(bySource, firstDay, days) };
}

/** The series from `daily_counts` rows already read (see counters.ts; rows before the first day are ignored). */
export function dailySeriesFromCounts(
  rows: DayCount[],
  src: CounterSources,
  days: number,
  now: Date,
): { byCategory: DailySeries; bySource: DailySeries } {
  const firstDay = Math.floor(now.getTime() / DAY_MS) - (days - 1);
  const byCategory = new Map<string, number[]>();
  const bySource = new Map<string, number[]>();
  const add = (byKey: Map<string, number[]>, key: string, index: number, count: number) => {
    let counts = byKey.get(key);
    if (!counts) {
      counts = new Array<number>(days).fill(0);
      byKey.set(key, counts);
    }
    counts[index]! += count;
  };
  for (const [day, sourceId, category, count] of rows) {
    const index = day - firstDay;
    if (index < 0 || index >= days || count === 0) continue;
    add(byCategory, category, index, count);
    add(bySource, src.names.get(sourceId) ?? String(sourceId), index, count);
  }
  return { byCategory: ordered(byCategory, firstDay, days), bySource: ordered(bySource, firstDay, days) };
}

function series(rows: KeyedDay[], firstDay: number, days: number): DailySeries {
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const index = Number(r.day) - firstDay;
    if (index < 0 || index >= days || Number(r.count) === 0) continue;
    const counts = byKey.get(r.key) ?? new Array<number>(days).fill(0);
    counts[index] = (counts[index] ?? 0) + Number(r.count);
    byKey.set(r.key, counts);
  }
  return ordered(byKey, firstDay, days);
}

/** Largest series first, then by key; a label per day. */
function ordered(byKey: Map<string, number[]>, firstDay: number, days: number): DailySeries {
  const totals = new Map([...byKey].map(([key, counts]) => [key, counts.reduce((x, y) => x + y, 0)]));
  return {
    days: Array.from({ length: days }, (_, i) =>
      new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
    ),
    series: [...byKey.entries()]
      .map(([key, counts]) => ({ key, counts }))
      .sort((a, b) => totals.get(b.key)! - totals.get(a.key)! || a.key.localeCompare(b.key)),
  };
}

interface KeyedDay {
  day: number;
  key: string;
  count: number;
}

async function fromMentions(db: Db, scope: MetricScope, firstDay: number, categories?: string[]) {
  const categoryFilter = categories
    ? sql` AND coalesce(${mentions.category}, 'unclassified') IN (${sql.join(
        categories.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql``;
  // A literal divisor: a bound JS number would be a REAL and make the division fractional.
  const rows = await db.all<{ day: number; category: string; source: string; count: number }>(
    sql`SELECT ${mentions.createdAt} / ${sql.raw(String(DAY_MS))} AS day,
          coalesce(${mentions.category}, 'unclassified') AS category, ${sources.name} AS source, count(*) AS count
        FROM ${MENTIONS_WITH_SOURCE}
        WHERE ${scopeCondition(scope)} AND ${mentions.createdAt} >= ${firstDay * DAY_MS}${categoryFilter}
        GROUP BY 1, 2, ${mentions.sourceId}`,
  );
  return {
    byCategory: rows.map((r) => ({ day: r.day, key: r.category, count: r.count })),
    bySource: rows.map((r) => ({ day: r.day, key: r.source, count: r.count })),
  };
}
