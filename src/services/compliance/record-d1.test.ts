// Recording a CFPB response needs no interactive transaction: on a database marked as D1's (which has none) it
// still records the response and its audit row together.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { actorOf } from "../../../test/replies/helpers.js";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import { markD1 } from "../../db/atomic.js";
import { sources } from "../../db/schema/index.js";
import { recordComplaintResponse } from "./record-complaint-response.js";

let ctx: WebTestContext;
beforeAll(async () => {
  ctx = await createWebTestContext({}, () => new Date("2026-12-14T15:00:00Z"));
});
afterAll(async () => ctx.deps.cleanup());

it("records the company response and its audit row on D1", async () => {
  const [cfpb] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: ctx.deps.workspaceId, name: "cfpb", type: "cfpb" })
    .returning();
  const id = await insertMention(ctx, {
    text: "complaint",
    sourceId: cfpb!.id,
    createdAt: new Date("2026-12-01T17:00:00Z"),
  });
  markD1(ctx.deps.db);
  const row = await recordComplaintResponse(ctx.deps, actorOf(ctx, "manager"), id, { step: "response" });
  expect(row.respondedBy).toBe(ctx.users.manager.id);
  const audit = await ctx.deps.db.all<{ action: string }>(
    sql`SELECT action FROM audit_log WHERE entity_type = 'mention' AND entity_id = ${String(id)}`,
  );
  expect(audit.map((a) => a.action)).toEqual(["complaint.company_response"]);
});
