// Every figure on Today (and /api/today) against an independent computation: plain SQL written here over the
// seeded rows. Seeded: two sources, a second workspace that must never be counted, mentions before and after the
// last visit, open and closed, answered and not, due later, overdue, and posts that arrived already overdue
// (a backfill). Checked again after real status changes, a reply, a correction and a purge (the trigger-kept
// counters must follow every write), with filters (counted rows instead of counters), and on an empty workspace.
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { mentions, sources, users, workspaces } from "../../db/schema/index.js";
import type { TodayView } from "../today/today.js";
import { rebuildCounts } from "./rebuild-counts.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const MIN = 60_000;
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);
const SINCE = ago(6 * 60);
const OPEN = "('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated')";

let ctx: WebTestContext;
let manager: Session;
let otherWorkspaceSource: number;

beforeEach(async () => {
  ctx = await createWebTestContext({}, () => NOW);
  manager = await login(ctx, "manager");
  await ctx.deps.db.update(users).set({ lastFeedVisitAt: SINCE }).where(eq(users.id, ctx.users.manager.id));
  const [elsewhere] = await ctx.deps.db.insert(workspaces).values({ name: "Another agency" }).returning();
  const [source] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: elsewhere!.id, name: "theirs", type: "rss" })
    .returning();
  otherWorkspaceSource = source!.id;
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

interface Seed {
  minutesAgo: number;
  category?: string;
  severity?: string;
  status?: string;
  /** SLA minutes from the post; none: no clock. */
  sla?: number;
  /** Stored this many minutes after the post (default 1). */
  storedAfter?: number;
  answeredAfter?: number;
  source?: "main" | "other" | "elsewhere";
}

async function seed(s: Seed): Promise<number> {
  const posted = ago(s.minutesAgo);
  const id = await insertMention(ctx, {
    text: `mention ${s.category ?? "none"} ${s.minutesAgo}`,
    createdAt: posted,
    fetchedAt: new Date(posted.getTime() + (s.storedAfter ?? 1) * MIN),
    ...(s.category ? { category: s.category, relevant: s.category !== "not_collections" } : {}),
    ...(s.severity ? { severity: s.severity } : {}),
    status: s.status ?? "new",
    ...(s.sla !== undefined ? { slaDueAt: new Date(posted.getTime() + s.sla * MIN) } : {}),
    sourceId:
      s.source === "other"
        ? ctx.otherSourceId
        : s.source === "elsewhere"
          ? otherWorkspaceSource
          : ctx.sourceId,
  });
  if (s.answeredAfter !== undefined)
    await ctx.deps.db
      .update(mentions)
      .set({ firstResponseAt: new Date(posted.getTime() + s.answeredAfter * MIN) })
      .where(eq(mentions.id, id));
  return id;
}

async function seedWeek() {
  const ids: Record<string, number> = {};
  // Since the last visit (6 h ago).
  ids.dueLater = await seed({
    minutesAgo: 30,
    category: "communication_tactics",
    severity: "high",
    sla: 240,
  });
  ids.overdue = await seed({ minutesAgo: 120, category: "legal_threats", severity: "critical", sla: 60 });
  ids.answered = await seed({
    minutesAgo: 200,
    category: "communication_tactics",
    severity: "high",
    sla: 240,
    answeredAfter: 20,
    status: "posted",
  });
  ids.dismissed = await seed({
    minutesAgo: 100,
    category: "payment_service",
    sla: 1440,
    status: "dismissed",
  });
  ids.irrelevant = await seed({ minutesAgo: 50, category: "not_collections" });
  ids.unclassified = await seed({ minutesAgo: 10 });
  ids.otherSource = await seed({
    minutesAgo: 40,
    category: "privacy",
    severity: "high",
    sla: 240,
    source: "other",
    status: "triaged",
  });
  // Before the last visit: still in the queue.
  ids.oldOverdue = await seed({
    minutesAgo: 3 * 1440,
    category: "debt_not_owed",
    severity: "medium",
    sla: 1440,
  });
  ids.escalatedAnswered = await seed({
    minutesAgo: 2 * 1440,
    category: "legal_threats",
    severity: "high",
    sla: 240,
    answeredAfter: 30,
    status: "escalated",
  });
  // A backfill: posted 20 days ago, stored an hour ago, already past due. Twice.
  ids.backfilled = await seed({
    minutesAgo: 20 * 1440,
    category: "false_statements",
    severity: "medium",
    sla: 1440,
    storedAfter: 20 * 1440 - 60,
  });
  ids.backfilled2 = await seed({
    minutesAgo: 12 * 1440,
    category: "privacy",
    severity: "low",
    sla: 4320,
    storedAfter: 12 * 1440 - 60,
    source: "other",
  });
  // Another workspace: never counted here.
  ids.elsewhere = await seed({
    minutesAgo: 20,
    category: "legal_threats",
    severity: "critical",
    sla: 60,
    source: "elsewhere",
  });
  ids.elsewhereOld = await seed({
    minutesAgo: 2000,
    category: "privacy",
    severity: "high",
    sla: 60,
    source: "elsewhere",
  });
  return ids;
}

