// The feed a manager works through at 8 am, over HTTP: the result count against plain SQL, the sort control's
// orders against plain SQL, search words marked, a bulk action's notice and its Undo (POST-redirect-GET, no
// script), "done, next" from the mention page, My work on Today and its badge.
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
import { mentions, replies } from "../../db/schema/index.js";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";

let ctx: WebTestContext;
let responder: Session;
let manager: Session;
beforeEach(async () => {
  ctx = await createWebTestContext();
  responder = await login(ctx, "responder");
  manager = await login(ctx, "manager");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 10, 12, 0) + minutes * 60_000);
const page = async (path: string, session = responder) =>
  (await ctx.app.request(path, authed(session))).text();
const form = (path: string, fields: [string, string][], session = responder) =>
  ctx.app.request(
    path,
    authed(session, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams(fields).toString(),
    }),
  );
const ids = async (path: string) =>
  ((await (await ctx.app.request(path, authed(responder))).json()) as { items: MentionListItem[] }).items.map(
    (m) => m.id,
  );
const countShown = (html: string) =>
  /<p class="result-count" id="result-count"><b>([^<]+)<\/b>/.exec(html)?.[1];

/** Many mentions at once (plain SQL: a thousand inserts through the helper would take seconds). */
async function bulkInsert(n: number, fields: { category: string; severity: string | null }) {
  await ctx.deps.db.run(sql`
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})
    INSERT INTO mentions (source_id, external_id, text, text_masked, created_at, content_hash, status, category, severity, relevant, fetched_at)
    SELECT ${ctx.sourceId}, 'bulk-' || ${fields.category} || '-' || i, 'bulk mention ' || i, 'bulk mention ' || i,
      ${at(0).getTime()} - i * 60000, 'bulk-hash-' || ${fields.category} || '-' || i, 'new', ${fields.category}, ${fields.severity}, 1, ${at(0).getTime()}
    FROM seq`);
}

