// Today's 30-day charts: mentions per UTC day by category and by source. With no filter but sources and
// categories, from the trigger-kept `daily_counts` (days × sources × categories rows, whatever the volume);
// with any other filter, from the mentions of those days.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { dailyCounts, mentions, sources } from "../../db/schema/index.js";
import { MENTIONS_WITH_SOURCE, type MetricScope, scopeCondition } from "./scope.js";

const DAY_MS = 86_400_000;

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
  const { byCategory, bySource } =
    scope.brandId === undefined && !scope.where?.length
      ? await fromCounters(db, scope, firstDay, categories)
      : await fromMentions(db, scope, firstDay, categories);
  const labels = Array.from({ length: days }, (_, i) =>
    new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
  );
  const series = (rows: KeyedDay[]): DailySeries => {
    const byKey = new Map<string, number[]>();
    for (const r of rows) {
      const index = Number(r.day) - firstDay;
      if (index < 0 || index >= days || Number(r.count) === 0) continue;
      const counts = byKey.get(r.key) ?? new Array<number>(days).fill(0);
      counts[index] = (counts[index] ?? 0) + Number(r.count);
      byKey.set(r.key, counts);
    }
    const total = (counts: number[]) => counts.reduce((x, y) => x + y, 0);
    return {
      days: labels,
      series: [...byKey.entries()]
        .map(([key, counts]) => ({ key, counts }))
        .sort((a, b) => total(b.counts) - total(a.counts) || a.key.localeCompare(b.key)),
    };
  };
  return { byCategory: series(byCategory), bySource: series(bySource) };
}

interface KeyedDay {
  day: number;
  key: string;
  count: number;
}

async function fromCounters(db: Db, scope: MetricScope, firstDay: number, categories?: string[]) {
  const sourceIds =
    scope.sourceIds ??
    (
      await db.all<{ id: number }>(
        sql`SELECT ${sources.id} AS id FROM ${sources} WHERE ${sources.workspaceId} = ${scope.workspaceId}`,
      )
    ).map((r) => Number(r.id));
  if (sourceIds.length === 0) return { byCategory: [], bySource: [] };
  const where = sql`${dailyCounts.sourceId} IN (${sql.join(
    sourceIds.map((id) => sql`${id}`),
    sql`, `,
  )}) AND ${dailyCounts.day} >= ${firstDay}${
    categories
      ? sql` AND ${dailyCounts.category} IN (${sql.join(
          categories.map((c) => sql`${c}`),
          sql`, `,
        )})`
      : sql``
  }`;
  // Grouped in SQL: a few hundred rows come back instead of one per day, source and category.
  const byCategory = await db.all<KeyedDay>(
    sql`SELECT ${dailyCounts.day} AS day, ${dailyCounts.category} AS key, sum(${dailyCounts.count}) AS count
        FROM ${dailyCounts} WHERE ${where} GROUP BY 1, 2`,
  );
  const bySource = await db.all<KeyedDay>(
    sql`SELECT ${dailyCounts.day} AS day, ${sources.name} AS key, sum(${dailyCounts.count}) AS count
        FROM ${dailyCounts} JOIN ${sources} ON ${sources.id} = ${dailyCounts.sourceId}
        WHERE ${where} GROUP BY 1, ${dailyCounts.sourceId}`,
  );
  return { byCategory, bySource };
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
