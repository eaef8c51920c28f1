// The compliance desk over HTTP: roles, the register page and CSV (escaped, defused), the CFPB clock on the mention
// page with its record form, supervision's page, and the API beside them.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { mentions, sources } from "../../db/schema/index.js";
import { syncCfpbComplaints } from "../../services/compliance/cfpb-complaints.js";

let ctx: WebTestContext;
let manager: Session;
let viewer: Session;
let responder: Session;
const now = new Date("2026-12-14T15:00:00Z");
let complaintId: number;
let hostileId: number;

beforeAll(async () => {
  ctx = await createWebTestContext({}, () => now);
  const [cfpb] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: ctx.deps.workspaceId, name: "cfpb", type: "cfpb" })
    .returning();
  complaintId = await insertMention(ctx, {
    text: "They keep calling my mother about my account",
    sourceId: cfpb!.id,
    createdAt: new Date("2026-12-01T17:00:00Z"),
    category: "privacy",
    relevant: true,
    flags: ["regulator"],
  });
  await ctx.deps.db
    .update(mentions)
    .set({ meta: { dateSentToCompany: "2026-12-01T12:00:00-05:00", issue: "Communication tactics" } })
    .where(eq(mentions.id, complaintId));
  hostileId = await insertMention(ctx, {
    text: '=cmd|"/c calc"!A1 <script>alert(1)</script> Acme Recovery harasses me',
    createdAt: new Date("2026-12-10T10:00:00Z"),
    category: "communication_tactics",
    relevant: true,
  });
  manager = await login(ctx, "manager");
  viewer = await login(ctx, "viewer");
  responder = await login(ctx, "responder");
});
afterAll(async () => ctx.deps.cleanup());

describe("complaint register", () => {
  it("is for managers and admins", async () => {
    expect((await ctx.app.request("/complaints", authed(responder))).status).toBe(403);
    expect((await ctx.app.request("/api/complaints", authed(viewer))).status).toBe(403);
  });

  it("shows every complaint, escaped, with an h1 and labelled headers", async () => {
    const res = await ctx.app.request("/complaints", authed(manager));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Complaint register</h1>");
    expect(html).toContain('<th scope="col">Handled by</th>');
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("CFPB complaint (portal)");
    const [expected] = await ctx.deps.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM mentions m JOIN sources s ON s.id = m.source_id
          WHERE s.workspace_id = ${ctx.deps.workspaceId} AND m.relevant = 1 AND m.category NOT IN ('praise', 'not_collections')`,
    );
    expect(html).toContain(`<strong>${expected!.n}</strong> complaints`);
  });

  it("exports CSV with formula cells defused, and JSON through the API", async () => {
    const res = await ctx.app.request("/complaints.csv?channel=rss", authed(manager));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    expect(csv).toContain(`'=cmd|`);
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(2); // the header and the one RSS complaint
    const api = await ctx.app.request("/api/complaints?category=privacy", authed(manager));
    const body = (await api.json()) as { items: { id: number; kind: string }[] };
    expect(body.items.map((i) => i.id)).toEqual([complaintId]);
    const bad = await ctx.app.request("/api/complaints?from=01-12-2026", authed(manager));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("YYYY-MM-DD");
  });
});