describe("feed: result count", () => {
  it("counts what the list holds, as plain SQL does: exact, then 'more than' past the cap", async () => {
    // A search with more than a page says "more than" the page: counting would read every match again.
    for (let i = 0; i < 51; i++)
      await insertMention(ctx, { text: `garnish ${i}`, category: "written_notice" });
    expect(countShown(await page("/feed?q=garnish"))).toBe("More than 50 mentions match these filters");
    await bulkInsert(60, { category: "privacy", severity: "high" });
    await bulkInsert(203, { category: "payment_service", severity: "low" });
    // A near-duplicate is counted once, as it is listed once.
    const head = await insertMention(ctx, { text: "privacy head", category: "privacy", createdAt: at(-1) });
    await insertMention(ctx, { text: "privacy dup", category: "privacy", groupId: head, createdAt: at(-2) });

    const [plain] = await ctx.deps.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM mentions WHERE category = 'privacy' AND coalesce(group_id, id) = id`,
    );
    expect(Number(plain!.n)).toBe(61);
    expect(countShown(await page("/feed?category=privacy"))).toBe("61 mentions match these filters");
    expect(countShown(await page("/feed?category=payment_service"))).toBe(
      "More than 200 mentions match these filters",
    );
    expect(countShown(await page("/feed?category=privacy&severity=high"))).toBe(
      "60 mentions match these filters",
    );
    expect(countShown(await page("/feed?category=legal_threats"))).toBe("0 mentions match these filters");
    expect(await page("/feed?category=privacy")).toContain("(near-duplicates counted once)");
  });
});

describe("feed: sort control", () => {
  it("orders newest, oldest and most severe first as plain SQL does, and pages without gaps or repeats", async () => {
    const severities = ["low", "critical", null, "high", "medium", "critical", "low", null, "high", "medium"];
    for (const [i, severity] of [...severities, ...severities].entries())
      await insertMention(ctx, {
        text: `m${i}`,
        createdAt: at(Math.floor(i / 2)),
        ...(severity ? { severity } : {}),
      });
    const plain = async (order: string) =>
      (await ctx.deps.db.all<{ id: number }>(sql.raw(`SELECT id FROM mentions ORDER BY ${order}`))).map((r) =>
        Number(r.id),
      );
    expect(await ids("/api/mentions?sort=oldest&limit=200")).toEqual(await plain("created_at ASC, id ASC"));
    expect(await ids("/api/mentions?limit=200")).toEqual(await plain("created_at DESC, id DESC"));
    const bySeverity = await plain(
      "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, created_at DESC, id DESC",
    );
    expect(await ids("/api/mentions?sort=severity&limit=200")).toEqual(bySeverity);
    // Pages of 3 cross the levels' boundaries.
    for (const sort of ["severity", "oldest"]) {
      const seen: number[] = [];
      let next: string | null = null;
      do {
        const res = await ctx.app.request(
          `/api/mentions?sort=${sort}&limit=3${next ? `&next=${encodeURIComponent(next)}` : ""}`,
          authed(responder),
        );
        const body = (await res.json()) as { items: MentionListItem[]; next: string | null };
        seen.push(...body.items.map((m) => m.id));
        next = body.next;
      } while (next);
      expect(seen).toEqual(sort === "severity" ? bySeverity : await plain("created_at ASC, id ASC"));
    }
  });

  it("keeps the other filters in every sort link, and marks the current one", async () => {
    await insertMention(ctx, { text: "a", category: "privacy" });
    const html = await page("/feed?category=privacy&q=called&sort=oldest");
    expect(html).toContain(
      `<a href="/feed?category=privacy&amp;q=called&amp;sort=severity">Most severe first</a>`,
    );
    expect(html).toContain(`<a href="/feed?category=privacy&amp;q=called">Newest first</a>`);
    expect(html).toMatch(
      /<a href="\/feed\?category=privacy&amp;q=called&amp;sort=oldest" aria-current="true"/,
    );
    // The filter form keeps the sort too.
    expect(html).toContain(`<input type="hidden" name="sort" value="oldest"/>`);
  });
});

describe("feed: search", () => {
  it("marks the search words in the rows, escaped", async () => {
    await insertMention(ctx, { text: `<b>Lawsuit</b> threatened over a garnishment` });
    const html = await page("/feed?q=lawsuit%20garnish");
    expect(html).toContain(
      "&lt;b&gt;<mark>Lawsuit</mark>&lt;/b&gt; threatened over a <mark>garnishment</mark>",
    );
    expect(html).not.toContain("<b>Lawsuit");
  });
});

describe("actions say what they did, and undo", () => {
  it("a bulk dismissal redirects with a notice and an Undo form; Undo restores and says so (no script)", async () => {
    const a = await insertMention(ctx, { text: "a", status: "triaged" });
    const b = await insertMention(ctx, { text: "b" });
    const done = await form("/mentions/bulk", [
      ["action", "status:dismissed"],
      ["back", "/feed?status=new"],
      ["ids", String(a)],
      ["ids", String(b)],
    ]);
    expect(done.status).toBe(303);
    const location = done.headers.get("location")!;
    const undoId = /undo=(\d+)/.exec(location)![1]!;
    const html = await page(location);
    expect(html).toContain(`<span class="action-summary">Dismissed 2 mentions.</span>`);
    expect(html).toContain(`action="/mentions/undo/${undoId}"`);
    // The list's own links do not carry the notice on.
    expect(html).not.toMatch(/href="[^"]*undo=/);

    // Someone else cannot use it.
    expect((await form(`/mentions/undo/${undoId}`, [["back", "/feed"]], manager)).status).toBe(404);
    const undone = await form(`/mentions/undo/${undoId}`, [["back", "/feed?status=new"]]);
    expect(undone.status).toBe(303);
    expect(undone.headers.get("location")).toBe(`/feed?status=new&undone=${undoId}`);
    const statuses = await ctx.deps.db.select({ id: mentions.id, status: mentions.status }).from(mentions);
    expect(statuses.sort((x, y) => x.id - y.id).map((r) => r.status)).toEqual(["triaged", "new"]);
    const after = await page(undone.headers.get("location")!);
    expect(after).toContain("Undone: dismissed 2 mentions.");
    expect(after).not.toContain(`action="/mentions/undo/`);
  });

  it("actions with nothing to undo say what they did in fixed words; an address cannot put its own text there", async () => {
    const id = await insertMention(ctx, { text: "a" });
    const noted = await form(`/mentions/${id}/notes`, [["body", "Called them back"]]);
    expect(noted.headers.get("location")).toBe(`/mentions/${id}?said=note`);
    expect(await page(noted.headers.get("location")!)).toContain(
      `<span class="action-summary">Note added.</span>`,
    );
    const seen = await form("/today/seen", []);
    expect(await page(seen.headers.get("location")!)).toContain("Marked everything as seen");
    const forged = await page(
      `/mentions/${id}?said=${encodeURIComponent("Your account is locked, call 555")}`,
    );
    expect(forged).not.toContain("action-summary");
    expect(forged).not.toContain("Your account is locked");
    // The notice is not carried on: the feed's links leave it out.
    const feed = await page("/feed?status=new&said=view-saved");
    expect(feed).toContain("View saved.");
    expect(feed).not.toMatch(/href="[^"]*said=/);
    expect(feed).toContain(`<input type="hidden" name="back" value="/feed?status=new"/>`);
  });

  it("the JSON API answers with the undo handle and undoes through it", async () => {
    const a = await insertMention(ctx, { text: "a" });
    const res = await ctx.app.request(
      "/api/mentions/status",
      authed(responder, { method: "POST", body: JSON.stringify({ ids: [a], status: "escalated" }) }),
    );
    const body = (await res.json()) as { undo: { id: number; summary: string } };
    expect(body.undo.summary).toBe(`Escalated mention ${a}`);
    const undo = await ctx.app.request(
      `/api/mentions/undo/${body.undo.id}`,
      authed(responder, { method: "POST" }),
    );
    expect(await undo.json()).toEqual({ restored: [a], summary: `Undone: escalated mention ${a}` });
    const again = await ctx.app.request(
      `/api/mentions/undo/${body.undo.id}`,
      authed(responder, { method: "POST" }),
    );
    expect(again.status).toBe(409);
  });
});

