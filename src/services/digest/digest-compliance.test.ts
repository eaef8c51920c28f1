// The digest's CFPB and Supervision sections: each figure checked against plain SQL, for the brand only, and an
// empty week said in words.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import { auditLog, replies, sources } from "../../db/schema/index.js";
import { parseIsoWeek } from "../../domain/digest/week.js";
import { syncCfpbComplaints } from "../compliance/cfpb-complaints.js";
import { renderDigest } from "./email/digest-email.js";
import { loadDigestData } from "./load-digest.js";

let ctx: WebTestContext;
const now = new Date("2026-12-14T15:00:00Z"); // Monday of 2026-W51; the digest reports 2026-W50
const week = parseIsoWeek("2026-W50")!;

async function stop(mentionId: number, authorId: number, action: string, rules: string[], at: string) {
  const [reply] = await ctx.deps.db
    .insert(replies)
    .values({
      mentionId,
      threadKey: `t:${mentionId}:${Math.random()}`,
      authorId,
      origin: "manual",
      text: "x",
    })
    .returning();
  await ctx.deps.db.insert(auditLog).values({
    workspaceId: ctx.deps.workspaceId,
    actorId: authorId,
    actorEmail: "x",
    action,
    entityType: "reply",
    entityId: String(reply!.id),
    after: { rules },
    at: new Date(at),
  });
  return reply!.id;
}

beforeAll(async () => {
  ctx = await createWebTestContext({}, () => now);
  const [cfpb] = await ctx.deps.db
    .insert(sources)
    .values({
      workspaceId: ctx.deps.workspaceId,
      name: "cfpb",
      type: "cfpb",
      brandId: ctx.deps.companyBrandId,
    })
    .returning();
  for (const day of ["2026-11-20", "2026-12-01", "2026-12-10"]) {
    await insertMention(ctx, {
      text: `complaint ${day}`,
      sourceId: cfpb!.id,
      createdAt: new Date(`${day}T17:00:00Z`),
    });
  }
  // A CFPB complaint about the client brand only: not in the company brand's digest.
  await insertMention(ctx, {
    text: "client complaint",
    sourceId: cfpb!.id,
    createdAt: new Date("2026-12-01T17:00:00Z"),
    brandIds: [ctx.clientBrandId],
  });
  await syncCfpbComplaints(ctx.deps.db, now);
  const mine = await insertMention(ctx, { text: "a complaint", category: "privacy", relevant: true });
  const client = await insertMention(ctx, { text: "b", brandIds: [ctx.clientBrandId] });
  const responder = ctx.users.responder.id;
  const twice = await stop(mine, responder, "reply.submit_blocked", ["B1", "B2"], "2026-12-08T10:00:00Z");
  // The same draft blocked again after an edit: a second stop of one reply.
  await ctx.deps.db.insert(auditLog).values({
    workspaceId: ctx.deps.workspaceId,
    actorId: responder,
    actorEmail: "x",
    action: "reply.submit_blocked",
    entityType: "reply",
    entityId: String(twice),
    after: { rules: ["B2"] },
    at: new Date("2026-12-08T11:00:00Z"),
  });
  await stop(mine, responder, "reply.warnings_accepted", ["R_EMPATHY"], "2026-12-09T10:00:00Z");
  await stop(mine, ctx.users.manager.id, "reply.submit_blocked", ["B1"], "2026-12-10T10:00:00Z");
  await stop(client, responder, "reply.submit_blocked", ["B3"], "2026-12-10T10:00:00Z"); // other brand
  await stop(mine, responder, "reply.submit_blocked", ["B5"], "2026-12-01T10:00:00Z"); // the week before
});
afterAll(async () => ctx.deps.cleanup());

