// Mention counts over a span of post times, for one scope: the totals, per category (with how many a person
// confirmed), per source and per UTC day. Today's "new since your last visit" and the digest's volume,
// grievances and sources are these same functions.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { mentions, sources } from "../../db/schema/index.js";
import { type CounterSources, DAY_MS, type DayCount, idList, readDailyCounts } from "./counters.js";
import { CONFIRMED_BY_PERSON, MENTIONS_WITH_SOURCE, type MetricScope, scopeCondition } from "./scope.js";

/** [from, until) over the post's own time; no `until` is "up to now and beyond". */
export interface Span {
  from: Date;
  until?: Date;
}

export interface CountOptions {
  /** Only mentions about collections (relevant). */
  relevantOnly?: boolean;
  /** Leave these categories out (the digest's grievances leave out praise). */
  excludeCategories?: string[];
}

function where(scope: MetricScope, span: Span, opts: CountOptions = {}): SQL {
  const parts: SQL[] = [scopeCondition(scope), sql`${mentions.createdAt} >= ${span.from.getTime()}`];
  if (span.until) parts.push(sql`${mentions.createdAt} < ${span.until.getTime()}`);
  if (opts.relevantOnly) parts.push(sql`${mentions.relevant} = 1`);
  if (opts.excludeCategories?.length)
    parts.push(
      sql`coalesce(${mentions.category}, '') NOT IN (${sql.join(
        opts.excludeCategories.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
  return sql.join(parts, sql` AND `);
}

/** All mentions, those about collections, and of those how many a person classified or confirmed. */
export async function countMentions(
  db: Db,
  scope: MetricScope,
  span: Span,
): Promise<{ total: number; relevant: number; confirmed: number }> {
  const [row] = await db.all<{ total: number; relevant: number; confirmed: number }>(
    sql`SELECT count(*) AS total, coalesce(sum(${mentions.relevant} = 1), 0) AS relevant,
          coalesce(sum(${mentions.relevant} = 1 AND ${CONFIRMED_BY_PERSON}), 0) AS confirmed
        FROM ${MENTIONS_WITH_SOURCE} WHERE ${where(scope, span)}`,
  );
  return {
    total: Number(row?.total ?? 0),
    relevant: Number(row?.relevant ?? 0),
    confirmed: Number(row?.confirmed ?? 0),
  };
}

export interface CategoryCount {
  /** The category code, or "unclassified". */
  key: string;
  count: number;
  /** How many of them a person classified or confirmed. */
  confirmed: number;
}

/** Largest first, then by code. */
export async function countByCategory(
  db: Db,
  scope: MetricScope,
  span: Span,
  opts: CountOptions = {},
): Promise<CategoryCount[]> {
  const rows = await db.all<{ key: string; n: number; confirmed: number }>(
    sql`SELECT coalesce(${mentions.category}, 'unclassified') AS key, count(*) AS n,
          coalesce(sum(${CONFIRMED_BY_PERSON}), 0) AS confirmed
        FROM ${MENTIONS_WITH_SOURCE} WHERE ${where(scope, span, opts)}
        GROUP BY 1 ORDER BY n DESC, key`,
  );
  return rows.map((r) => ({ key: r.key, count: Number(r.n), confirmed: Number(r.confirmed) }));
}

export interface SourceCount {
  key: string;
  type: string;
  count: number;
}

export async function countBySource(
  db: Db,
  scope: MetricScope,
  span: Span,
  opts: CountOptions = {},
): Promise<SourceCount[]> {
  const rows = await db.all<{ key: string; type: string; n: number }>(
    sql`SELECT ${sources.name} AS key, ${sources.type} AS type, count(*) AS n
        FROM ${MENTIONS_WITH_SOURCE} WHERE ${where(scope, span, opts)}
        GROUP BY ${mentions.sourceId} ORDER BY n DESC, key`,
  );
  return rows.map((r) => ({ key: r.key, type: r.type, count: Number(r.n) }));
}

/** Counts per UTC day from `span.from` (which should be a UTC midnight), `days` long, zeros included. */
export async function countByDay(
  db: Db,
  scope: MetricScope,
  span: Span,
  days: number,
  opts: CountOptions = {},
): Promise<{ date: string; count: number }[]> {
  // A literal divisor: a bound JS number would be a REAL and make the division fractional.
  const rows = await db.all<{ day: number; n: number }>(
    sql`SELECT ${mentions.createdAt} / ${sql.raw(String(DAY_MS))} AS day, count(*) AS n
        FROM ${MENTIONS_WITH_SOURCE} WHERE ${where(scope, span, opts)} GROUP BY 1`,
  );
  const byDay = new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
  const first = Math.floor(span.from.getTime() / DAY_MS);
  return Array.from({ length: days }, (_, i) => ({
    date: new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
    count: byDay.get(first + i) ?? 0,
  }));
}

/**
 * Counts per source and category posted since `from` (and later), for a workspace or some of its sources
 * (optionally one category): Today's "new since your last visit". Whole UTC days come from `daily_counts`
 * (`days`: rows already read from `from`'s day on, or read here); only `from`'s own day is split, by counting
 * the shorter side of `from` in the covering index `mentions_source_created` (source, time, category): the
 * mentions of [from, end of that day), or the day's count less those of [start of that day, from). So the cost
 * is at most half a day's intake, however long ago the last visit was and however large the backlog. Largest
 * first.
 */
export async function countBySourceAndCategory(
  db: Db,
  src: CounterSources,
  from: Date,
  category?: string,
  days?: DayCount[],
): Promise<{ byCategory: { key: string; count: number }[]; bySource: { key: string; count: number }[] }> {
  if (src.ids.length === 0) return { byCategory: [], bySource: [] };
  const fromMs = from.getTime();
  const fromDay = Math.floor(fromMs / DAY_MS);
  const dayStart = fromDay * DAY_MS;
  const rows = days ?? (await readDailyCounts(db, src, fromDay, category));
  const totals = new Map<string, number>();
  const add = (sourceId: number, key: string, n: number) => {
    const k = `${sourceId}\u0000${key}`;
    totals.set(k, (totals.get(k) ?? 0) + n);
  };
  // Counted rows of one side of `from` on its day; the other side is the day's counter less these.
  const before = fromMs - dayStart < dayStart + DAY_MS - fromMs;
  for (const [day, sourceId, key, n] of rows) {
    if (day > fromDay || (day === fromDay && before)) add(sourceId, key, n);
  }
  if (fromMs !== dayStart) {
    const [lower, upper] = before ? [dayStart, fromMs] : [fromMs, dayStart + DAY_MS];
    const [edge] = await db.all<{ rows: string | null }>(
      sql`SELECT json_group_array(json_array(source, category, n)) AS rows FROM (
            SELECT ${mentions.sourceId} AS source, coalesce(${mentions.category}, 'unclassified') AS category, count(*) AS n
            FROM ${mentions} INDEXED BY mentions_source_created
            WHERE ${mentions.sourceId} IN (${idList(src.ids)}) AND ${mentions.createdAt} >= ${lower}
              AND ${mentions.createdAt} < ${upper}${category ? sql` AND ${mentions.category} = ${category}` : sql``}
            GROUP BY 1, 2)`,
    );
    for (const [sourceId, key, n] of JSON.parse(edge?.rows ?? "[]") as [number, string, number][])
      add(sourceId, key, before ? -n : n);
  }
  const sum = (keyOf: (sourceId: number, key: string) => string) => {
    const sums = new Map<string, number>();
    for (const [k, n] of totals) {
      const [sourceId, key] = k.split("\u0000") as [string, string];
      const name = keyOf(Number(sourceId), key);
      sums.set(name, (sums.get(name) ?? 0) + n);
    }
    return [...sums.entries()]
      .filter(([, count]) => count !== 0)
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  };
  return {
    byCategory: sum((_, key) => key),
    bySource: sum((sourceId) => src.names.get(sourceId) ?? String(sourceId)),
  };
}
