// "Today": what is new since the person's last visit, most important first, with counts, the queue's open and
// overdue tallies and 30-day daily series for the charts. Every figure comes from src/services/metrics (the
// digest reads the same functions); the page's cost follows the page, not the backlog (see queue-backlog.ts and
// daily-series.ts).
import { and, eq, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { prepareOnce } from "../../db/prepared.js";
import { mentions, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import {
  filterConditions,
  groupHeadCondition,
  type MentionListItem,
  selectListPage,
} from "../mentions/list-mentions.js";
import type { MentionFilters } from "../mentions/schemas.js";
import { counterSources, DAY_MS, readDailyCounts } from "../metrics/counters.js";
import { type DailySeries, dailySeries, dailySeriesFromCounts } from "../metrics/daily-series.js";
import { countByCategory, countBySource, countBySourceAndCategory } from "../metrics/mention-counts.js";
import { type QueueBacklog, queueBacklog, queueBacklogFromCounters } from "../metrics/queue-backlog.js";
import type { MetricScope } from "../metrics/scope.js";

export type { DailySeries } from "../metrics/daily-series.js";

export const TODAY_LIMIT = 50;
const CHART_DAYS = 30;

export interface TodayView {
  since: string;
  items: MentionListItem[];
  /** Mentions posted since `since` (matching the filters). */
  total: number;
  byCategory: { key: string; count: number }[];
  bySource: { key: string; count: number }[];
  /** The open queue now (filters apply, `since` does not): see src/services/metrics/queue-backlog.ts. */
  open: number;
  overdue: number;
  arrivedOverdue: number;
  dueLater: number;
  /** The queue figures are lower bounds: a filtered count stopped at its cap. */
  capped: boolean;
  charts: { byCategory: DailySeries; bySource: DailySeries };
}

const present = (value: string | undefined) => (value ? value : undefined);

const lastVisit = (db: Db) =>
  db
    .select({ at: users.lastFeedVisitAt })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare();

export async function todayView(
  deps: Deps,
  viewer: AuthUser,
  filters: MentionFilters & { since?: string },
): Promise<TodayView> {
  const now = deps.now();
  let since: Date;
  if (filters.since) since = new Date(filters.since);
  else {
    const [row] = await prepareOnce(deps.db, "today-last-visit", lastVisit).all({ userId: viewer.id });
    since = row?.at ?? new Date(now.getTime() - DAY_MS);
  }
  const conds = await filterConditions(deps, viewer, { ...filters, since: "" });
  const filtered: MetricScope = { workspaceId: viewer.workspaceId, where: conds };
  const windowConds = [...conds, sql`${mentions.createdAt} >= ${since.getTime()}`];

  const items = await selectListPage(deps, viewer, {
    where: and(...windowConds, groupHeadCondition),
    orderBy: sql`coalesce(${mentions.relevant}, 0) DESC, CASE ${mentions.severity} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END DESC, coalesce(${mentions.reach}, 0) DESC, ${mentions.createdAt} DESC, ${mentions.id} DESC`,
    limit: TODAY_LIMIT,
    countDuplicates: true,
  });

  // With no filter but a source (the charts and the window's counts also a category), every figure comes from
  // the trigger-kept counters, read once for the page: the daily rows from the older of the chart's first day
  // and the window's, the queue's tallies in one statement. Any other filter counts the rows.
  const { source, category, since: _since, until, ...rest } = filters;
  const others = Object.values(rest).some((v) => present(v as string | undefined)) || present(until);
  let window: Pick<TodayView, "byCategory" | "bySource">;
  let charts: TodayView["charts"];
  let backlog: QueueBacklog;
  if (others) {
    window = await countFiltered(deps, filtered, since);
    charts = await dailySeries(deps.db, filtered, CHART_DAYS, now);
    backlog = await queueBacklog(deps.db, filtered, now);
  } else {
    const all = await counterSources(deps.db, viewer.workspaceId);
    const src = present(source) ? { ...all, ids: all.ids.filter((id) => all.names.get(id) === source) } : all;
    const firstChartDay = Math.floor(now.getTime() / DAY_MS) - (CHART_DAYS - 1);
    const days = await readDailyCounts(
      deps.db,
      src,
      Math.min(firstChartDay, Math.floor(since.getTime() / DAY_MS)),
      present(category),
    );
    window = await countBySourceAndCategory(deps.db, src, since, present(category), days);
    charts = dailySeriesFromCounts(days, src, CHART_DAYS, now);
    backlog = present(category)
      ? await queueBacklog(deps.db, filtered, now)
      : await queueBacklogFromCounters(deps.db, src, now);
  }

  return {
    since: since.toISOString(),
    items,
    total: window.byCategory.reduce((sum, c) => sum + c.count, 0),
    byCategory: window.byCategory,
    bySource: window.bySource,
    open: backlog.open,
    overdue: backlog.overdue,
    arrivedOverdue: backlog.arrivedOverdue,
    dueLater: backlog.dueLater,
    capped: backlog.capped,
    charts,
  };
}

async function countFiltered(deps: Deps, filtered: MetricScope, since: Date) {
  const window = { from: since };
  const strip = (rows: { key: string; count: number }[]) => rows.map(({ key, count }) => ({ key, count }));
  return {
    byCategory: strip(await countByCategory(deps.db, filtered, window)),
    bySource: strip(await countBySource(deps.db, filtered, window)),
  };
}

/** "Mark all as seen": the next Today view starts from now. */
export async function markFeedSeen(deps: Deps, viewer: AuthUser): Promise<void> {
  await deps.db.update(users).set({ lastFeedVisitAt: deps.now() }).where(eq(users.id, viewer.id));
}
