// The digest preview: the exact HTML a director gets (byte for byte what the job would send), for a chosen brand
// and week, only for roles that manage alerts, only for brands of the viewer's workspace; "send me a test copy"
// goes through the outbox to the viewer alone and is audited.
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, brands, mentions, outbox, workspaces } from "../../db/schema/index.js";
import { renderDigest } from "../../services/digest/email/digest-email.js";
import { loadDigestData } from "../../services/digest/load-digest.js";

const NOW = new Date("2026-03-25T12:00:00Z"); // Wednesday of 2026-W13
let ctx: WebTestContext;

beforeEach(async () => {
  ctx = await createWebTestContext({ PUBLIC_URL: "https://rapport.example.com" }, () => NOW);
  const at = new Date("2026-03-18T09:00:00Z");
  await insertMention(ctx, {
    text: "They call me at work <script>alert(1)</script> every day",
    createdAt: at,
    fetchedAt: at,
    category: "communication_tactics",
    severity: "high",
    relevant: true,
    slaDueAt: new Date(at.getTime() + 240 * 60_000),
  });
  await ctx.deps.db.update(mentions).set({ confidence: 0.95 });
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

describe("digest preview", () => {
  it("shows the e-mail exactly as sent, for a brand and week, under its own strict policy", async () => {
    const manager = await login(ctx, "manager");
    const page = await ctx.app.request("/digest/preview?brand=acme-recovery&week=2026-W12", authed(manager));
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(`src="/digest/preview/email?brand=acme-recovery&amp;week=2026-W12"`);
    expect(body).toContain(
      "Subject:</b> Acme Recovery weekly digest, 2026-W12: 1 mention this week, vs 0 last week",
    );
    expect(body).toContain("Send me a test copy");

    const email = await ctx.app.request(
      "/digest/preview/email?brand=acme-recovery&week=2026-W12",
      authed(manager),
    );
    expect(email.status).toBe(200);
    const expected = renderDigest(
      await loadDigestData(ctx.deps, ctx.deps.companyBrandId, { year: 2026, week: 12 }, NOW),
    );
    expect(await email.text()).toBe(expected.html);
    const policy = email.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).not.toContain("script-src");
    // Every other page keeps the app's policy.
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(expected.html).not.toContain("<script>alert(1)");
    expect(expected.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

    // Default: last week (what Monday's digest reports), and the company brand.
    const api = await ctx.app.request("/api/digest/preview", authed(manager));
    const json = (await api.json()) as { week: string; brand: string; subject: string; html: string };
    expect(json).toMatchObject({ week: "2026-W12", brand: "acme-recovery" });
    expect(json.html).toBe(expected.html);
  });

  it("is for managers and admins, and only for their own workspace's brands", async () => {
    for (const role of ["responder", "viewer"] as const) {
      const session = await login(ctx, role);
      expect((await ctx.app.request("/digest/preview", authed(session))).status).toBe(403);
      expect((await ctx.app.request("/api/digest/preview", authed(session))).status).toBe(403);
    }
    const [elsewhere] = await ctx.deps.db.insert(workspaces).values({ name: "Another agency" }).returning();
    await ctx.deps.db
      .insert(brands)
      .values({ workspaceId: elsewhere!.id, name: "Theirs", slug: "theirs", kind: "company" });
    const admin = await login(ctx, "admin");
    expect((await ctx.app.request("/digest/preview?brand=theirs", authed(admin))).status).toBe(404);
    const bad = await ctx.app.request("/api/digest/preview?week=2026-12", authed(admin));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("2026-W07");
  });

  it("sends a test copy to the viewer alone, through the outbox, audited", async () => {
    const manager = await login(ctx, "manager");
    const form = new URLSearchParams({ _csrf: manager.csrf, brand: "acme-recovery", week: "2026-W12" });
    const res = await ctx.app.request("/digest/test-copy", {
      method: "POST",
      headers: { cookie: manager.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/digest/preview?brand=acme-recovery&week=2026-W12&sent=1");
    const rows = await ctx.deps.db.select().from(outbox);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "email", destination: "manager@example.com", status: "pending" });
    const expected = renderDigest(
      await loadDigestData(ctx.deps, ctx.deps.companyBrandId, { year: 2026, week: 12 }, NOW),
    );
    expect((rows[0]!.payload as { html: string; to: string[] }).html).toBe(expected.html);
    expect((rows[0]!.payload as { to: string[] }).to).toEqual(["manager@example.com"]);
    const audit = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "digest.test_copy"), eq(auditLog.actorId, ctx.users.manager.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ week: "2026-W12", to: "manager@example.com" });
    const page = await (
      await ctx.app.request("/digest/preview?brand=acme-recovery&week=2026-W12&sent=1", authed(manager))
    ).text();
    expect(page).toContain("A test copy of 2026-W12 is queued for manager@example.com");

    // Without the CSRF token: refused, nothing queued.
    const forged = await ctx.app.request("/digest/test-copy", {
      method: "POST",
      headers: { cookie: manager.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "brand=acme-recovery",
    });
    expect(forged.status).toBe(403);
    expect(await ctx.deps.db.select().from(outbox)).toHaveLength(1);
    const responder = await login(ctx, "responder");
    const refused = await ctx.app.request(
      "/api/digest/test-copy",
      authed(responder, { method: "POST", body: JSON.stringify({}) }),
    );
    expect(refused.status).toBe(403);
  });
});
