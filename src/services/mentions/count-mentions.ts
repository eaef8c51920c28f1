// The feed's result count ("123 mentions", or "more than 200"): the same rows the list shows (its filters,
// near-duplicate groups once, the queue's open items for sort=sla). Exact up to COUNT_CAP; past it the count stops
// and says so, so a broad filter over a million mentions reads at most COUNT_CAP + 1 rows. Measured at 1M (the
// web bench's data): a source, category or status filter reads a row per counted mention (the group check), about
// 10 ms for 1,000, so the cap is 200 (about 2 ms), four pages of the feed.
import { and, type SQL, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { IN_OPEN_QUEUE } from "../metrics/scope.js";
import { filterConditions, groupHeadCondition } from "./list-mentions.js";
import type { ListMentionsQuery } from "./schemas.js";

export const COUNT_CAP = 200;

export interface MentionCount {
  /** Exact when `capped` is false; otherwise a lower bound ("more than"). */
  count: number;
  capped: boolean;
}

const FROM = sql.raw(`"mentions" CROSS JOIN "sources" ON "sources"."id" = "mentions"."source_id"`);

/** The count's statement, for the tests' EXPLAIN QUERY PLAN. */
export async function countQuery(deps: Deps, viewer: AuthUser, query: ListMentionsQuery): Promise<SQL> {
  const conds = await filterConditions(deps, viewer, query);
  if (query.grouped === "true" && !query.work) conds.push(groupHeadCondition);
  if (query.sort === "sla") conds.push(IN_OPEN_QUEUE);
  return sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${FROM} WHERE ${and(...conds)} LIMIT ${COUNT_CAP + 1})`;
}

export async function countMentions(
  deps: Deps,
  viewer: AuthUser,
  query: ListMentionsQuery,
): Promise<MentionCount> {
  const [row] = await deps.db.all<{ n: number }>(await countQuery(deps, viewer, query));
  const n = Number(row?.n ?? 0);
  return n > COUNT_CAP ? { count: COUNT_CAP, capped: true } : { count: n, capped: false };
}
