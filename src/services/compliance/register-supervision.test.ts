// The complaint register and the supervision figures against a real database, each checked against plain SQL.

import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { actorOf } from "../../../test/replies/helpers.js";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import { auditLog, mentions, replies, sources, workspaces } from "../../db/schema/index.js";
import { summarizeStops, supervisionWeeks } from "../../domain/compliance/supervision.js";
import { parseIsoWeek } from "../../domain/digest/week.js";
import { approveReply } from "../replies/approve.js";
import { createDraft } from "../replies/draft.js";
import { submitReply } from "../replies/submit.js";
import { syncCfpbComplaints } from "./cfpb-complaints.js";
import { complaintsCsv, listComplaints } from "./list-complaints.js";
import { loadStopEvents, loadSupervision, supervisionOver } from "./supervision.js";

let ctx: WebTestContext;
let clock = new Date("2026-11-20T12:00:00Z");
const ids: Record<string, number> = {};

beforeAll(async () => {
  ctx = await createWebTestContext({}, () => clock);
  const [cfpb] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: ctx.deps.workspaceId, name: "cfpb", type: "cfpb" })
    .returning();
  ids.open = await insertMention(ctx, {
    text: "Acme Recovery says I owe a debt that is not mine",
    createdAt: new Date("2026-11-10T09:00:00Z"),
    category: "debt_not_owed",
    relevant: true,
  });
  ids.answered = await insertMention(ctx, {
    text: '=HYPERLINK("http://evil.example") Acme Recovery calls me at 6am, mail me at jo@example.com',
    textMasked: '=HYPERLINK("http://evil.example") Acme Recovery calls me at 6am, mail me at [EMAIL]',
    createdAt: new Date("2026-11-12T09:00:00Z"),
    category: "communication_tactics",
    relevant: true,
    status: "posted",
  });
  await ctx.deps.db
    .update(mentions)
    .set({ firstResponseAt: new Date("2026-11-12T10:00:00Z"), assigneeId: ctx.users.responder.id })
    .where(eq(mentions.id, ids.answered));
  // Its reply went out at 11:30, after the first_response_at stamp of 10:00: answered is when the reply was posted.
  await ctx.deps.db.insert(replies).values({
    mentionId: ids.answered,
    threadKey: `answered-${ids.answered}`,
    authorId: ctx.users.responder.id,
    origin: "manual",
    text: "Sorry, we will stop the calls",
    status: "posted",
    postedBy: ctx.users.responder.id,
    postedAt: new Date("2026-11-12T11:30:00Z"),
  });
  // Dismissed without a reply: change-status stamps first_response_at, yet nobody answered it.
  ids.dismissed = await insertMention(ctx, {
    text: "Acme Recovery keeps sending letters",
    createdAt: new Date("2026-11-13T09:00:00Z"),
    category: "communication_tactics",
    relevant: true,
    status: "dismissed",
  });
  await ctx.deps.db
    .update(mentions)
    .set({
      firstResponseAt: new Date("2026-11-13T10:00:00Z"),
      statusChangedAt: new Date("2026-11-13T10:00:00Z"),
    })
    .where(eq(mentions.id, ids.dismissed));
  ids.duplicate = await insertMention(ctx, {
    text: "RT Acme Recovery calls me at 6am",
    createdAt: new Date("2026-11-12T09:05:00Z"),
    category: "communication_tactics",
    relevant: true,
    groupId: ids.answered,
  });
  ids.resolved = await insertMention(ctx, {
    text: "Acme Recovery told my employer about my debt",
    createdAt: new Date("2026-11-15T09:00:00Z"),
    category: "privacy",
    relevant: true,
    status: "resolved",
  });
  ids.praise = await insertMention(ctx, {
    text: "Acme Recovery was kind",
    createdAt: new Date("2026-11-15T09:00:00Z"),
    category: "praise",
    relevant: true,
  });
  ids.offTopic = await insertMention(ctx, {
    text: "Nice weather",
    createdAt: new Date("2026-11-15T09:00:00Z"),
    category: "not_collections",
    relevant: false,
  });
  ids.cfpb = await insertMention(ctx, {
    text: "Credit reporting: Incorrect information on your report",
    sourceId: cfpb!.id,
    createdAt: new Date("2026-11-16T17:00:00Z"),
    category: "not_collections",
    relevant: false,
    flags: ["regulator"],
  });
  const [other] = await ctx.deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
  const [otherSource] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: other!.id, name: "news-feed", type: "rss" })
    .returning();
  ids.otherWorkspace = await insertMention(ctx, {
    text: "Another company's complaint",
    sourceId: otherSource!.id,
    createdAt: new Date("2026-11-15T09:00:00Z"),
    category: "debt_not_owed",
    relevant: true,
    brandIds: [],
  });
  // Filed with the CFPB on 2026-11-28 (the post's day) and sent to the company on 2026-12-01: received 12-01.
  ids.late = await insertMention(ctx, {
    text: "Debt collection: Attempts to collect debt not owed",
    sourceId: cfpb!.id,
    createdAt: new Date("2026-11-28T15:00:00Z"),
    category: "not_collections",
    relevant: false,
    flags: ["regulator"],
  });
  await ctx.deps.db
    .update(mentions)
    .set({ meta: { dateReceived: "2026-11-28", dateSentToCompany: "2026-12-01" } })
    .where(eq(mentions.id, ids.late));
  await syncCfpbComplaints(ctx.deps.db, clock);
});
afterAll(async () => ctx.deps.cleanup());

