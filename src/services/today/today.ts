// "Today": what is new since the person's last visit, most important first, with counts, the queue's open and
// overdue tallies and 30-day daily series for the charts. Every figure comes from src/services/metrics (the
// digest reads the same functions); the page's cost follows the page, not the backlog (see queue-backlog.ts and
// daily-series.ts).
import { and, eq, sql } from "drizzle-orm";
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
import { type DailySeries, dailySeries } from "../metrics/daily-series.js";
import { countByCategory, countBySource, countBySourceAndCategory } from "../metrics/mention-counts.js";
import { queueBacklog } from "../metrics/queue-backlog.js";
import type { MetricScope } from "../metrics/scope.js";

export type { DailySeries } from "../metrics/daily-series.js";

export const TODAY_LIMIT = 50;
const DAY_MS = 86_400_000;
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
  const filtered: MetricScope = { workspaceId: viewer.workspaceId, where: conds };
  const windowConds = [...conds, sql`${mentions.createdAt} >= ${since.getTime()}`];

  const items = await selectListPage(deps, viewer, {
    where: and(...windowConds, groupHeadCondition),
    orderBy: sql`coalesce(${mentions.relevant}, 0) DESC, CASE ${mentions.severity} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END DESC, coalesce(${mentions.reach}, 0) DESC, ${mentions.createdAt} DESC, ${mentions.id} DESC`,
    limit: TODAY_LIMIT,
    countDuplicates: true,
  });

  // The queue and the charts read trigger-kept counters when the filters allow (none, or a source; the charts
  // and the window's counts also a category), and count the rows otherwise.
  const countersScope = await counterScope(deps, viewer, filters);
  const window = { from: since };
  const { byCategory, bySource } = countersScope.charts
    ? await countBySourceAndCategory(deps.db, countersScope.charts, window, filters.category || undefined)
    : {
        byCategory: (await countByCategory(deps.db, filtered, window)).map(({ key, count }) => ({
          key,
          count,
        })),
        bySource: (await countBySource(deps.db, filtered, window)).map(({ key, count }) => ({ key, count })),
      };
  const backlog = await queueBacklog(deps.db, countersScope.queue ?? filtered, now);
  const charts = await dailySeries(
    deps.db,
    countersScope.charts ?? filtered,
    CHART_DAYS,
    now,
    countersScope.charts && filters.category ? [filters.category] : undefined,
  );

  return {
    since: since.toISOString(),
    items,
    total: byCategory.reduce((sum, c) => sum + c.count, 0),
    byCategory,
    bySource,
    open: backlog.open,
    overdue: backlog.overdue,
    arrivedOverdue: backlog.arrivedOverdue,
    dueLater: backlog.dueLater,
    capped: backlog.capped,
    charts,
  };
}

type CounterScope = Pick<MetricScope, "workspaceId" | "sourceIds">;

/** Scopes the counters can serve for these filters (undefined: count the filtered rows instead). */
async function counterScope(
  deps: Deps,
  viewer: AuthUser,
  filters: MentionFilters,
): Promise<{ queue?: CounterScope; charts?: CounterScope }> {
  const { source, category, since: _since, until, ...rest } = filters;
  const others = Object.values(rest).some((v) => present(v as string | undefined));
  let sourceIds: number[] | undefined;
  if (present(source)) {
    const [row] = await deps.db
      .select({ id: sources.id })
      .from(sources)
      .where(and(eq(sources.workspaceId, viewer.workspaceId), eq(sources.name, source!)));
    sourceIds = row ? [row.id] : [];
  }
  const scope: CounterScope = { workspaceId: viewer.workspaceId, ...(sourceIds ? { sourceIds } : {}) };
  return {
    ...(others || present(category) || present(until) ? {} : { queue: scope }),
    ...(others || present(until) ? {} : { charts: scope }),
  };
}

/** "Mark all as seen": the next Today view starts from now. */
export async function markFeedSeen(deps: Deps, viewer: AuthUser): Promise<void> {
  await deps.db.update(users).set({ lastFeedVisitAt: deps.now() }).where(eq(users.id, viewer.id));
}
