// Issue 18's noise control over real HTTP (a server on 127.0.0.1, a temp database): mute and snooze a spike key,
// per-brand sensitivity, and "was this alert useful?" — forms with CSRF, POST-redirect-GET, role checks, audit
// rows, workspace scoping; every figure checked against plain SQL.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebTestContext, PASSWORD, type WebTestContext } from "../../../test/web/helpers.js";
import { brands, spikes, workspaces } from "../../db/schema/index.js";
import { spikeFeedbackCounts } from "../../services/alerts/spike-feedback.js";

let ctx: WebTestContext;
let base: string;
let close: () => Promise<void>;

interface HttpSession {
  cookie: string;
  csrf: string;
}

beforeEach(async () => {
  ctx = await createWebTestContext({ PUBLIC_URL: "https://rapport.example.com" });
  const server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(async () => {
  await close();
  await ctx.deps.cleanup();
});

async function signIn(role: "admin" | "manager" | "responder" | "viewer"): Promise<HttpSession> {
  const res = await fetch(`${base}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: ctx.users[role].email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!, csrf: body.csrfToken };
}

/** A form post as the browser sends it: urlencoded, the CSRF token in `_csrf`, redirects not followed. */
function postForm(session: HttpSession, path: string, fields: Record<string, string>, csrf = true) {
  return fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, ...(csrf ? { _csrf: session.csrf } : {}) }),
  });
}

const page = async (session: HttpSession) => {
  const res = await fetch(`${base}/alerts`, { headers: { cookie: session.cookie } });
  expect(res.status).toBe(200);
  return res.text();
};

const rows = <T>(query: ReturnType<typeof sql>) => ctx.deps.db.all<T>(query);

async function otherWorkspaceBrand(): Promise<number> {
  const [ws] = await ctx.deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
  const [brand] = await ctx.deps.db
    .insert(brands)
    .values({ workspaceId: ws!.id, name: "Other Brand", slug: "other", kind: "company" })
    .returning();
  return brand!.id;
}

async function insertSpike(brandId: number, summary: string): Promise<number> {
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
  const [row] = await ctx.deps.db
    .insert(spikes)
    .values({
      key: `brand:${brandId}`,
      brandId,
      startedAt: hour,
      lastHourAt: hour,
      count: 40,
      expected: 8,
      score: 6,
      explanation: {
        explanation: {
          mentions: 40,
          baselineMentions: 20,
          terms: [],
          sources: [],
          authors: [],
          links: [],
          categories: [],
          examples: [],
        },
        episode: { hours: 1, peak: { count: 40 } },
        subject: "mention volume",
        feedUrl: "https://rapport.example.com/feed",
        alerted: true,
        summary,
      },
    })
    .returning({ id: spikes.id });
  return row!.id;
}

describe("mute and snooze over HTTP", () => {
  it("snoozes a key until a time, mutes one until unmuted, lists both and unmutes, audited", async () => {
    const manager = await signIn("manager");
    const brandKey = `brand:${ctx.deps.companyBrandId}`;
    const before = Date.now();
    const snooze = await postForm(manager, "/alerts/mutes", { key: brandKey, for: "4h" });
    expect(snooze.status).toBe(303);
    expect(snooze.headers.get("location")).toBe("/alerts?done=muted#mutes");
    const [row] = await rows<{ until: number; created_by: number; workspace_id: number }>(
      sql`SELECT until, created_by, workspace_id FROM spike_mutes WHERE key = ${brandKey}`,
    );
    expect(row!.created_by).toBe(ctx.users.manager.id);
    expect(row!.workspace_id).toBe(ctx.deps.workspaceId);
    expect(row!.until).toBeGreaterThanOrEqual(before + 4 * 3_600_000);
    expect(row!.until).toBeLessThanOrEqual(Date.now() + 4 * 3_600_000);

    const subKey = `brand:${ctx.clientBrandId}|cat:legal_threats|src:${ctx.sourceId}`;
    expect((await postForm(manager, "/alerts/mutes", { key: subKey, for: "forever" })).status).toBe(303);
    const [forever] = await rows<{ until: number | null }>(
      sql`SELECT until FROM spike_mutes WHERE key = ${subKey}`,
    );
    expect(forever!.until).toBeNull();

    const html = await page(manager);
    const mutes = html.slice(html.indexOf('id="mutes"'));
    expect(mutes).toContain("Acme Recovery (all of it) — snoozed until");
    expect(mutes).toContain("Big Bank · legal threats · news-feed"); // the source by name, not its id
    expect(mutes).toContain("muted until unmuted");

    // Snoozing again replaces the mute rather than adding one.
    expect((await postForm(manager, "/alerts/mutes", { key: brandKey, for: "1h" })).status).toBe(303);
    const [{ n }] = (await rows<{ n: number }>(sql`SELECT count(*) AS n FROM spike_mutes`)) as [
      { n: number },
    ];
    expect(n).toBe(2);

    const unmute = await postForm(manager, "/alerts/mutes/delete", { key: brandKey });
    expect(unmute.status).toBe(303);
    expect(await rows(sql`SELECT 1 FROM spike_mutes WHERE key = ${brandKey}`)).toHaveLength(0);

    const audit = await rows<{ action: string; entity_id: string; actor_id: number }>(
      sql`SELECT action, entity_id, actor_id FROM audit_log WHERE action LIKE 'alerts.spike_%' ORDER BY id`,
    );
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ["alerts.spike_snooze", brandKey],
      ["alerts.spike_mute", subKey],
      ["alerts.spike_snooze", brandKey],
      ["alerts.spike_unmute", brandKey],
    ]);
    expect(new Set(audit.map((a) => a.actor_id))).toEqual(new Set([ctx.users.manager.id]));
  });

  it("refuses without the CSRF token, for responders and viewers, for another workspace's brand, and for a bad key", async () => {
    const manager = await signIn("manager");
    const key = `brand:${ctx.deps.companyBrandId}`;
    expect((await postForm(manager, "/alerts/mutes", { key, for: "4h" }, false)).status).toBe(403);
    for (const role of ["responder", "viewer"] as const) {
      const res = await postForm(await signIn(role), "/alerts/mutes", { key, for: "4h" });
      expect(res.status).toBe(403);
    }
    const foreign = await postForm(manager, "/alerts/mutes", {
      key: `brand:${await otherWorkspaceBrand()}`,
      for: "forever",
    });
    expect(foreign.status).toBe(404);
    const bad = await postForm(manager, "/alerts/mutes", { key: "brand:1; DROP TABLE spikes", for: "1h" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("is not a spike key (brand:&lt;id&gt; or");
    expect(await rows(sql`SELECT 1 FROM spike_mutes`)).toHaveLength(0);
  });
});

describe("sensitivity per brand over HTTP", () => {
  it("sets a brand's own sensitivity and goes back to the workspace's with an empty choice", async () => {
    const manager = await signIn("manager");
    const path = `/alerts/brands/${ctx.clientBrandId}/sensitivity`;
    const res = await postForm(manager, path, { sensitivity: "fewer" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/alerts?done=brand-sensitivity#sensitivity");
    const read = async () =>
      (
        await rows<{ s: string | null }>(
          sql`SELECT spike_sensitivity AS s FROM brands WHERE id = ${ctx.clientBrandId}`,
        )
      )[0]!.s;
    expect(await read()).toBe("fewer");
    const html = await page(manager);
    const item = html.slice(html.indexOf('data-brand="big-bank"', html.indexOf("data-brand-sensitivity")));
    expect(item.slice(0, item.indexOf("</li>"))).toMatch(/<option value="fewer" selected/);
    expect((await postForm(manager, path, { sensitivity: "" })).status).toBe(303);
    expect(await read()).toBeNull();
    expect((await postForm(manager, path, { sensitivity: "extreme" })).status).toBe(400);
    const foreign = await postForm(manager, `/alerts/brands/${await otherWorkspaceBrand()}/sensitivity`, {
      sensitivity: "more",
    });
    expect(foreign.status).toBe(404);
  });
});

describe("is this alert useful? over HTTP", () => {
  it("stores one answer per person with who and when, counts them for the week, escapes the summary", async () => {
    const manager = await signIn("manager");
    const admin = await signIn("admin");
    const spikeId = await insertSpike(
      ctx.deps.companyBrandId,
      "40 mentions <script>alert(1)</script> & more",
    );
    const html = await page(manager);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("40 mentions &lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    expect(html).toContain(`action="/alerts/spikes/${spikeId}/feedback"`);

    const yes = await postForm(manager, `/alerts/spikes/${spikeId}/feedback`, { useful: "yes" });
    expect(yes.status).toBe(303);
    expect(yes.headers.get("location")).toBe(`/alerts?done=feedback#spike-${spikeId}`);
    expect((await postForm(admin, `/alerts/spikes/${spikeId}/feedback`, { useful: "yes" })).status).toBe(303);
    // The manager changes their mind: one answer each, the latest counts.
    expect((await postForm(manager, `/alerts/spikes/${spikeId}/feedback`, { useful: "no" })).status).toBe(
      303,
    );

    const stored = await rows<{ user_id: number; useful: number; answered_at: number; workspace_id: number }>(
      sql`SELECT user_id, useful, answered_at, workspace_id FROM spike_feedback WHERE spike_id = ${spikeId} ORDER BY user_id`,
    );
    expect(stored.map((r) => [r.user_id, r.useful, r.workspace_id])).toEqual(
      [
        [ctx.users.admin.id, 1, ctx.deps.workspaceId],
        [ctx.users.manager.id, 0, ctx.deps.workspaceId],
      ].sort((a, b) => a[0]! - b[0]!),
    );
    expect(stored.every((r) => Math.abs(r.answered_at - Date.now()) < 60_000)).toBe(true);

    const weekStart = new Date(Date.now() - 3 * 86_400_000);
    const weekEnd = new Date(Date.now() + 4 * 86_400_000);
    const [expected] = await rows<{ useful: number; not_useful: number }>(
      sql`SELECT sum(useful = 1) AS useful, sum(useful = 0) AS not_useful FROM spike_feedback
          WHERE workspace_id = ${ctx.deps.workspaceId} AND answered_at >= ${weekStart.getTime()} AND answered_at < ${weekEnd.getTime()}`,
    );
    const counts = await spikeFeedbackCounts(ctx.deps, ctx.deps.workspaceId, weekStart, weekEnd);
    expect(counts).toEqual({ useful: expected!.useful, notUseful: expected!.not_useful });
    expect(counts).toEqual({ useful: 1, notUseful: 1 });
    // Another workspace's week counts nothing of ours; a week before ours counts nothing either.
    expect(await spikeFeedbackCounts(ctx.deps, ctx.deps.workspaceId + 1, weekStart, weekEnd)).toEqual({
      useful: 0,
      notUseful: 0,
    });
    expect(
      await spikeFeedbackCounts(
        ctx.deps,
        ctx.deps.workspaceId,
        new Date(weekStart.getTime() - 7 * 86_400_000),
        weekStart,
      ),
    ).toEqual({ useful: 0, notUseful: 0 });

    const after = await page(manager);
    const article = after.slice(after.indexOf(`id="spike-${spikeId}"`));
    expect(article).toContain("1 yes · 1 no");
    expect(article).toMatch(/value="no" aria-pressed="true"/);
  });

  it("refuses another workspace's spike, a viewer, and a missing CSRF token", async () => {
    const manager = await signIn("manager");
    const foreignSpike = await insertSpike(await otherWorkspaceBrand(), "theirs");
    expect(
      (await postForm(manager, `/alerts/spikes/${foreignSpike}/feedback`, { useful: "yes" })).status,
    ).toBe(404);
    const ours = await insertSpike(ctx.deps.companyBrandId, "ours");
    expect(
      (await postForm(await signIn("viewer"), `/alerts/spikes/${ours}/feedback`, { useful: "yes" })).status,
    ).toBe(403);
    expect(
      (await postForm(manager, `/alerts/spikes/${ours}/feedback`, { useful: "yes" }, false)).status,
    ).toBe(403);
    expect(await rows(sql`SELECT 1 FROM spike_feedback`)).toHaveLength(0);
  });
});