/** Each listed complaint's received day, by hand: a post's UTC day, a CFPB complaint's sent-to-company day
 * (the CFPB one without dates counts from its post's Eastern day, 2026-11-16 12:00 there). */
const receivedDays = (): Record<number, string> => ({
  [ids.open!]: "2026-11-10",
  [ids.answered!]: "2026-11-12",
  [ids.dismissed!]: "2026-11-13",
  [ids.resolved!]: "2026-11-15",
  [ids.cfpb!]: "2026-11-16",
  [ids.late!]: "2026-12-01",
});
const receivedBetween = (from: string, to: string) =>
  Object.entries(receivedDays())
    .filter(([, d]) => d >= from && d <= to)
    .map(([id]) => Number(id))
    .sort((a, b) => a - b);

/** The register's ids by plain SQL: complaints (or CFPB clocks) of this workspace, group heads, in the range. */
async function expectedIds(extra = sql`1 = 1`): Promise<number[]> {
  const rows = await ctx.deps.db.all<{ id: number }>(sql`
    SELECT m.id FROM mentions m JOIN sources s ON s.id = m.source_id
    WHERE s.workspace_id = ${ctx.deps.workspaceId}
      AND ((m.relevant = 1 AND m.category NOT IN ('praise', 'not_collections'))
           OR m.id IN (SELECT mention_id FROM complaint_responses) OR s.type = 'cfpb')
      AND (m.group_id = m.id OR m.id IN (SELECT mention_id FROM complaint_responses) OR s.type = 'cfpb')
      AND ${extra}
    ORDER BY m.id`);
  return rows.map((r) => r.id);
}
const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

