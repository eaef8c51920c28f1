// Legal holds: while one is in force on a mention, an account or a brand, the retention purge keeps everything
// about it, and the workspace's audit log, however old (src/jobs/purge.ts reads HELD_MENTION and
// HOLD_IN_WORKSPACE). Placing and lifting are audited; a hold is lifted, never deleted.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { inTransaction } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import { accounts, brands, legalHolds, mentions, sources } from "../../db/schema/index.js";
import { badRequest, notFound } from "../../errors.js";
import { type AuditActor, recordAudit } from "./record-audit.js";

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

export async function placeHold(db: Db, actor: HoldActor, input: PlaceHoldInput) {
  if (!(await entityInWorkspace(db, actor.workspaceId, input)))
    throw notFound(`${input.entityType} ${input.entityId}`);
  return inTransaction(db, "placing a legal hold", async (tx) => {
    const [hold] = await tx
      .insert(legalHolds)
      .values({ workspaceId: actor.workspaceId, ...input, placedBy: actor.email ?? "system" })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "legal_hold.place",
      entityType: input.entityType,
      entityId: input.entityId,
      after: { hold: hold!.id, reason: input.reason },
      workspaceId: actor.workspaceId,
    });
    return hold!;
  });
}

export async function liftHold(db: Db, actor: HoldActor, holdId: number, now: Date) {
  return inTransaction(db, "lifting a legal hold", async (tx) => {
    const [hold] = await tx
      .update(legalHolds)
      .set({ liftedBy: actor.email ?? "system", liftedAt: now })
      .where(
        and(
          eq(legalHolds.id, holdId),
          eq(legalHolds.workspaceId, actor.workspaceId),
          isNull(legalHolds.liftedAt),
        ),
      )
      .returning();
    if (!hold) throw badRequest(`No hold ${holdId} in force in this workspace`);
    await recordAudit(tx, {
      actor,
      action: "legal_hold.lift",
      entityType: hold.entityType,
      entityId: hold.entityId,
      before: { hold: hold.id, reason: hold.reason, placedBy: hold.placedBy },
      workspaceId: actor.workspaceId,
    });
    return hold;
  });
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