/** Today's figures, computed here from the rows with plain SQL (no code under test). */
async function expected(where = "1 = 1", sinceAt = SINCE) {
  const db = ctx.deps.db;
  const ws = ctx.deps.workspaceId;
  const base = `FROM mentions m JOIN sources s ON s.id = m.source_id WHERE s.workspace_id = ${ws} AND ${where}`;
  const one = async (q: string) =>
    Number(Object.values((await db.all<Record<string, number>>(sql.raw(q)))[0]!)[0]);
  const since = sinceAt.getTime();
  const now = NOW.getTime();
  const byCategory = (
    await db.all<{ key: string; n: number }>(
      sql.raw(
        `SELECT coalesce(m.category, 'unclassified') AS key, count(*) AS n ${base} AND m.created_at >= ${since} GROUP BY 1`,
      ),
    )
  )
    .map((r) => ({ key: r.key, count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const bySource = (
    await db.all<{ key: string; n: number }>(
      sql.raw(`SELECT s.name AS key, count(*) AS n ${base} AND m.created_at >= ${since} GROUP BY s.name`),
    )
  )
    .map((r) => ({ key: r.key, count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const queue = `${base} AND m.relevant = 1 AND m.status IN ${OPEN} AND m.sla_due_at IS NOT NULL`;
  const firstDay = Math.floor(now / 86_400_000) - 29;
  const chartRows = await db.all<{ day: number; category: string; n: number }>(
    sql.raw(
      `SELECT m.created_at / 86400000 AS day, coalesce(m.category, 'unclassified') AS category, count(*) AS n ${base} AND m.created_at >= ${firstDay * 86_400_000} GROUP BY 1, 2`,
    ),
  );
  const chart: Record<string, number[]> = {};
  for (const r of chartRows) {
    chart[r.category] ??= new Array(30).fill(0);
    chart[r.category]![Number(r.day) - firstDay] = Number(r.n);
  }
  return {
    total: await one(`SELECT count(*) ${base} AND m.created_at >= ${since}`),
    byCategory,
    bySource,
    open: await one(`SELECT count(*) ${queue}`),
    overdue: await one(
      `SELECT count(*) ${queue} AND m.first_response_at IS NULL AND m.sla_due_at < ${now} AND m.sla_due_at > m.fetched_at`,
    ),
    arrivedOverdue: await one(
      `SELECT count(*) ${queue} AND m.first_response_at IS NULL AND m.sla_due_at <= m.fetched_at`,
    ),
    dueLater: await one(
      `SELECT count(*) ${queue} AND m.first_response_at IS NULL AND m.sla_due_at >= ${now} AND m.sla_due_at > m.fetched_at`,
    ),
    chart,
  };
}

async function today(query = ""): Promise<TodayView> {
  const res = await ctx.app.request(`/api/today${query}`, authed(manager));
  expect(res.status).toBe(200);
  return (await res.json()) as TodayView;
}

function expectMatches(view: TodayView, want: Awaited<ReturnType<typeof expected>>) {
  expect(view.total).toBe(want.total);
  expect(view.byCategory).toEqual(want.byCategory);
  expect(view.bySource).toEqual(want.bySource);
  expect({
    open: view.open,
    overdue: view.overdue,
    arrivedOverdue: view.arrivedOverdue,
    dueLater: view.dueLater,
  }).toEqual({
    open: want.open,
    overdue: want.overdue,
    arrivedOverdue: want.arrivedOverdue,
    dueLater: want.dueLater,
  });
  const chart = Object.fromEntries(view.charts.byCategory.series.map((s) => [s.key, s.counts]));
  expect(chart).toEqual(want.chart);
}

describe("Today's figures", () => {
  it("match plain SQL over the seeded rows, and the page shows them with their labels", async () => {
    await seedWeek();
    const want = await expected();
    // The seed has every kind: a non-zero figure each, so a figure that is always 0 would fail.
    expect(want).toMatchObject({ open: 7, overdue: 2, arrivedOverdue: 2, dueLater: 2, total: 7 });
    expectMatches(await today(), want);

    const page = await (await ctx.app.request("/", authed(manager))).text();
    expect(page).toMatch(/<b>2<\/b> overdue/);
    expect(page).toMatch(/<b>2<\/b> arrived overdue/);
    expect(page).toMatch(/<b>7<\/b> open in the queue/);
    expect(page).toContain(`<time datetime="${SINCE.toISOString()}" data-local="since">`);
    // Every open row shows its clock.
    expect(page).toContain(`class="due due-overdue">overdue 1 h`);
    expect(page).toContain(`class="due due-due">due in 3 h 30 min`);
  });

  it("follow every write: status changes, a correction, a purge (counters kept by triggers)", async () => {
    const ids = await seedWeek();
    const post = (path: string, body: unknown) =>
      ctx.app.request(path, authed(manager, { method: "POST", body: JSON.stringify(body) }));
    expect((await post("/api/mentions/status", { ids: [ids.overdue!], status: "triaged" })).status).toBe(200);
    expect(
      (await post("/api/mentions/status", { ids: [ids.oldOverdue!, ids.backfilled!], status: "dismissed" }))
        .status,
    ).toBe(200);
    // Reopened with no public reply: nobody answered it, so its clock runs again and it is open and unanswered.
    expect((await post("/api/mentions/status", { ids: [ids.oldOverdue!], status: "triaged" })).status).toBe(
      200,
    );
    const [reopened] = await ctx.deps.db
      .select({ firstResponseAt: mentions.firstResponseAt })
      .from(mentions)
      .where(eq(mentions.id, ids.oldOverdue!));
    expect(reopened!.firstResponseAt).toBeNull();
    expect(
      (
        await post(`/api/mentions/${ids.irrelevant}/classification`, {
          category: "payment_service",
          severity: "high",
          flags: [],
        })
      ).status,
    ).toBe(200);
    await ctx.deps.db.delete(mentions).where(eq(mentions.id, ids.dueLater!));
    const want = await expected();
    expect(want.open).toBe(6);
    expectMatches(await today(), want);
    // A rebuild from the rows agrees with what the triggers kept.
    await rebuildCounts(ctx.deps.db);
    expectMatches(await today(), want);
  });

  it("with filters: counted rows, the same definitions", async () => {
    await seedWeek();
    expectMatches(await today("?status=new"), await expected("m.status = 'new'"));
    expectMatches(await today("?severity=high"), await expected("m.severity = 'high'"));
    expectMatches(await today("?source=reviews"), await expected("s.name = 'reviews'"));
    expectMatches(await today("?category=privacy"), await expected("m.category = 'privacy'"));
  });

  it("an empty workspace: every figure zero, and the page says nothing is new", async () => {
    await seed({
      minutesAgo: 20,
      category: "legal_threats",
      severity: "critical",
      sla: 60,
      source: "elsewhere",
    });
    const view = await today();
    const want = await expected();
    expect(want).toMatchObject({ total: 0, open: 0, overdue: 0, arrivedOverdue: 0, dueLater: 0 });
    expectMatches(view, want);
    const page = await (await ctx.app.request("/", authed(manager))).text();
    expect(page).toMatch(/<b>0<\/b> overdue/);
    expect(page).not.toContain("arrived overdue");
    expect(page).toContain("Nothing new.");
  });

  it("the window's counts at any last visit: either side of its day's midnight, a month back, ahead of now", async () => {
    // Whole days come from the daily counters and the last visit's own day is split at the visit: each case
    // below lands on a different side of that split (or on no split at all).
    await seedWeek();
    await seed({ minutesAgo: -30, category: "privacy", severity: "high", sla: 240 }); // posted "in the future"
    await seed({ minutesAgo: 45 * 1440, category: "legal_threats" });
    await seed({ minutesAgo: 12 * 60 + 1, category: "payment_service", source: "other" }); // 23:59 yesterday
    await seed({ minutesAgo: 12 * 60, category: "payment_service" }); // 00:00 today, on the split
    const midnight = new Date("2026-03-10T00:00:00Z");
    const cases = [
      ago(6 * 60), // 06:00: before the day's middle (the day's counter less 00:00-06:00)
      ago(30), // 11:30: after it (11:30-24:00 counted)
      midnight, // on a midnight: counters only
      new Date(midnight.getTime() + 1), // just after one
      new Date(midnight.getTime() - 1), // just before one
      ago(20 * 1440 + 5), // 20 days back: nearly all of it from the daily rows the charts read too
      ago(50 * 1440), // a month and more back
      new Date(NOW.getTime() + 10 * MIN), // ahead of now: only what is posted later still
    ];
    for (const since of cases) {
      const query = `?since=${encodeURIComponent(since.toISOString())}`;
      const want = await expected("1 = 1", since);
      expect(want.total).toBeGreaterThan(0);
      expectMatches(await today(query), want);
      expectMatches(await today(`${query}&source=reviews`), await expected("s.name = 'reviews'", since));
      expectMatches(
        await today(`${query}&category=payment_service`),
        await expected("m.category = 'payment_service'", since),
      );
    }
  });

  it("an all-new backlog (a backfill of old posts, every one still new): the same figures as plain SQL", async () => {
    const severities = ["critical", "high", "medium", "low"] as const;
    const sla = { critical: 60, high: 240, medium: 1440, low: 4320 };
    for (let i = 0; i < 60; i++) {
      const severity = severities[i % 4]!;
      // Posted over the last 40 days, stored in the last hour: most already past due when stored.
      const minutesAgo = (i * 977) % (40 * 1440);
      await seed({
        minutesAgo,
        category: i % 5 === 0 ? "not_collections" : i % 3 ? "communication_tactics" : "legal_threats",
        severity,
        sla: sla[severity],
        storedAfter: Math.max(1, minutesAgo - (i % 60)),
        ...(i % 2 ? { source: "other" as const } : {}),
      });
    }
    const want = await expected();
    expect(want.arrivedOverdue).toBeGreaterThan(0);
    expect(want.dueLater).toBeGreaterThan(0);
    expectMatches(await today(), want);
    expectMatches(await today("?source=reviews"), await expected("s.name = 'reviews'"));
  });
});