describe("done, next", () => {
  it("a decision on a mention opened from the list goes on to the next one in that list", async () => {
    const older = await insertMention(ctx, { text: "older", createdAt: at(0) });
    const middle = await insertMention(ctx, {
      text: "middle",
      createdAt: at(1),
      category: "other_collections",
    });
    const newest = await insertMention(ctx, { text: "newest", createdAt: at(2) });
    const from = "status=new";
    const feed = await page(`/feed?${from}`);
    expect(feed).toContain(`href="/mentions/${newest}?from=status%3Dnew"`);

    const mentionPage = await page(`/mentions/${newest}?from=${encodeURIComponent(from)}`);
    expect(mentionPage).toContain(`href="/mentions/${newest}/next?from=status%3Dnew"`);
    expect(mentionPage).toContain(`<input type="hidden" name="from" value="status=new"/>`);
    expect(mentionPage).toContain("Dismiss (d), next");

    // Dismissing the newest takes it out of status=new; its place in the list still says what comes next.
    const done = await form(`/mentions/${newest}/status`, [
      ["status", "dismissed"],
      ["go", "dismissed"],
      ["from", from],
    ]);
    expect(done.headers.get("location")).toMatch(
      new RegExp(`^/mentions/${middle}\\?from=status%3Dnew&undo=\\d+$`),
    );
    // Skipping works the same way, and the end of the list goes back to it.
    const skip = await ctx.app.request(
      `/mentions/${middle}/next?from=${encodeURIComponent(from)}`,
      authed(responder),
    );
    expect(skip.headers.get("location")).toBe(`/mentions/${older}?from=status%3Dnew`);
    const end = await ctx.app.request(
      `/mentions/${older}/next?from=${encodeURIComponent(from)}`,
      authed(responder),
    );
    expect(end.headers.get("location")).toBe("/feed?status=new");
    // Opened without a list, a decision stays on the page.
    const stay = await form(`/mentions/${older}/status`, [
      ["status", "escalated"],
      ["go", "escalated"],
    ]);
    expect(stay.headers.get("location")).toMatch(new RegExp(`^/mentions/${older}\\?undo=\\d+$`));
  });
});

