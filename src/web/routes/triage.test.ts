import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, classifications, mentions, users } from "../../db/schema/index.js";
import type { MentionDetail } from "../../services/mentions/get-mention.js";
import type { TodayView } from "../../services/today/today.js";

const NOW = new Date("2026-03-10T12:00:00Z");
let ctx: WebTestContext;
let manager: Session;
beforeEach(async () => {
  ctx = await createWebTestContext({}, () => NOW);
  manager = await login(ctx, "manager");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const post = (session: Session, path: string, body: unknown) =>
  ctx.app.request(path, authed(session, { method: "POST", body: JSON.stringify(body) }));

describe("mention page", () => {
  it("shows thread, the author's other mentions, masked text for viewers, and the history", async () => {
    const id = await insertMention(ctx, {
      text: "My SSN 123-45-6789 was read to my boss",
      textMasked: "My SSN [ssn] was read to my boss",
      threadId: "t1",
      authorKey: "author-a",
      createdAt: ago(30),
    });
    await insertMention(ctx, { text: "reply in the same thread", threadId: "t1", createdAt: ago(20) });
    await insertMention(ctx, {
      text: "same author last week",
      authorKey: "author-a",
      createdAt: ago(7 * 1440),
    });
    await insertMention(ctx, { text: "unrelated", createdAt: ago(10) });

    const res = await ctx.app.request(`/api/mentions/${id}`, authed(manager));
    const detail = (await res.json()) as MentionDetail;
    expect(detail.mention.text).toContain("123-45-6789");
    expect(detail.thread.map((m) => m.text)).toEqual(["reply in the same thread"]);
    expect(detail.byAuthor.map((m) => m.text)).toEqual(["same author last week"]);

    const viewer = await login(ctx, "viewer");
    const page = await (await ctx.app.request(`/mentions/${id}`, authed(viewer))).text();
    expect(page).toContain("My SSN [ssn] was read to my boss");
    expect(page).not.toContain("123-45-6789");
    expect(page).not.toContain('action="/mentions/');
    const asViewer = (await (
      await ctx.app.request(`/api/mentions/${id}`, authed(viewer))
    ).json()) as MentionDetail;
    expect(asViewer.mention.text).not.toContain("123-45-6789");

    await post(manager, "/api/mentions/assign", { ids: [id], assignee: "me" });
    await post(manager, "/api/mentions/status", { ids: [id], status: "escalated" });
    await post(manager, `/api/mentions/${id}/notes`, { body: "Spoke to compliance" });
    const after = (await (
      await ctx.app.request(`/api/mentions/${id}`, authed(manager))
    ).json()) as MentionDetail;
    expect(after.history.map((h) => h.action)).toEqual(["mention.assign", "mention.status", "mention.note"]);
    expect(after.history[1]).toMatchObject({
      actor: "manager@example.com",
      before: { status: "new" },
      after: { status: "escalated" },
    });
    expect(after.notes).toEqual([
      expect.objectContaining({ body: "Spoke to compliance", author: "manager@example.com" }),
    ]);
    const html = await (await ctx.app.request(`/mentions/${id}`, authed(manager))).text();
    expect(html).toContain("Spoke to compliance");
    // The history reads as sentences, not action codes and JSON.
    expect(html).toContain("manager@example.com moved it from new to escalated.");
    expect(html).toContain("manager@example.com assigned it to themselves.");
    expect(html).not.toContain("mention.status");
    expect(html).not.toContain("{&quot;");
    // A person with a name is called by it.
    await ctx.deps.db.update(users).set({ name: "Dana" }).where(eq(users.id, ctx.users.manager.id));
    const named = await (await ctx.app.request(`/mentions/${id}`, authed(manager))).text();
    expect(named).toContain("Dana moved it from new to escalated.");
    expect(named).toContain("Dana assigned it to themselves.");
  });

  it("stores a one-click correction as engine human and writes it to the mention", async () => {
    const id = await insertMention(ctx, {
      text: "they said they'd sue",
      category: "other_collections",
      severity: "low",
      relevant: true,
    });
    const form = new URLSearchParams({ _csrf: manager.csrf, category: "legal_threats", severity: "high" });
    form.append("flags", "attorney");
    form.append("flags", "dispute");
    const res = await ctx.app.request(`/mentions/${id}/classification`, {
      method: "POST",
      headers: { cookie: manager.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    const [row] = await ctx.deps.db.select().from(mentions).where(eq(mentions.id, id));
    expect(row).toMatchObject({
      category: "legal_threats",
      severity: "high",
      flags: ["attorney", "dispute"],
      relevant: true,
      classifiedBy: "human",
    });
    // high = 240 minutes from when the customer posted (never later than when it was fetched)
    const clockStart = Math.min(row!.createdAt.getTime(), row!.fetchedAt.getTime());
    expect(row!.slaDueAt!.getTime() - clockStart).toBe(240 * 60_000);
    const stored = await ctx.deps.db.select().from(classifications).where(eq(classifications.mentionId, id));
    expect(stored).toEqual([
      expect.objectContaining({
        engine: "human",
        category: "legal_threats",
        correctedBy: ctx.users.manager.id,
      }),
    ]);
    const audit = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "mention.classification"));
    expect(audit[0]).toMatchObject({
      before: expect.objectContaining({ category: "other_collections" }),
      after: expect.objectContaining({ category: "legal_threats" }),
    });

    const viewer = await login(ctx, "viewer");
    expect(
      (await post(viewer, `/api/mentions/${id}/classification`, { category: "praise", severity: "low" }))
        .status,
    ).toBe(403);
  });

  it("refuses impossible status jumps with a plain reason", async () => {
    const id = await insertMention(ctx, { text: "x" });
    const res = await post(manager, "/api/mentions/status", { ids: [id], status: "posted" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "A mention that is new cannot become posted",
    );
  });
});

describe("Today", () => {
  it("lists what is new since the last visit: relevant first, then severity, reach and time", async () => {
    await ctx.deps.db
      .update(users)
      .set({ lastFeedVisitAt: ago(120) })
      .where(eq(users.id, ctx.users.manager.id));
    await insertMention(ctx, {
      text: "before last visit",
      createdAt: ago(200),
      relevant: true,
      severity: "critical",
    });
    await insertMention(ctx, {
      text: "irrelevant",
      createdAt: ago(5),
      relevant: false,
      severity: "low",
      category: "not_collections",
    });
    await insertMention(ctx, {
      text: "medium big reach",
      createdAt: ago(50),
      relevant: true,
      severity: "medium",
      reach: 5000,
      category: "payment_service",
    });
    await insertMention(ctx, {
      text: "medium small reach",
      createdAt: ago(10),
      relevant: true,
      severity: "medium",
      reach: 10,
      category: "payment_service",
    });
    await insertMention(ctx, {
      text: "critical",
      createdAt: ago(90),
      relevant: true,
      severity: "critical",
      category: "legal_threats",
      sourceId: ctx.otherSourceId,
      slaDueAt: ago(30),
      // Stored soon after it was posted: the team's miss, not a late arrival.
      fetchedAt: ago(89),
    });
    const res = await ctx.app.request("/api/today", authed(manager));
    const view = (await res.json()) as TodayView;
    expect(view.items.map((m) => m.text)).toEqual([
      "critical",
      "medium big reach",
      "medium small reach",
      "irrelevant",
    ]);
    expect(view.total).toBe(4);
    expect(view.byCategory).toEqual(
      expect.arrayContaining([
        { key: "payment_service", count: 2 },
        { key: "legal_threats", count: 1 },
      ]),
    );
    expect(view.bySource).toEqual([
      { key: "news-feed", count: 3 },
      { key: "reviews", count: 1 },
    ]);
    expect(view.overdue).toBe(1);
    expect(view.charts.byCategory.days).toHaveLength(30);
    expect(view.charts.byCategory.days.at(-1)).toBe("2026-03-10");
    // Five mentions today (one before the last visit too), all on the last day of the chart.
    const payment = view.charts.byCategory.series.find((s) => s.key === "payment_service")!;
    expect(payment.counts.at(-1)).toBe(2);
    expect(payment.counts.slice(0, -1).every((n) => n === 0)).toBe(true);
    expect(view.charts.bySource.series.map((s) => [s.key, s.counts.at(-1)])).toEqual([
      ["news-feed", 4],
      ["reviews", 1],
    ]);

    const html = await (await ctx.app.request("/", authed(manager))).text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<svg viewBox="0 0 600 180"/g)).toHaveLength(2);
    expect(html).toMatch(/<b>1<\/b> overdue/);
    expect(html).toContain('class="mention overdue sev-critical"');

    expect((await post(manager, "/api/today/seen", {})).status).toBe(200);
    const after = (await (await ctx.app.request("/api/today", authed(manager))).json()) as TodayView;
    expect(after.items).toEqual([]);
  });
});

describe("saved views", () => {
  it("saves the feed's filters per user and lists them on the feed", async () => {
    const res = await post(manager, "/api/views", {
      name: "Legal",
      query: { category: "legal_threats", next: "zzz", q: "" },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      name: "Legal",
      query: { category: "legal_threats" },
      url: "/feed?category=legal_threats",
    });
    const html = await (await ctx.app.request("/feed", authed(manager))).text();
    expect(html).toContain('href="/feed?category=legal_threats"');
    const responder = await login(ctx, "responder");
    const theirs = (await (await ctx.app.request("/api/views", authed(responder))).json()) as {
      items: unknown[];
    };
    expect(theirs.items).toEqual([]);
    expect((await post(manager, "/api/views", { name: "Bad", query: { category: "nope" } })).status).toBe(
      400,
    );
  });
});
