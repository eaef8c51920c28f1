// "Today": what is new since the person's last visit, most important first, with counts, the overdue tally
// and 30-day daily series for the charts.
import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { mentions, sources, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import {
  filterConditions,
  groupHeadCondition,
  type MentionListItem,
  selectListPage,
} from "../mentions/list-mentions.js";
import type { MentionFilters } from "../mentions/schemas.js";

export const TODAY_LIMIT = 100;
const DAY_MS = 86_400_000;
const CHART_DAYS = 30;

export interface DailySeries {
  days: string[];
  series: { key: string; counts: number[] }[];
}

export interface TodayView {
  since: string;
  items: MentionListItem[];
  total: number;
  byCategory: { key: string; count: number }[];
  bySource: { key: string; count: number }[];
  overdue: number;
  open: number;
  charts: { byCategory: DailySeries; bySource: DailySeries };
}

export async function todayView(
  deps: Deps,
  viewer: AuthUser,
  filters: MentionFilters & { since?: string },
): Promise<TodayView> {
  const now = deps.now();
  let since: Date;
  if (filters.since) since = new Date(filters.since);
  else {
    const [row] = await deps.db
      .select({ at: users.lastFeedVisitAt })
      .from(users)
      .where(eq(users.id, viewer.id));
    since = row?.at ?? new Date(now.getTime() - DAY_MS);
  }
  const conds = await filterConditions(deps, viewer, { ...filters, since: "" });
  const windowConds = [...conds, gte(mentions.createdAt, since)];

  const items = await selectListPage(deps, viewer, {
    where: and(...windowConds, groupHeadCondition),
    orderBy: sql`coalesce(${mentions.relevant}, 0) DESC, CASE ${mentions.severity} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END DESC, coalesce(${mentions.reach}, 0) DESC, ${mentions.createdAt} DESC, ${mentions.id} DESC`,
    limit: TODAY_LIMIT,
    countDuplicates: true,
  });

  const countBy = async (column: typeof mentions.category | typeof sources.name) =>
    (
      await deps.db
        .select({ key: sql<string>`coalesce(${column}, 'unclassified')`, count: sql<number>`count(*)` })
        .from(mentions)
        .innerJoin(sources, eq(sources.id, mentions.sourceId))
        .where(and(...windowConds))
        .groupBy(column)
        .orderBy(sql`count(*) DESC`)
    ).map((r) => ({ key: r.key, count: Number(r.count) }));
  const [byCategory, bySource] = [await countBy(mentions.category), await countBy(sources.name)];

  // Matches the partial index `mentions_open_queue`: the overdue count is a short range scan.
  const openCondition = sql`${mentions.relevant} = 1 AND ${mentions.status} IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND ${mentions.slaDueAt} IS NOT NULL`;
  const [queue] = await deps.db
    .select({
      open: sql<number>`count(*)`,
      overdue: sql<number>`sum(CASE WHEN ${mentions.slaDueAt} < ${now.getTime()} AND ${mentions.firstResponseAt} IS NULL THEN 1 ELSE 0 END)`,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(...conds, openCondition));

  const chartStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS - (CHART_DAYS - 1) * DAY_MS;
  // Both charts from one pass over the 30 days (the source/time index holds the category): grouped by day,
  // category and source, then summed per chart.
  // A literal divisor: a bound JS number would be a REAL and make the division fractional.
  const day = sql<number>`CAST(${mentions.createdAt} / ${sql.raw(String(DAY_MS))} AS INTEGER)`;
  const chartRows = await deps.db
    .select({
      day,
      category: sql<string>`coalesce(${mentions.category}, 'unclassified')`,
      source: sources.name,
      count: sql<number>`count(*)`,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(...conds, gte(mentions.createdAt, new Date(chartStart))))
    .groupBy(day, mentions.category, mentions.sourceId)
    .orderBy(asc(day));
  const days = Array.from({ length: CHART_DAYS }, (_, i) =>
    new Date(chartStart + i * DAY_MS).toISOString().slice(0, 10),
  );
  const series = (keyOf: (row: (typeof chartRows)[number]) => string): DailySeries => {
    const byKey = new Map<string, number[]>();
    const rows = [...chartRows].sort((a, b) => a.day - b.day || keyOf(a).localeCompare(keyOf(b)));
    for (const r of rows) {
      const index = Number(r.day) - chartStart / DAY_MS;
      if (index < 0 || index >= CHART_DAYS) continue;
      const key = keyOf(r);
      const counts = byKey.get(key) ?? new Array<number>(CHART_DAYS).fill(0);
      counts[index] = (counts[index] ?? 0) + Number(r.count);
      byKey.set(key, counts);
    }
    const sorted = [...byKey.entries()]
      .map(([key, counts]) => ({ key, counts }))
      .sort((a, b) => b.counts.reduce((x, y) => x + y, 0) - a.counts.reduce((x, y) => x + y, 0));
    return { days, series: sorted };
  };

  return {
    since: since.toISOString(),
    items,
    total: byCategory.reduce((sum, c) => sum + c.count, 0),
    byCategory,
    bySource,
    open: Number(queue?.open ?? 0),
    overdue: Number(queue?.overdue ?? 0),
    charts: { byCategory: series((r) => r.category), bySource: series((r) => r.source) },
  };
}

/** "Mark all as seen": the next Today view starts from now. */
export async function markFeedSeen(deps: Deps, viewer: AuthUser): Promise<void> {
  await deps.db.update(users).set({ lastFeedVisitAt: deps.now() }).where(eq(users.id, viewer.id));
}