describe("My work on Today", () => {
  it("leads Today with the person's work and puts the same numbers on the Today link", async () => {
    const mine = await insertMention(ctx, {
      text: "mine and late",
      relevant: true,
      severity: "high",
      slaDueAt: new Date(Date.now() - 3_600_000),
      fetchedAt: new Date(Date.now() - 7_200_000),
    });
    await ctx.deps.db
      .update(mentions)
      .set({ assigneeId: ctx.users.responder.id })
      .where(eq(mentions.id, mine));
    const waiting = await insertMention(ctx, { text: "reply waits", status: "awaiting_approval" });
    await ctx.deps.db.insert(replies).values({
      mentionId: waiting,
      threadKey: `t:${waiting}`,
      authorId: ctx.users.responder.id,
      origin: "manual",
      text: "We are sorry",
      status: "awaiting_approval",
    });

    const today = await page("/");
    const myWork = today.indexOf('data-testid="my-work"');
    expect(myWork).toBeGreaterThan(0);
    expect(myWork).toBeLessThan(today.indexOf('class="charts"'));
    expect(today).toMatch(/id="my-assigned"><b>1<\/b> assigned to me, open \(near-duplicates counted once\)/);
    expect(today).toMatch(/id="my-overdue"><b>1<\/b> of mine overdue/);
    expect(today).not.toContain('id="my-approvals"'); // a responder approves nothing
    expect(today).toContain(
      `<b aria-hidden="true">1</b><span class="sr-only"> (1 assigned to you, 1 of yours overdue; 1 mention in all)</span>`,
    );

    const managerToday = await page("/", manager);
    expect(managerToday).toMatch(/id="my-approvals"><b>1<\/b> mentions with a reply awaiting my approval/);
    expect(managerToday).toContain(`href="/mentions/${waiting}/reply"`);
    expect(managerToday).toContain(
      `<span class="sr-only"> (0 assigned to you, 1 awaiting your approval; 1 mention in all)</span>`,
    );

    const counts = await (await ctx.app.request("/api/my-work/counts", authed(manager))).json();
    expect(counts).toEqual({ assigned: 0, overdue: 0, awaitingApproval: 1, total: 1 });
    // Other pages leave the badge to app.js.
    expect(await page("/feed")).toContain(`<span class="nav-badge" data-my-work="pending" hidden="">`);
  });
});

