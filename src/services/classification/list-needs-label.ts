// The "needs a label" queue: mentions the local model was least sure of that look relevant, lowest confidence
// first, for reviewers to label. Their corrections (correctClassification, engine "human") leave the queue and
// flow through `rapport export-labels` into `npm run train -- --labels`.
import { and, asc, eq, isNotNull, ne, or, sql } from "drizzle-orm";
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
    .where(
      and(
        eq(sources.workspaceId, viewer.workspaceId),
        isNotNull(mentions.classifiedAt),
        or(sql`${mentions.classifiedBy} IS NULL`, ne(mentions.classifiedBy, HUMAN_ENGINE)),
        or(eq(mentions.relevant, true), sql`${mentions.confidence} < ${RELEVANT_LOOKING_BELOW}`),
      ),
    )
    .orderBy(sql`${mentions.confidence} IS NULL`, asc(mentions.confidence), asc(mentions.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    category: r.category as Category | null,
    severity: r.severity as Severity | null,
    flags: r.flags as Flag[],
  }));
}