describe("the complaint register", () => {
  it("lists every complaint of the workspace from every channel, one per duplicate group", async () => {
    const rows = await listComplaints(ctx.deps, actorOf(ctx, "manager"), {});
    expect(idsOf(rows)).toEqual(await expectedIds());
    expect(idsOf(rows)).toEqual(
      [ids.open, ids.answered, ids.dismissed, ids.resolved, ids.cfpb, ids.late].sort((a, b) => a! - b!),
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.receivedDay]))).toEqual(receivedDays());
    // Newest received first: the complaint posted 11-28 but sent 12-01 sorts above everything posted before it.
    expect(rows.map((r) => r.receivedDay)).toEqual(
      rows
        .map((r) => r.receivedDay)
        .sort()
        .reverse(),
    );
  });

  it("filters by status, channel, category and dates as SQL does", async () => {
    const manager = actorOf(ctx, "manager");
    const open = await listComplaints(ctx.deps, manager, { status: "open" });
    // Open: not resolved/dismissed/posted and never answered, or a CFPB complaint with nothing recorded.
    expect(idsOf(open)).toEqual(
      await expectedIds(
        sql`m.status NOT IN ('posted', 'resolved', 'dismissed')
            AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.mention_id = m.id AND r.status = 'posted')
            AND coalesce((SELECT responded_at FROM complaint_responses WHERE mention_id = m.id), 0) = 0`,
      ),
    );
    expect(idsOf(await listComplaints(ctx.deps, manager, { channel: "cfpb" }))).toEqual(
      await expectedIds(sql`s.type = 'cfpb'`),
    );
    expect(idsOf(await listComplaints(ctx.deps, manager, { category: "privacy" }))).toEqual(
      await expectedIds(sql`m.category = 'privacy'`),
    );
    expect(idsOf(await listComplaints(ctx.deps, manager, { from: "2026-11-11", to: "2026-11-15" }))).toEqual(
      receivedBetween("2026-11-11", "2026-11-15"),
    );
    // Received 12-01 (sent to the company), though posted 11-28: in December, not in November.
    expect(idsOf(await listComplaints(ctx.deps, manager, { from: "2026-12-01" }))).toEqual([ids.late]);
    expect(idsOf(await listComplaints(ctx.deps, manager, { to: "2026-11-30" }))).toEqual(
      receivedBetween("2026-01-01", "2026-11-30"),
    );
    const handled = await listComplaints(ctx.deps, manager, { handler: ctx.users.responder.id });
    expect(idsOf(handled)).toEqual([ids.answered]);
    expect(handled[0]).toMatchObject({ status: "answered", outcome: "Answered in public" });
    const [firstPosted] = await ctx.deps.db.all<{ at: number }>(
      sql`SELECT min(posted_at) AS at FROM replies WHERE mention_id = ${ids.answered} AND status = 'posted'`,
    );
    expect(handled[0]!.answeredAt?.getTime()).toBe(Number(firstPosted!.at));
    expect(handled[0]!.answeredAt?.toISOString()).toBe("2026-11-12T11:30:00.000Z");
    await expect(listComplaints(ctx.deps, manager, { from: "2026-11-20", to: "2026-11-01" })).rejects.toThrow(
      /swap them/,
    );
  });

  it("does not call a complaint dismissed without a reply answered", async () => {
    const rows = await listComplaints(ctx.deps, actorOf(ctx, "manager"), {});
    const dismissed = rows.find((r) => r.id === ids.dismissed)!;
    expect(dismissed).toMatchObject({
      status: "resolved",
      answeredAt: null,
      outcome: "Dismissed: no response needed",
    });
    expect(dismissed.resolvedAt?.toISOString()).toBe("2026-11-13T10:00:00.000Z");
  });

  it("is refused to responders and viewers", async () => {
    await expect(listComplaints(ctx.deps, actorOf(ctx, "responder"), {})).rejects.toThrow(
      /Only admins and managers/,
    );
  });

  it("exports CSV with formula cells defused, one line per complaint", async () => {
    const rows = await listComplaints(ctx.deps, actorOf(ctx, "admin"), {});
    const records = parse(complaintsCsv(rows)) as string[][];
    expect(records[0]).toContain("Handled by");
    expect(records).toHaveLength(rows.length + 1);
    const answered = records.find((r) => r[0] === String(ids.answered))!;
    expect(answered[records[0]!.indexOf("Text")]).toMatch(/^'=HYPERLINK/);
    expect(answered[records[0]!.indexOf("Handled by")]).toBe(ctx.users.responder.email);
    const cfpbRow = records.find((r) => r[0] === String(ids.cfpb))!;
    expect(cfpbRow[records[0]!.indexOf("Kind")]).toBe("CFPB complaint (portal)");
  });
});

describe("rapport complaints", () => {
  it("prints the register as CSV or JSONL with the text masked, and names a bad filter", async () => {
    const env = {
      DATABASE_URL: `file:${join(ctx.deps.dir, "test.db")}`,
      RAPPORT_DEMO: "0",
      LOG_LEVEL: "silent",
    };
    const csv = await runCli(["complaints", "--from", "2026-11-01", "--to", "2026-11-30"], { env });
    expect(csv.code).toBe(0);
    const records = parse(csv.stdout) as string[][];
    const listed = records
      .slice(1)
      .map((r) => Number(r[0]))
      .sort((a, b) => a - b);
    expect(listed).toEqual(receivedBetween("2026-11-01", "2026-11-30"));
    expect(csv.stdout).toContain("[EMAIL]");
    expect(csv.stdout).not.toContain("jo@example.com");
    const jsonl = await runCli(["complaints", "--status", "resolved", "--format", "jsonl"], { env });
    const rows = jsonl.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: number; status: string });
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      await expectedIds(sql`m.status IN ('resolved', 'dismissed') AND s.type <> 'cfpb'`),
    );
    expect(rows.every((r) => r.status === "resolved")).toBe(true);
    const bad = await runCli(["complaints", "--status", "closed"], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--status");
  });
});

