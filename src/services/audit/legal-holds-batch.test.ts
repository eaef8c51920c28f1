// Placing and lifting a legal hold are atomic batches with their audit rows, so they work on D1 (where the purge
// runs too): checked on a D1 handle against plain SQL, including a second lift that must change nothing.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import { markD1 } from "../../db/atomic.js";
import { liftHold, placeHold } from "./legal-holds.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

it("places and lifts a hold on a D1 handle, each with exactly one audit row", async () => {
  await insertMention(ctx, { text: "first, so the hold's id differs from the mention's" });
  const mentionId = await insertMention(ctx, { text: "Keep this one" });
  markD1(ctx.deps.db);
  const actor = { id: ctx.users.admin.id, email: ctx.users.admin.email, workspaceId: ctx.deps.workspaceId };
  const reason = 'Matter 24-117 "Smith"';
  const hold = await placeHold(ctx.deps.db, actor, { entityType: "mention", entityId: mentionId, reason });
  const lifted = await liftHold(ctx.deps.db, actor, hold.id, new Date("2026-12-01T10:00:00Z"));
  expect(lifted.liftedAt).toEqual(new Date("2026-12-01T10:00:00Z"));
  await expect(liftHold(ctx.deps.db, actor, hold.id, new Date())).rejects.toThrow(
    `No hold ${hold.id} in force`,
  );

  const audit = (await ctx.deps.db.all(sql`
    SELECT action, entity_type AS entityType, entity_id AS entityId, actor_email AS actor, workspace_id AS workspaceId,
           json_extract(after, '$.hold') AS placedHold, json_extract(after, '$.reason') AS placedReason,
           json_extract(before, '$.hold') AS liftedHold, json_extract(before, '$.placedBy') AS placedBy
    FROM audit_log WHERE action LIKE 'legal_hold.%' ORDER BY id`)) as Record<string, unknown>[];
  expect(audit).toEqual([
    {
      action: "legal_hold.place",
      entityType: "mention",
      entityId: String(mentionId),
      actor: ctx.users.admin.email,
      workspaceId: ctx.deps.workspaceId,
      placedHold: hold.id,
      placedReason: reason,
      liftedHold: null,
      placedBy: null,
    },
    {
      action: "legal_hold.lift",
      entityType: "mention",
      entityId: String(mentionId),
      actor: ctx.users.admin.email,
      workspaceId: ctx.deps.workspaceId,
      placedHold: null,
      placedReason: null,
      liftedHold: hold.id,
      placedBy: ctx.users.admin.email,
    },
  ]);
});
