// The "needs a label" queue: mentions the local model was least sure of that look relevant, lowest confidence
// first, for reviewers to label. Their corrections (correctClassification, engine "human") leave the queue and
// flow through `rapport export-labels` into `npm run train -- --labels`.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { mentions, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan, can } from "../../domain/permissions.js";
import type { Category, Flag, Severity } from "../../domain/taxonomy.js";
import { HUMAN_ENGINE } from "../mentions/correct-classification.js";

/**
 * "Relevant-looking": called relevant, or called not relevant with confidence below this (the model gave
 * relevance more than a 1 − 0.8 = 20% chance).
 */
export const RELEVANT_LOOKING_BELOW = 0.8;
export const NEEDS_LABEL_LIMIT = 50;

export interface NeedsLabelItem {
  id: number;
  text: string;
  source: string;
  createdAt: Date;
  category: Category | null;
  relevant: boolean | null;
  severity: Severity | null;
  flags: Flag[];
  confidence: number | null;
}

export async function listNeedsLabel(
  deps: Deps,
  viewer: AuthUser,
  limit = NEEDS_LABEL_LIMIT,
): Promise<NeedsLabelItem[]> {
  assertCan(viewer.role, "triage", "label mentions");
  // The page's ids first: CROSS JOIN makes SQLite drive from mentions, walking mentions_confidence in order and
  // stopping at the limit, instead of reading every mention of the workspace's sources and sorting them. The unary
  // "+" keeps the relevance test from being answered by other indexes (a multi-index OR, then a sort of the backlog).
  const page = await deps.db.all<{ id: number }>(sql`
    SELECT "mentions"."id" AS "id"
    FROM "mentions" CROSS JOIN "sources" ON "sources"."id" = "mentions"."source_id"
    WHERE "sources"."workspace_id" = ${viewer.workspaceId}
      AND "mentions"."classified_at" IS NOT NULL
      AND "mentions"."confidence" IS NOT NULL
      AND ("mentions"."classified_by" IS NULL OR "mentions"."classified_by" <> ${HUMAN_ENGINE})
      AND (+"mentions"."relevant" = 1 OR +"mentions"."confidence" < ${RELEVANT_LOOKING_BELOW})
    ORDER BY "mentions"."confidence", "mentions"."id"
    LIMIT ${limit}`);
  if (page.length === 0) return [];
  const ids = page.map((r) => Number(r.id));
  const rows = await deps.db
    .select({
      id: mentions.id,
      text: can(viewer.role, "viewPii") ? mentions.text : mentions.textMasked,
      source: sources.name,
      createdAt: mentions.createdAt,
      category: mentions.category,
      relevant: mentions.relevant,
      severity: mentions.severity,
      flags: mentions.flags,
      confidence: mentions.confidence,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(inArray(mentions.id, ids), eq(sources.workspaceId, viewer.workspaceId)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r
      ? [
          {
            ...r,
            category: r.category as Category | null,
            severity: r.severity as Severity | null,
            flags: r.flags as Flag[],
          },
        ]
      : [];
  });
}