describe("supervision", () => {
  it("counts stops per person, rule and week as plain SQL does, and an empty period as zero", async () => {
    const responder = actorOf(ctx, "responder");
    const manager = actorOf(ctx, "manager");
    // Week 2026-W47 (16–22 Nov): a blocked submit through the real service.
    clock = new Date("2026-11-18T10:00:00Z");
    const blocked = await createDraft(ctx.deps, responder, {
      mentionId: ids.open!,
      origin: "manual",
      text: "Our records show you owe $500 on your account. Pay now or we will report it to the credit bureau.",
    });
    await expect(submitReply(ctx.deps, responder, blocked.reply.id)).rejects.toThrow(/Fix every highlighted/);
    // Week 2026-W48 (23–29 Nov): a reply with house-style warnings, accepted by a manager.
    clock = new Date("2026-11-24T10:00:00Z");
    const warned = await createDraft(ctx.deps, responder, {
      mentionId: ids.resolved!,
      origin: "manual",
      text: "Please reach us privately at 1-800-555-0100 so we can look into it. — Acme Recovery",
    });
    expect(warned.lint.ok).toBe(true);
    expect(warned.lint.warnings.length).toBeGreaterThan(0);
    await submitReply(ctx.deps, responder, warned.reply.id);
    await approveReply(ctx.deps, manager, warned.reply.id, {
      rules: [...new Set(warned.lint.warnings.map((w) => w.rule))],
      reason: "Tone is fine for this post",
    });
    // An approval the linter stopped (recorded as the approve service records it): the author is coached.
    await ctx.deps.db.insert(auditLog).values({
      workspaceId: ctx.deps.workspaceId,
      actorId: manager.id,
      actorEmail: manager.email,
      action: "reply.approval_stopped",
      entityType: "reply",
      entityId: String(blocked.reply.id),
      after: { rules: ["B11", "B11", "B1"] },
      at: new Date("2026-11-25T10:00:00Z"),
    });

    clock = new Date("2026-11-26T10:00:00Z");
    const summary = await loadSupervision(ctx.deps, manager, { weeks: 4 });
    expect(summary.weeks).toEqual(["2026-W45", "2026-W46", "2026-W47", "2026-W48"]);

    // Independent: every stop in the span, attributed as the rules say, counted by person, week and rule.
    const span = sql`a.workspace_id = ${ctx.deps.workspaceId} AND a.entity_type = 'reply'
      AND a.action IN ('reply.submit_blocked', 'reply.approval_stopped', 'reply.warnings_accepted')
      AND a.at >= ${summary.from.getTime()} AND a.at < ${summary.until.getTime()}`;
    const person = sql`CASE a.action WHEN 'reply.submit_blocked' THEN a.actor_id ELSE r.author_id END`;
    const perPerson = await ctx.deps.db.all<{ person: number; n: number }>(sql`
      SELECT ${person} AS person, count(*) AS n FROM audit_log a JOIN replies r ON r.id = CAST(a.entity_id AS INTEGER)
      WHERE ${span} GROUP BY 1 ORDER BY 1`);
    expect(summary.people.map((p) => ({ person: p.personId, n: p.total }))).toEqual(
      perPerson.map((r) => ({ person: Number(r.person), n: Number(r.n) })),
    );
    const perWeek = await ctx.deps.db.all<{ monday: string; n: number }>(sql`
      SELECT date(a.at / 1000, 'unixepoch', 'weekday 0', '-6 days') AS monday, count(*) AS n
      FROM audit_log a WHERE ${span} GROUP BY 1`);
    const weekTotals = Object.fromEntries(perWeek.map((w) => [w.monday, Number(w.n)]));
    expect(summary.weekly.map((w) => w.total)).toEqual([
      weekTotals["2026-11-02"] ?? 0,
      weekTotals["2026-11-09"] ?? 0,
      weekTotals["2026-11-16"] ?? 0,
      weekTotals["2026-11-23"] ?? 0,
    ]);
    expect(summary.weekly[0]!.total).toBe(0);
    const perRule = await ctx.deps.db.all<{ rule: string; n: number }>(sql`
      SELECT rule, count(*) AS n FROM (
        SELECT DISTINCT a.id, j.value AS rule FROM audit_log a, json_each(a.after, '$.rules') j WHERE ${span})
      GROUP BY rule ORDER BY rule`);
    expect(
      summary.rules.map((r) => ({ rule: r.rule, n: r.count })).sort((a, b) => a.rule.localeCompare(b.rule)),
    ).toEqual(perRule.map((r) => ({ rule: r.rule, n: Number(r.n) })));
    expect(summary.byKind).toEqual({ blocked_submit: 1, approval_stopped: 1, warnings_accepted: 1 });

    // A period with no stops at all.
    const empty = supervisionWeeks(new Date("2026-10-10T00:00:00Z"), 2);
    const none = await supervisionOver(ctx.deps.db, ctx.deps.workspaceId, empty.weeks, empty);
    expect(none).toMatchObject({ total: 0, people: [], rules: [] });
    expect(none.weekly.map((w) => w.total)).toEqual([0, 0]);
    // Another workspace sees none of it.
    const otherWs = await loadStopEvents(ctx.deps.db, ctx.deps.workspaceId + 1, summary);
    expect(otherWs).toEqual([]);
    await expect(loadSupervision(ctx.deps, responder, { weeks: 4 })).rejects.toThrow(
      /Only admins and managers/,
    );
  });

  it("summarizes events outside the weeks as nothing", () => {
    const week = parseIsoWeek("2026-W48")!;
    const s = summarizeStops(
      [
        {
          at: new Date("2026-11-01T00:00:00Z"),
          kind: "blocked_submit",
          personId: 1,
          replyId: 1,
          rules: ["B1"],
        },
      ],
      [week],
    );
    expect(s.total).toBe(0);
  });
});
