// Legal holds: while one is in force on a mention, an account or a brand, the retention purge keeps everything
// about it, and the workspace's audit log, however old (src/jobs/purge.ts reads HELD_MENTION and
// HOLD_IN_WORKSPACE). Placing and lifting are audited; a hold is lifted, never deleted.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { atomicBatch } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import { accounts, brands, legalHolds, mentions, sources } from "../../db/schema/index.js";
import { badRequest, notFound } from "../../errors.js";
import { type AuditActor, auditInsert } from "./record-audit.js";

export const placeHoldSchema = z.object({
  entityType: z.enum(["mention", "account", "brand"]),
  entityId: z.coerce.number().int().positive(),
  reason: z
    .string()
    .trim()
    .min(3, "Say why the hold is placed (a matter, a request, a case number)")
    .max(500),
});
export type PlaceHoldInput = z.infer<typeof placeHoldSchema>;

export interface HoldActor extends AuditActor {
  workspaceId: number;
}

async function entityInWorkspace(db: Db, workspaceId: number, input: PlaceHoldInput): Promise<boolean> {
  const found =
    input.entityType === "mention"
      ? await db
          .select({ id: mentions.id })
          .from(mentions)
          .innerJoin(sources, eq(sources.id, mentions.sourceId))
          .where(and(eq(mentions.id, input.entityId), eq(sources.workspaceId, workspaceId)))
      : input.entityType === "account"
        ? await db
            .select({ id: accounts.id })
            .from(accounts)
            .where(and(eq(accounts.id, input.entityId), eq(accounts.workspaceId, workspaceId)))
        : await db
            .select({ id: brands.id })
            .from(brands)
            .where(and(eq(brands.id, input.entityId), eq(brands.workspaceId, workspaceId)));
  return found.length > 0;
}

/** The hold and its audit row in one atomic batch (src/db/atomic.ts): holds can be placed on D1 too. */
export async function placeHold(db: Db, actor: HoldActor, input: PlaceHoldInput) {
  if (!(await entityInWorkspace(db, actor.workspaceId, input)))
    throw notFound(`${input.entityType} ${input.entityId}`);
  const [[hold]] = await atomicBatch(db, [
    db
      .insert(legalHolds)
      .values({ workspaceId: actor.workspaceId, ...input, placedBy: actor.email ?? "system" })
      .returning(),
    auditInsert(db, {
      actor,
      action: "legal_hold.place",
      entityType: input.entityType,
      entityId: input.entityId,
      // The hold the batch's first statement inserted.
      after: sql`json_object('hold', last_insert_rowid(), 'reason', ${input.reason})`,
      workspaceId: actor.workspaceId,
    }),
  ]);
  return hold!;
}

/**
 * Lifts a hold in force, with its audit row, in one atomic batch: the audit row is written only if the update just
 * before it lifted the hold (`changes()`), so lifting twice at once leaves one lift and one row.
 */
export async function liftHold(db: Db, actor: HoldActor, holdId: number, now: Date) {
  const [[hold]] = await atomicBatch(db, [
    db
      .update(legalHolds)
      .set({ liftedBy: actor.email ?? "system", liftedAt: now })
      .where(
        and(
          eq(legalHolds.id, holdId),
          eq(legalHolds.workspaceId, actor.workspaceId),
          isNull(legalHolds.liftedAt),
        ),
      )
      .returning(),
    db.run(sql`INSERT INTO audit_log (workspace_id, actor_id, actor_email, action, entity_type, entity_id, before, after, at)
      SELECT workspace_id, ${actor.id}, ${actor.email}, 'legal_hold.lift', entity_type, CAST(entity_id AS TEXT),
        json_object('hold', id, 'reason', reason, 'placedBy', placed_by), NULL, ${now.getTime()}
      FROM legal_holds WHERE id = ${holdId} AND changes() > 0`),
  ]);
  if (!hold) throw badRequest(`No hold ${holdId} in force in this workspace`);
  return hold;
}

export async function listHolds(db: Db, workspaceId: number) {
  return db
    .select()
    .from(legalHolds)
    .where(eq(legalHolds.workspaceId, workspaceId))
    .orderBy(desc(legalHolds.id));
}

/** A mention kept by a hold in force: on itself, on an account a person linked it to, or on a brand it is about. */
export const HELD_MENTION = (mentionId: ReturnType<typeof sql.raw>) => sql`EXISTS (
  SELECT 1 FROM legal_holds h WHERE h.lifted_at IS NULL AND (
    (h.entity_type = 'mention' AND h.entity_id = ${mentionId})
    OR (h.entity_type = 'account' AND h.entity_id IN (
      SELECT l.account_id FROM account_links l WHERE l.mention_id = ${mentionId} AND l.status = 'confirmed'))
    OR (h.entity_type = 'brand' AND h.entity_id IN (SELECT mb.brand_id FROM mention_brands mb WHERE mb.mention_id = ${mentionId}))
  ))`;

/** Any hold in force in the workspace keeps its whole audit log (a chain cannot lose a middle part). */
export const HOLD_IN_WORKSPACE = (workspaceId: number | null) =>
  workspaceId === null
    ? sql`EXISTS (SELECT 1 FROM legal_holds WHERE lifted_at IS NULL)`
    : sql`EXISTS (SELECT 1 FROM legal_holds WHERE lifted_at IS NULL AND workspace_id = ${workspaceId})`;
