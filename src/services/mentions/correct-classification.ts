// A reviewer's correction: stored as a `human` classification (kept for training exports) and written to the
// mention, where it wins over every engine (engines only classify mentions with no classification yet).

import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { brands, classifications, mentionBrands, mentions, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { slaClockStart, slaDueAt } from "../../domain/sla.js";
import { type Category, type Flag, isRelevant, type Severity } from "../../domain/taxonomy.js";
import { notFound } from "../../errors.js";
import { webhookConfig } from "../accounts/accounts.js";
import { syncLinkedRightsEvents } from "../accounts/rights.js";
import { recordAudit } from "../audit/record-audit.js";
import { moveHourlyCounts } from "../classification/hourly-counts.js";

export const HUMAN_ENGINE = "human";
export const HUMAN_VERSION = "human-1";

export interface CorrectClassificationInput {
  mentionId: number;
  category: Category;
  severity: Severity;
  flags: Flag[];
}

export async function correctClassification(deps: Deps, actor: AuthUser, input: CorrectClassificationInput) {
  assertCan(actor.role, "triage", "change a mention");
  const after = await storeCorrection(deps, actor, input);
  // A rights flag added to a mention already linked to an account becomes a dated event now (idempotent).
  await syncLinkedRightsEvents(deps.db, input.mentionId, webhookConfig(deps), deps.now());
  return after;
}

async function storeCorrection(deps: Deps, actor: AuthUser, input: CorrectClassificationInput) {
  return inTransaction(deps.db, "correcting a classification", async (tx) => {
    const [current] = await tx
      .select({
        id: mentions.id,
        category: mentions.category,
        severity: mentions.severity,
        flags: mentions.flags,
        relevant: mentions.relevant,
        sentiment: mentions.sentiment,
        fetchedAt: mentions.fetchedAt,
        createdAt: mentions.createdAt,
        sourceId: mentions.sourceId,
      })
      .from(mentions)
      .innerJoin(sources, eq(sources.id, mentions.sourceId))
      .where(and(eq(mentions.id, input.mentionId), eq(sources.workspaceId, actor.workspaceId)));
    if (!current) throw notFound("Mention");
    const relevant = isRelevant(input.category);
    const [brand] = await tx
      .select({ slaMinutes: brands.slaMinutes })
      .from(mentionBrands)
      .innerJoin(brands, eq(brands.id, mentionBrands.brandId))
      .where(eq(mentionBrands.mentionId, input.mentionId))
      .orderBy(mentionBrands.brandId)
      .limit(1);
    const now = deps.now();
    const flags = [...new Set(input.flags)];
    await tx.insert(classifications).values({
      mentionId: input.mentionId,
      category: input.category,
      relevant,
      severity: input.severity,
      flags,
      sentiment: current.sentiment ?? 0,
      confidence: 1,
      engine: HUMAN_ENGINE,
      version: HUMAN_VERSION,
      correctedBy: actor.id,
      createdAt: now,
    });
    const after = { category: input.category, severity: input.severity, flags, relevant };
    await tx
      .update(mentions)
      .set({
        ...after,
        confidence: 1,
        classifiedBy: HUMAN_ENGINE,
        classifierVersion: HUMAN_VERSION,
        classifiedAt: now,
        // The clock keeps its start (when the customer posted) but follows the corrected severity.
        slaDueAt: slaDueAt(
          input.severity,
          relevant,
          slaClockStart(current.createdAt, current.fetchedAt),
          brand?.slaMinutes ?? {},
        ),
      })
      .where(eq(mentions.id, input.mentionId));
    // Spike detection counts per category: the corrected mention moves to its new category's count.
    if (current.category !== input.category)
      await moveHourlyCounts(tx, [{ row: current, to: input.category }]);
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "mention.classification",
      entityType: "mention",
      entityId: input.mentionId,
      before: {
        category: current.category,
        severity: current.severity,
        flags: current.flags,
        relevant: current.relevant,
      },
      after,
      at: now,
    });
    return after;
  });
}
