// CFPB complaints under the retention purge: one whose response a person recorded is compliance evidence, kept
// past RETENTION_DAYS for three years after its last response; one nobody answered goes like any old mention.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import { complaintResponses, sources } from "../../db/schema/index.js";
import { runPurge } from "../../jobs/purge.js";
import { syncCfpbComplaints } from "./cfpb-complaints.js";

let ctx: WebTestContext;
const now = new Date("2026-12-14T15:00:00Z");
const ids: Record<string, number> = {};

beforeAll(async () => {
  ctx = await createWebTestContext({ RETENTION_DAYS: "365" }, () => now);
  const [cfpb] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: ctx.deps.workspaceId, name: "cfpb", type: "cfpb" })
    .returning();
  const old = new Date("2024-06-01T17:00:00Z"); // past a year's retention, inside three years
  for (const name of ["answered", "unanswered", "ancient"])
    ids[name] = await insertMention(ctx, {
      text: `complaint ${name}`,
      sourceId: cfpb!.id,
      createdAt: name === "ancient" ? new Date("2022-01-10T17:00:00Z") : old,
      fetchedAt: name === "ancient" ? new Date("2022-01-10T18:00:00Z") : old,
    });
  await syncCfpbComplaints(ctx.deps.db, now);
  await ctx.deps.db
    .update(complaintResponses)
    .set({ respondedAt: new Date("2024-06-10T17:00:00Z"), respondedBy: ctx.users.manager.id })
    .where(eq(complaintResponses.mentionId, ids.answered!));
  await ctx.deps.db
    .update(complaintResponses)
    .set({
      respondedAt: new Date("2022-01-20T17:00:00Z"),
      finalAt: new Date("2022-02-20T17:00:00Z"),
      outcome: "Closed",
    })
    .where(eq(complaintResponses.mentionId, ids.ancient!));
});
afterAll(async () => ctx.deps.cleanup());

describe("retention of CFPB complaints", () => {
  it("keeps an answered complaint three years after its last response, and purges the rest", async () => {
    await runPurge(ctx.deps, now);
    const kept = await ctx.deps.db.all<{ id: number }>(sql`SELECT id FROM mentions ORDER BY id`);
    expect(kept.map((r) => r.id)).toEqual([ids.answered]);
    const clocks = await ctx.deps.db.all<{ mention_id: number }>(
      sql`SELECT mention_id FROM complaint_responses`,
    );
    expect(clocks.map((r) => r.mention_id)).toEqual([ids.answered]);
  });
});