describe("My work's figures and the lists they link to", () => {
  const rowsAt = (html: string) =>
    [...html.matchAll(/<li class="mention[^"]*"[^>]* data-id="(\d+)"/g)].map((m) => Number(m[1]));
  const figure = (html: string, id: string) => {
    const m = new RegExp(`href="([^"]+)" id="${id}"><b>(\\d+)</b>`).exec(html);
    return { href: m![1]!.replaceAll("&amp;", "&"), n: Number(m![2]) };
  };

  it("'assigned to me, open' links to a list holding the mentions it counts, plain SQL agreeing", async () => {
    const mineIds: number[] = [];
    for (const [i, seed] of [
      { relevant: true, due: 30 },
      { relevant: true, due: 60 },
      { relevant: false, due: null }, // mine, no clock: counted, so it must be listed too
    ].entries()) {
      const id = await insertMention(ctx, {
        text: `mine ${i}`,
        relevant: seed.relevant,
        ...(seed.due === null ? {} : { slaDueAt: new Date(Date.now() + seed.due * 60_000) }),
      });
      mineIds.push(id);
    }
    // A near-duplicate of mine 0 also assigned to me: one job. A member whose head is someone else's: mine alone.
    const dupOfMine = await insertMention(ctx, { text: "mine 0 again", groupId: mineIds[0]! });
    const othersHead = await insertMention(ctx, { text: "manager's head" });
    const memberMine = await insertMention(ctx, { text: "member, mine", groupId: othersHead });
    const closed = await insertMention(ctx, { text: "mine, closed", status: "resolved" });
    for (const id of [...mineIds, dupOfMine, memberMine, closed])
      await ctx.deps.db
        .update(mentions)
        .set({ assigneeId: ctx.users.responder.id })
        .where(eq(mentions.id, id));
    await ctx.deps.db
      .update(mentions)
      .set({ assigneeId: ctx.users.manager.id })
      .where(eq(mentions.id, othersHead));

    const { href, n } = figure(await page("/"), "my-assigned");
    const listed = rowsAt(await page(href));
    // The oracle: open, mine, and not a member whose head is an open mention of mine.
    const plain = await ctx.deps.db.all<{ id: number }>(sql`
      SELECT m.id FROM mentions m WHERE m.assignee_id = ${ctx.users.responder.id}
        AND m.status NOT IN ('posted', 'resolved', 'dismissed')
        AND m.id NOT IN (SELECT d.id FROM mentions d JOIN mentions h ON h.id = d.group_id AND h.id <> d.id
          WHERE h.assignee_id = ${ctx.users.responder.id} AND h.status NOT IN ('posted', 'resolved', 'dismissed'))`);
    const expected = plain.map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(expected).toEqual([...mineIds, memberMine].sort((a, b) => a - b));
    expect(n).toBe(expected.length);
    expect([...listed].sort((a, b) => a - b)).toEqual(expected);
  });

  it("'awaiting my approval' links to a list of what the approver may approve (four eyes), as the figure counts", async () => {
    const mentionIds: number[] = [];
    for (const [i, author] of [
      ctx.users.responder.id,
      ctx.users.manager.id,
      ctx.users.responder.id,
    ].entries()) {
      const id = await insertMention(ctx, { text: `waits ${i}`, status: "awaiting_approval" });
      await ctx.deps.db.insert(replies).values({
        mentionId: id,
        threadKey: `t:${id}`,
        authorId: author,
        origin: "manual",
        text: "We are sorry",
        status: "awaiting_approval",
      });
      mentionIds.push(id);
    }
    const html = await page("/", manager);
    const { href, n } = figure(html, "my-approvals");
    const listed = rowsAt(await page(href, manager));
    // The oracle: waiting replies not written by the manager (no audit entries here).
    const plain = await ctx.deps.db.all<{ id: number }>(sql`
      SELECT DISTINCT mention_id AS id FROM replies WHERE status = 'awaiting_approval' AND author_id <> ${ctx.users.manager.id}`);
    expect(plain.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual([mentionIds[0], mentionIds[2]]);
    expect(n).toBe(2);
    expect([...listed].sort((a, b) => a - b)).toEqual([mentionIds[0], mentionIds[2]]);
    // A responder asking for that list sees nothing to approve.
    expect(rowsAt(await page(href))).toEqual([]);
  });

  it("counts a mention both assigned to the approver and awaiting their approval once on the badge", async () => {
    const both = await insertMention(ctx, { text: "mine and waiting", status: "awaiting_approval" });
    const onlyMine = await insertMention(ctx, { text: "only mine" });
    for (const id of [both, onlyMine])
      await ctx.deps.db.update(mentions).set({ assigneeId: ctx.users.manager.id }).where(eq(mentions.id, id));
    await ctx.deps.db.insert(replies).values({
      mentionId: both,
      threadKey: `t:${both}`,
      authorId: ctx.users.responder.id,
      origin: "manual",
      text: "We are sorry",
      status: "awaiting_approval",
    });
    const [plain] = await ctx.deps.db.all<{ n: number }>(sql`
      SELECT count(*) AS n FROM mentions m WHERE (m.assignee_id = ${ctx.users.manager.id} AND m.status NOT IN ('posted', 'resolved', 'dismissed'))
        OR m.id IN (SELECT mention_id FROM replies WHERE status = 'awaiting_approval' AND author_id <> ${ctx.users.manager.id})`);
    expect(Number(plain!.n)).toBe(2);
    const counts = await (await ctx.app.request("/api/my-work/counts", authed(manager))).json();
    expect(counts).toMatchObject({ assigned: 2, awaitingApproval: 1, total: Number(plain!.n) });
    expect(await page("/", manager)).toContain(
      `<b aria-hidden="true">2</b><span class="sr-only"> (2 assigned to you, 1 awaiting your approval; 2 mentions in all)</span>`,
    );
  });
});

describe("done, next for an approver", () => {
  it("goes from one waiting reply to the next the approver may approve, then back to My work", async () => {
    const waiting: number[] = [];
    for (const [i, due] of [30, 10].entries()) {
      const id = await insertMention(ctx, {
        text: `waits ${i}`,
        status: "awaiting_approval",
        relevant: true,
        severity: "high",
        slaDueAt: new Date(Date.now() + due * 60_000),
      });
      await ctx.deps.db.insert(replies).values({
        mentionId: id,
        threadKey: `t:${id}`,
        authorId: ctx.users.responder.id,
        origin: "manual",
        text: "We are sorry",
        status: "awaiting_approval",
      });
      waiting.push(id);
    }
    const next = async (id: number) =>
      (await ctx.app.request(`/mentions/${id}/next?list=approvals`, authed(manager))).headers.get("location");
    // Soonest due first, skipping the one just done.
    expect(await next(waiting[0]!)).toBe(`/mentions/${waiting[1]}/reply`);
    expect(await next(waiting[1]!)).toBe(`/mentions/${waiting[0]}/reply`);
    await ctx.deps.db.update(replies).set({ status: "approved" }).where(eq(replies.mentionId, waiting[0]!));
    expect(await next(waiting[1]!)).toBe("/#my-work-title");
    const replyPage = await page(`/mentions/${waiting[1]}/reply`, manager);
    expect(replyPage).toContain(`href="/mentions/${waiting[1]}/next?list=approvals"`);
    expect(await page(`/mentions/${waiting[1]}/reply`)).not.toContain("next?list=approvals");
  });
});
