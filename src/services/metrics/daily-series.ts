// Today's 30-day charts: mentions per UTC day by category and by source. With no filter but sources and
// categories, from the trigger-kept `daily_counts` (days × sources × categories rows, whatever the volume);
// with any other filter, from the mentions of those days.
import { and, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { dailyCounts, mentions, sources } from "../../db/schema/index.js";
import { MENTIONS_WITH_SOURCE, type MetricScope, scopeCondition } from "./scope.js";

const DAY_MS = 86_400_000;

export interface DailySeries {
  days: string[];
  series: { key: string; counts: number[] }[];
}

interface DayRow {
  day: number;
  category: string;
  source: string;
  count: number;
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
  const rows =
    scope.brandId === undefined && !scope.where?.length
      ? await fromCounters(db, scope, firstDay, categories)
      : await fromMentions(db, scope, firstDay, categories);
  const labels = Array.from({ length: days }, (_, i) =>
    new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
  );
  const series = (keyOf: (row: DayRow) => string): DailySeries => {
    const byKey = new Map<string, number[]>();
    for (const r of rows) {
      const index = Number(r.day) - firstDay;
      if (index < 0 || index >= days || Number(r.count) === 0) continue;
      const key = keyOf(r);
      const counts = byKey.get(key) ?? new Array<number>(days).fill(0);
      counts[index] = (counts[index] ?? 0) + Number(r.count);
      byKey.set(key, counts);
    }
    const total = (counts: number[]) => counts.reduce((x, y) => x + y, 0);
    return {
      days: labels,
      series: [...byKey.entries()]
        .map(([key, counts]) => ({ key, counts }))
        .sort((a, b) => total(b.counts) - total(a.counts) || a.key.localeCompare(b.key)),
    };
  };
  return { byCategory: series((r) => r.category), bySource: series((r) => r.source) };
}

async function fromCounters(db: Db, scope: MetricScope, firstDay: number, categories?: string[]) {
  const conditions: (SQL | undefined)[] = [
    eq(sources.workspaceId, scope.workspaceId),
    gte(dailyCounts.day, firstDay),
    scope.sourceIds ? inArray(dailyCounts.sourceId, scope.sourceIds) : undefined,
    categories ? inArray(dailyCounts.category, categories) : undefined,
  ];
  return db
    .select({
      day: dailyCounts.day,
      category: dailyCounts.category,
      source: sources.name,
      count: dailyCounts.count,
    })
    .from(dailyCounts)
    .innerJoin(sources, eq(sources.id, dailyCounts.sourceId))
    .where(and(...conditions));
}

async function fromMentions(db: Db, scope: MetricScope, firstDay: number, categories?: string[]) {
  const categoryFilter = categories
    ? sql` AND coalesce(${mentions.category}, 'unclassified') IN (${sql.join(
        categories.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql``;
  // A literal divisor: a bound JS number would be a REAL and make the division fractional.
  return db.all<DayRow>(
    sql`SELECT ${mentions.createdAt} / ${sql.raw(String(DAY_MS))} AS day,
          coalesce(${mentions.category}, 'unclassified') AS category, ${sources.name} AS source, count(*) AS count
        FROM ${MENTIONS_WITH_SOURCE}
        WHERE ${scopeCondition(scope)} AND ${mentions.createdAt} >= ${firstDay * DAY_MS}${categoryFilter}
        GROUP BY 1, 2, ${mentions.sourceId}`,
  );
}
