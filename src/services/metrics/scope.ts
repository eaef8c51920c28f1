// Which mentions a figure counts: always one workspace; optionally one brand, some sources, or any further
// filter over `mentions` and `sources` (the feed's filter conditions). Every figure in this folder takes one, so
// Today, the queue, the digest and the API count the same rows the same way.
import { type SQL, sql } from "drizzle-orm";
import { mentionBrands, mentions, sources } from "../../db/schema/index.js";
import { OPEN_QUEUE_STATUSES } from "../../domain/sla.js";

export interface MetricScope {
  workspaceId: number;
  brandId?: number;
  sourceIds?: number[];
  /** Further conditions over `mentions` and `sources` (e.g. the feed's filters). */
  where?: SQL[];
}

/** Mentions drive the join (see list-mentions.ts: driven from sources, SQLite would sort a workspace's rows). */
export const MENTIONS_WITH_SOURCE = sql`${mentions} CROSS JOIN ${sources} ON ${sources.id} = ${mentions.sourceId}`;

export function scopeCondition(scope: MetricScope): SQL {
  const parts: SQL[] = [sql`${sources.workspaceId} = ${scope.workspaceId}`];
  if (scope.brandId !== undefined)
    parts.push(
      sql`EXISTS (SELECT 1 FROM ${mentionBrands} WHERE ${mentionBrands.mentionId} = ${mentions.id} AND ${mentionBrands.brandId} = ${scope.brandId})`,
    );
  if (scope.sourceIds)
    parts.push(
      scope.sourceIds.length === 0
        ? sql`0`
        : sql`${mentions.sourceId} IN (${sql.join(
            scope.sourceIds.map((id) => sql`${id}`),
            sql`, `,
          )})`,
    );
  for (const condition of scope.where ?? []) parts.push(condition);
  return sql.join(parts, sql` AND `);
}

/** In the open queue: about collections, not yet handled, with a clock. Written exactly as the partial indexes'
 * WHERE (`mentions_open_queue`, `mentions_open_by_source`) and the queue_counts triggers, so SQLite uses them. */
export const IN_OPEN_QUEUE = sql.raw(
  `"mentions"."relevant" = 1 AND "mentions"."status" IN (${OPEN_QUEUE_STATUSES.map((s) => `'${s}'`).join(", ")}) AND "mentions"."sla_due_at" IS NOT NULL`,
);

/** Human corrections win over every engine (src/services/mentions/correct-classification.ts). */
export const CONFIRMED_BY_PERSON = sql.raw(`"mentions"."classified_by" = 'human'`);