describe("digest: CFPB complaints and supervision", () => {
  it("counts the brand's CFPB complaints and the week's stops as plain SQL does", async () => {
    const data = await loadDigestData(ctx.deps, ctx.deps.companyBrandId, week, now);
    const [cfpb] = await ctx.deps.db.all<{ open: number; soon: number; past: number }>(sql`
      SELECT count(*) AS open,
             sum(date(cr.received_day, '+15 days') BETWEEN '2026-12-14' AND '2026-12-17') AS soon,
             sum(date(cr.received_day, '+15 days') < '2026-12-14') AS past
      FROM complaint_responses cr JOIN mention_brands mb ON mb.mention_id = cr.mention_id
      WHERE cr.workspace_id = ${ctx.deps.workspaceId} AND mb.brand_id = ${ctx.deps.companyBrandId}
        AND cr.final_at IS NULL AND cr.responded_at IS NULL`);
    expect(data.cfpb).toEqual({
      open: Number(cfpb!.open),
      dueSoon: Number(cfpb!.soon),
      pastResponse: Number(cfpb!.past),
      pastFinal: 0,
    });
    const [stops] = await ctx.deps.db.all<{ n: number }>(sql`
      SELECT count(*) AS n FROM audit_log a JOIN replies r ON r.id = CAST(a.entity_id AS INTEGER)
      JOIN mention_brands mb ON mb.mention_id = r.mention_id
      WHERE mb.brand_id = ${ctx.deps.companyBrandId} AND a.action LIKE 'reply.%'
        AND a.at >= ${Date.parse("2026-12-07T00:00:00Z")} AND a.at < ${Date.parse("2026-12-14T00:00:00Z")}`);
    expect(data.supervision?.stops).toBe(Number(stops!.n));
    expect(data.supervision?.people.map((p) => [p.name, p.stops])).toEqual([
      [ctx.users.responder.email, 3],
      [ctx.users.manager.email, 1],
    ]);
    const message = renderDigest(data);
    expect(message.text).toContain(
      `CFPB complaints: ${cfpb!.open} open; ${cfpb!.soon} due within 3 days; ${cfpb!.past} past the 15-day response.`,
    );
    // Independent: stop events by kind, and the distinct replies blocked or stopped, in plain SQL.
    const [kinds] = await ctx.deps.db.all<{
      blocked: number;
      approval: number;
      accepted: number;
      replies: number;
    }>(sql`
      SELECT sum(a.action = 'reply.submit_blocked') AS blocked, sum(a.action = 'reply.approval_stopped') AS approval,
             sum(a.action = 'reply.warnings_accepted') AS accepted,
             count(DISTINCT CASE WHEN a.action <> 'reply.warnings_accepted' THEN a.entity_id END) AS replies
      FROM audit_log a JOIN replies r ON r.id = CAST(a.entity_id AS INTEGER)
      JOIN mention_brands mb ON mb.mention_id = r.mention_id
      WHERE mb.brand_id = ${ctx.deps.companyBrandId} AND a.action LIKE 'reply.%'
        AND a.at >= ${Date.parse("2026-12-07T00:00:00Z")} AND a.at < ${Date.parse("2026-12-14T00:00:00Z")}`);
    const stopEvents = Number(kinds!.blocked) + Number(kinds!.approval);
    expect(message.text).toContain(
      `${stopEvents} compliance stops this week (${Number(kinds!.blocked)} blocked at submit, ${Number(kinds!.approval)} stopped at approval) across ${Number(kinds!.replies)} ${Number(kinds!.replies) === 1 ? "reply" : "replies"}; ${Number(kinds!.accepted)} ${Number(kinds!.accepted) === 1 ? "approval" : "approvals"} accepted warnings with a written reason.`,
    );
    // By hand: one reply blocked twice and another once (3 stops, 2 replies); one approval accepted its warnings.
    expect(message.text).toContain(
      "3 compliance stops this week (3 blocked at submit, 0 stopped at approval) across 2 replies; 1 approval accepted warnings with a written reason.",
    );
    expect(message.text).not.toContain("drafts were stopped");
    expect(message.text).toContain("Confirms a relationship or a debt (B1) ×1");
    expect(message.html).toContain("Supervision</h2>");
  });

  it("says an empty week in words", async () => {
    const data = await loadDigestData(ctx.deps, ctx.deps.companyBrandId, parseIsoWeek("2026-W40")!, now);
    expect(data.supervision?.stops).toBe(0);
    expect(renderDigest(data).text).toContain("No compliance stop and no accepted warning this week.");
  });
});
