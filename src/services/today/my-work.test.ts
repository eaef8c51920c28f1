// "My work" figures against plain SQL written another way, the lists against the figures, workspace scoping, and
// the plans: each count reads a range of its partial index, never the mentions table.
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import type { AuthUser } from "../../auth/types.js";
import { auditLog, mentions, replies, sources, workspaces } from "../../db/schema/index.js";
import { createUser } from "../users/create-user.js";
import { myWork, myWorkCountQueries, myWorkCounts } from "./my-work.js";

const NOW = new Date(Date.UTC(2026, 2, 10, 8, 0));
const min = (m: number) => new Date(NOW.getTime() + m * 60_000);

let ctx: WebTestContext;
let manager: AuthUser;
let responder: AuthUser;
let otherManager: AuthUser;
beforeEach(async () => {
  ctx = await createWebTestContext({}, () => NOW);
  const u = ctx.users;
  manager = {
    id: u.manager.id,
    email: u.manager.email,
    role: "manager",
    workspaceId: ctx.deps.workspaceId,
    name: "",
  };
  responder = {
    id: u.responder.id,
    email: u.responder.email,
    role: "responder",
    workspaceId: ctx.deps.workspaceId,
    name: "",
  };
  const second = await createUser(ctx.deps, {
    email: "second-manager@example.com",
    role: "manager",
    password: "correct horse battery",
  });
  otherManager = {
    id: second.id,
    email: second.email,
    role: "manager",
    workspaceId: ctx.deps.workspaceId,
    name: "",
  };
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

async function assign(id: number, userId: number) {
  await ctx.deps.db.update(mentions).set({ assigneeId: userId }).where(eq(mentions.id, id));
}

async function addReply(
  mentionId: number,
  authorId: number,
  status: "awaiting_approval" | "draft" | "approved",
) {
  const [row] = await ctx.deps.db
    .insert(replies)
    .values({ mentionId, threadKey: `t:${mentionId}`, authorId, origin: "manual", text: "Sorry", status })
    .returning({ id: replies.id });
  return row!.id;
}

/**
 * The independent count: closed statuses spelled as the complement, the workspace by join, near-duplicates once
 * (a member is left out only when its head is itself open and the viewer's).
 */
async function plainCounts(userId: number, workspaceId: number) {
  const [row] = await ctx.deps.db.all<{ assigned: number; overdue: number }>(sql`
    SELECT count(*) AS assigned,
      sum(CASE WHEN m.relevant = 1 AND m.sla_due_at IS NOT NULL AND m.first_response_at IS NULL
               AND m.sla_due_at < ${NOW.getTime()} AND m.fetched_at < m.sla_due_at THEN 1 ELSE 0 END) AS overdue
    FROM mentions m JOIN sources s ON s.id = m.source_id
    WHERE s.workspace_id = ${workspaceId} AND m.assignee_id = ${userId}
      AND m.status NOT IN ('posted', 'resolved', 'dismissed')
      AND m.id NOT IN (SELECT d.id FROM mentions d JOIN mentions h ON h.id = d.group_id AND h.id <> d.id
        WHERE h.assignee_id = ${userId} AND h.status NOT IN ('posted', 'resolved', 'dismissed'))`);
  return { assigned: Number(row?.assigned ?? 0), overdue: Number(row?.overdue ?? 0) };
}

async function plainApprovals(userId: number, workspaceId: number) {
  const waiting = await ctx.deps.db.all<{ id: number; author_id: number }>(sql`
    SELECT r.id, r.author_id FROM replies r JOIN mentions m ON m.id = r.mention_id JOIN sources s ON s.id = m.source_id
    WHERE r.status = 'awaiting_approval' AND s.workspace_id = ${workspaceId}`);
  let n = 0;
  for (const r of waiting) {
    const wrote = await ctx.deps.db.all(sql`
      SELECT 1 FROM audit_log WHERE entity_type = 'reply' AND entity_id = ${String(r.id)} AND actor_id = ${userId}
        AND action IN ('reply.draft', 'reply.edit', 'reply.submit')`);
    if (Number(r.author_id) !== userId && wrote.length === 0) n++;
  }
  return n;
}

describe("my work", () => {
  it("counts open assigned work and the overdue part as plain SQL does, and lists the same mentions", async () => {
    const seeds = [
      // mine, overdue (due after it was stored, unanswered)
      { status: "new", due: -90, fetched: -200, mine: true },
      { status: "triaged", due: -5, fetched: -100, mine: true },
      // mine, due later
      { status: "drafting", due: 30, fetched: -10, mine: true },
      // mine, arrived overdue: late work, but not the team's miss
      { status: "new", due: -300, fetched: -10, mine: true },
      // mine, no clock (not about collections)
      { status: "new", due: null, fetched: -10, mine: true, relevant: false },
      // mine but closed
      { status: "dismissed", due: -90, fetched: -200, mine: true },
      { status: "resolved", due: -90, fetched: -200, mine: true },
      // someone else's
      { status: "new", due: -90, fetched: -200, mine: false },
    ];
    const ids: number[] = [];
    for (const [i, s] of seeds.entries()) {
      const id = await insertMention(ctx, {
        text: `mention ${i}`,
        createdAt: min(s.fetched - 1),
        fetchedAt: min(s.fetched),
        status: s.status,
        relevant: s.relevant ?? true,
        severity: "high",
        category: "communication_tactics",
        ...(s.due === null ? {} : { slaDueAt: min(s.due) }),
      });
      await assign(id, s.mine ? responder.id : manager.id);
      ids.push(id);
    }
    // A near-duplicate of the first: one job, counted once.
    const dup = await insertMention(ctx, {
      text: "mention 0 again",
      groupId: ids[0]!,
      relevant: true,
      severity: "high",
      slaDueAt: min(-90),
      fetchedAt: min(-200),
    });
    await assign(dup, responder.id);
    // A near-duplicate whose head is someone else's: the responder's only job in that group, counted.
    const memberAlone = await insertMention(ctx, {
      text: "someone else's again",
      groupId: ids[7]!,
      relevant: true,
      severity: "high",
      slaDueAt: min(45),
      fetchedAt: min(-10),
    });
    await assign(memberAlone, responder.id);
    // An answered one (a public reply went out) is not overdue.
    const answered = await insertMention(ctx, {
      text: "answered",
      relevant: true,
      severity: "high",
      status: "approved",
      slaDueAt: min(-60),
      fetchedAt: min(-120),
    });
    await ctx.deps.db
      .update(mentions)
      .set({ firstResponseAt: min(-70) })
      .where(eq(mentions.id, answered));
    await assign(answered, responder.id);

    const counts = await myWorkCounts(ctx.deps, responder);
    const plain = await plainCounts(responder.id, ctx.deps.workspaceId);
    expect(counts).toEqual({ ...plain, awaitingApproval: null, total: plain.assigned });
    expect(plain).toEqual({ assigned: 7, overdue: 2 });

    const work = await myWork(ctx.deps, responder, 10);
    expect(work.assigned.map((m) => m.id)).toEqual([
      ids[3],
      ids[0],
      answered,
      ids[1],
      ids[2],
      memberAlone,
      ids[4],
    ]);
    expect(work.assigned).toHaveLength(counts.assigned);
    expect(work.overdue.map((m) => m.id)).toEqual([ids[0], ids[1]]);
    expect(work.overdue[0]!.duplicates).toBe(1);
    expect(work.awaitingApproval).toBeNull();
    // Lists stop at their limit; the counts do not.
    expect((await myWork(ctx.deps, responder, 2)).assigned).toHaveLength(2);
  });

  it("counts only replies the approver may approve (not their own, not ones they edited), in their workspace", async () => {
    const a = await insertMention(ctx, { text: "a", relevant: true, severity: "high", slaDueAt: min(60) });
    const b = await insertMention(ctx, { text: "b", relevant: true, severity: "high", slaDueAt: min(10) });
    const c = await insertMention(ctx, { text: "c", relevant: true, severity: "high", slaDueAt: min(20) });
    const d = await insertMention(ctx, { text: "d" });
    const byResponderA = await addReply(a, responder.id, "awaiting_approval");
    const byResponderB = await addReply(b, responder.id, "awaiting_approval");
    await addReply(c, manager.id, "awaiting_approval"); // the manager's own
    await addReply(d, responder.id, "draft"); // not submitted
    // The manager edited reply B: four eyes, another manager must approve it.
    await ctx.deps.db.insert(auditLog).values({
      workspaceId: ctx.deps.workspaceId,
      actorId: manager.id,
      actorEmail: manager.email,
      action: "reply.edit",
      entityType: "reply",
      entityId: String(byResponderB),
    });
    // Another workspace's waiting reply is nobody's here.
    const [ws] = await ctx.deps.db.insert(workspaces).values({ name: "Other" }).returning();
    const [otherSource] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: ws!.id, name: "elsewhere", type: "rss" })
      .returning();
    const foreign = await insertMention(ctx, { text: "foreign", sourceId: otherSource!.id });
    await addReply(foreign, responder.id, "awaiting_approval");

    for (const approver of [manager, otherManager]) {
      const counts = await myWorkCounts(ctx.deps, approver);
      expect(counts.awaitingApproval).toBe(await plainApprovals(approver.id, ctx.deps.workspaceId));
    }
    expect((await myWorkCounts(ctx.deps, manager)).awaitingApproval).toBe(1);
    expect((await myWorkCounts(ctx.deps, otherManager)).awaitingApproval).toBe(3);

    const work = await myWork(ctx.deps, otherManager);
    expect(work.awaitingApproval!.map((r) => r.mentionId)).toEqual([b, c, a]);
    expect((await myWork(ctx.deps, manager)).awaitingApproval!.map((r) => r.replyId)).toEqual([byResponderA]);
    expect(work.awaitingApproval![0]).toMatchObject({ authorEmail: responder.email, source: "news-feed" });
    // A responder may not approve: no figure rather than a zero.
    expect((await myWorkCounts(ctx.deps, responder)).awaitingApproval).toBeNull();
  });

  it("does not count another workspace's mentions assigned to the same id", async () => {
    const [ws] = await ctx.deps.db.insert(workspaces).values({ name: "Other" }).returning();
    const [otherSource] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: ws!.id, name: "elsewhere", type: "rss" })
      .returning();
    const foreign = await insertMention(ctx, { text: "foreign", sourceId: otherSource!.id });
    await assign(foreign, responder.id);
    const own = await insertMention(ctx, { text: "own" });
    await assign(own, responder.id);
    expect((await myWorkCounts(ctx.deps, responder)).assigned).toBe(1);
    expect((await myWork(ctx.deps, responder)).assigned.map((m) => m.id)).toEqual([own]);
  });

  it("reads the counts from the partial indexes (EXPLAIN QUERY PLAN)", async () => {
    const queries = myWorkCountQueries(manager, NOW);
    const plan = async (q: ReturnType<typeof sql>) =>
      (await ctx.deps.db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${q}`))
        .map((r) => r.detail)
        .join("\n");
    const mine = await plan(queries.mentions);
    expect(mine).toMatch(/SEARCH mentions USING INDEX mentions_assigned_open \(assignee_id=\?\)/);
    expect(mine).not.toMatch(/SCAN mentions/);
    const approvals = await plan(queries.approvals);
    expect(approvals).toMatch(/replies USING (COVERING )?INDEX replies_awaiting_approval/);
    expect(approvals).toMatch(/SEARCH a USING INDEX audit_entity \(entity_type=\? AND entity_id=\?\)/);
  });
});