describe("the CFPB clock on the mention page", () => {
  it("shows the countdown in words and lets a manager record the company response", async () => {
    const page = await (await ctx.app.request(`/mentions/${complaintId}`, authed(manager))).text();
    expect(page).toContain("Company response due in 2 days (Dec 16)");
    expect(page).toContain(`action="/mentions/${complaintId}/cfpb-response"`);
    const responderPage = await (await ctx.app.request(`/mentions/${complaintId}`, authed(responder))).text();
    expect(responderPage).toContain("CFPB response clock");
    expect(responderPage).not.toContain("/cfpb-response");

    // A form with a bad day is a 400 naming the field and the fix, not a server error.
    const badForm = new URLSearchParams({ _csrf: manager.csrf, step: "response", on: "12/12/2026" });
    const bad = await ctx.app.request(`/mentions/${complaintId}/cfpb-response`, {
      ...authed(manager, { method: "POST" }),
      headers: { cookie: manager.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: badForm.toString(),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("write the day as YYYY-MM-DD");

    const form = new URLSearchParams({ _csrf: manager.csrf, step: "response", on: "2026-12-12" });
    const posted = await ctx.app.request(`/mentions/${complaintId}/cfpb-response`, {
      ...authed(manager, { method: "POST" }),
      headers: { cookie: manager.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(posted.status).toBe(303);
    const after = await (await ctx.app.request(`/mentions/${complaintId}`, authed(manager))).text();
    expect(after).toContain("Final response due in 47 days (Jan 30");
    expect(after).toContain(`recorded by ${ctx.users.manager.email}`);
    // The mention's history says it in words.
    expect(after).toContain("recorded that the CFPB company response to it went out on 2026-12-12");

    const api = await ctx.app.request("/api/cfpb/complaints", authed(manager));
    const body = (await api.json()) as { tally: { open: number; pastResponse: number } };
    expect(body.tally).toMatchObject({ open: 1, pastResponse: 0 });
    // Today's API gives the same count as Today's page, counted the other way (SQL, not the loaded clocks).
    const today = (await (await ctx.app.request("/api/today", authed(manager))).json()) as { cfpb: unknown };
    expect(today.cfpb).toEqual(body.tally);
    const refused = await ctx.app.request(`/api/mentions/${hostileId}/cfpb-response`, {
      ...authed(manager, { method: "POST", body: JSON.stringify({ step: "response" }) }),
    });
    expect(refused.status).toBe(400);
  });
});

describe("supervision", () => {
  it("shows an empty period in words and is refused to responders", async () => {
    expect((await ctx.app.request("/supervision", authed(responder))).status).toBe(403);
    const html = await (await ctx.app.request("/supervision?weeks=4", authed(manager))).text();
    expect(html).toContain("<h1>Supervision</h1>");
    expect(html).toContain("No draft was stopped in these 4 weeks.");
    expect(html).toContain("7–13 Dec 2026");
    const api = (await (await ctx.app.request("/api/supervision?weeks=2", authed(manager))).json()) as {
      total: number;
      weeks: string[];
    };
    expect(api).toMatchObject({ total: 0, weeks: ["2026-W50", "2026-W51"] });
  });
});

describe("Today", () => {
  it("counts the CFPB complaints as plain SQL does, and shows each one's clock in its row", async () => {
    await syncCfpbComplaints(ctx.deps.db, now);
    const [expected] = await ctx.deps.db.all<{ open: number; soon: number; past: number }>(sql`
      SELECT count(*) AS open,
             sum(CASE WHEN cr.responded_at IS NULL THEN date(cr.received_day, '+15 days') ELSE date(cr.received_day, '+60 days') END
                 BETWEEN '2026-12-14' AND '2026-12-17') AS soon,
             sum(cr.responded_at IS NULL AND date(cr.received_day, '+15 days') < '2026-12-14') AS past
      FROM complaint_responses cr WHERE cr.workspace_id = ${ctx.deps.workspaceId} AND cr.final_at IS NULL`);
    const html = await (await ctx.app.request("/", authed(manager))).text();
    expect(html).toContain(
      `CFPB complaints: ${expected!.open} open; ${expected!.soon} due within 3 days; ${expected!.past} past the 15-day response`,
    );
    expect(Number(expected!.open)).toBe(1);
    const feed = await (await ctx.app.request("/?since=2026-11-01T00:00:00Z", authed(manager))).text();
    expect(feed).toContain("CFPB: Final response due in 47 days");
    const queue = await (await ctx.app.request("/feed?source=cfpb", authed(manager))).text();
    expect(queue).toContain("CFPB: Final response due in 47 days");
  });
});
