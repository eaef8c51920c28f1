// /alerts: who may see it, the outbox with its fixes and retry, spikes, and the audited settings forms.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, brands, digestRecipients, outbox, spikes, workspaces } from "../../db/schema/index.js";
import { openWebhook } from "../../platform/outbox/destinations.js";
import { enqueueOutbox, markFailed } from "../../platform/outbox/outbox.js";

const SECRET_HOOK = "https://hooks.slack.com/services/T000/B000/supersecrettoken9f3a";
let ctx: WebTestContext;
let manager: Session;

beforeEach(async () => {
  ctx = await createWebTestContext({
    SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T1/B1/sharedhook0001",
    PUBLIC_URL: "https://rapport.example.com",
  });
  manager = await login(ctx, "manager");
});
afterEach(async () => ctx.deps.cleanup());

const form = (session: Session, fields: Record<string, string>) =>
  authed(session, { method: "POST", body: new URLSearchParams(fields) });
const audits = async (action: string) =>
  ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, action));

describe("/alerts", () => {
  it("is for managers and admins only", async () => {
    for (const role of ["viewer", "responder"] as const) {
      const res = await ctx.app.request("/alerts", authed(await login(ctx, role)));
      expect(res.status).toBe(403);
    }
    expect((await ctx.app.request("/alerts", authed(await login(ctx, "admin")))).status).toBe(200);
    const res = await ctx.app.request("/alerts", authed(manager));
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const id of ["outbox", "spikes", "sensitivity", "webhooks", "recipients"])
      expect(html).toContain(`id="${id}"`);
  });

  it("shows a failed delivery with its fix, and retries it (CSRF-checked, audited, never a sent one)", async () => {
    const now = new Date();
    await enqueueOutbox(
      ctx.deps.db,
      { kind: "slack", idempotencyKey: "urgent:1", destination: SECRET_HOOK, payload: {} },
      now,
    );
    const [row] = await ctx.deps.db.select().from(outbox);
    await markFailed(
      ctx.deps.db,
      row!.id,
      "Slack HTTP 404 channel_not_found",
      "The webhook's Slack channel no longer exists. Create a new incoming webhook.",
    );
    const html = await (await ctx.app.request("/alerts", authed(manager))).text();
    expect(html).toContain("channel_not_found");
    expect(html).toContain("The webhook&#39;s Slack channel no longer exists");
    expect(html).toContain(`/alerts/outbox/${row!.id}/retry`);
    expect(html).not.toContain("supersecrettoken");

    const noCsrf = await ctx.app.request(`/alerts/outbox/${row!.id}/retry`, {
      method: "POST",
      headers: { cookie: manager.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(noCsrf.status).toBe(403);
    const retried = await ctx.app.request(`/alerts/outbox/${row!.id}/retry`, form(manager, {}));
    expect(retried.status).toBe(303);
    const [after] = await ctx.deps.db.select().from(outbox);
    expect(after).toMatchObject({ status: "pending", fix: null });
    expect(await audits("outbox.retry")).toHaveLength(1);

    await ctx.deps.db.update(outbox).set({ status: "sent" });
    const again = await ctx.app.request(`/alerts/outbox/${row!.id}/retry`, form(manager, {}));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("not sent twice");
  });

  it("sets, redacts and removes a brand's Slack webhook, refusing what is not https", async () => {
    const bad = await ctx.app.request(
      `/alerts/brands/${ctx.deps.companyBrandId}/webhook`,
      form(manager, { url: "http://example.com/hook" }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("must be an https:// URL");
    const internal = await ctx.app.request(
      `/alerts/brands/${ctx.deps.companyBrandId}/webhook`,
      form(manager, { url: "https://metadata.internal/latest" }),
    );
    expect(internal.status).toBe(400);
    expect(await internal.text()).toContain("must be on hooks.slack.com");

    const ok = await ctx.app.request(
      `/alerts/brands/${ctx.deps.companyBrandId}/webhook`,
      form(manager, { url: SECRET_HOOK }),
    );
    expect(ok.status).toBe(303);
    const [brand] = await ctx.deps.db.select().from(brands).where(eq(brands.id, ctx.deps.companyBrandId));
    // Stored sealed (a webhook is a credential); it opens to what was saved.
    expect(brand!.slackWebhookUrl).toMatch(/^sealed:v1:/);
    expect(await openWebhook(brand!.slackWebhookUrl!, ctx.deps.env.RAPPORT_SECRET)).toBe(SECRET_HOOK);
    const html = await (await ctx.app.request("/alerts", authed(manager))).text();
    expect(html).toContain("https://hooks.slack.com/…9f3a");
    expect(html).not.toContain("supersecrettoken");
    const [audit] = await audits("alerts.slack_webhook");
    expect(JSON.stringify(audit)).not.toContain("supersecrettoken");
    expect(audit!.after).toEqual({ slackWebhook: "https://hooks.slack.com/…9f3a" });

    // A test message goes through the outbox to that webhook.
    expect(
      (await ctx.app.request(`/alerts/brands/${ctx.deps.companyBrandId}/test`, form(manager, {}))).status,
    ).toBe(303);
    const [test] = await ctx.deps.db.select().from(outbox);
    // The outbox carries it sealed too; the Slack sender opens it.
    expect(await openWebhook(test!.destination, ctx.deps.env.RAPPORT_SECRET)).toBe(SECRET_HOOK);

    await ctx.app.request(`/alerts/brands/${ctx.deps.companyBrandId}/webhook`, form(manager, { url: "" }));
    const [cleared] = await ctx.deps.db.select().from(brands).where(eq(brands.id, ctx.deps.companyBrandId));
    expect(cleared!.slackWebhookUrl).toBeNull();
  });

  it("adds digest recipients with a valid IANA time zone, and removes them", async () => {
    const badZone = await ctx.app.request(
      "/alerts/recipients",
      form(manager, { email: "dir@example.com", timeZone: "Mars/Base", brandId: "" }),
    );
    expect(badZone.status).toBe(400);
    expect(await badZone.text()).toContain("not an IANA time zone");
    const abbreviation = await ctx.app.request(
      "/alerts/recipients",
      form(manager, { email: "dir@example.com", timeZone: "EST", brandId: "" }),
    );
    expect(abbreviation.status).toBe(400);
    const badEmail = await ctx.app.request(
      "/alerts/recipients",
      form(manager, { email: "nope", timeZone: "UTC", brandId: "" }),
    );
    expect(badEmail.status).toBe(400);

    const added = await ctx.app.request(
      "/alerts/recipients",
      form(manager, {
        email: "Director@Example.com",
        timeZone: "Europe/London",
        brandId: String(ctx.clientBrandId),
      }),
    );
    expect(added.status).toBe(303);
    const [recipient] = await ctx.deps.db.select().from(digestRecipients);
    expect(recipient).toMatchObject({
      email: "director@example.com",
      timeZone: "Europe/London",
      brandId: ctx.clientBrandId,
    });
    const html = await (await ctx.app.request("/alerts", authed(manager))).text();
    expect(html).toContain('data-recipient="director@example.com"');

    expect(
      (await ctx.app.request(`/alerts/recipients/${recipient!.id}/delete`, form(manager, {}))).status,
    ).toBe(303);
    expect(await ctx.deps.db.select().from(digestRecipients)).toHaveLength(0);
    expect((await audits("digest.recipient_add")).length).toBe(1);
    expect((await audits("digest.recipient_remove"))[0]!.before).toMatchObject({
      email: "director@example.com",
    });
  });

  it("changes the spike sensitivity and lists spikes with their explanation", async () => {
    expect(
      (await ctx.app.request("/alerts/sensitivity", form(manager, { sensitivity: "fewer" }))).status,
    ).toBe(303);
    const [ws] = await ctx.deps.db.select().from(workspaces);
    expect(ws!.settings.spikeSensitivity).toBe("fewer");
    expect((await audits("alerts.spike_sensitivity"))[0]!.after).toEqual({ spikeSensitivity: "fewer" });
    expect(
      (await ctx.app.request("/alerts/sensitivity", form(manager, { sensitivity: "loud" }))).status,
    ).toBe(400);

    const hour = new Date("2026-03-23T14:00:00Z");
    await ctx.deps.db.insert(spikes).values({
      key: `brand:${ctx.deps.companyBrandId}`,
      brandId: ctx.deps.companyBrandId,
      startedAt: hour,
      lastHourAt: hour,
      count: 30,
      expected: 3,
      score: 9,
      explanation: {
        subject: "Acme Recovery",
        feedUrl: "https://rapport.example.com/feed?brand=acme-recovery",
        alerted: true,
        episode: {
          key: "k",
          ts: "",
          count: 30,
          expected: 3,
          score: 9,
          lastTs: "",
          hours: 1,
          peak: { ts: "", count: 30, expected: 3, score: 9 },
        },
        explanation: {
          mentions: 30,
          baselineMentions: 50,
          terms: [{ value: "garnish", count: 20, share: 0.66, baselineShare: 0, score: 5 }],
          sources: [],
          authors: [],
          links: [],
          categories: [],
          examples: [
            { id: 5, text: "They will garnish my wages, call [PHONE]", source: "reddit", url: null },
          ],
        },
      },
    });
    const html = await (await ctx.app.request("/alerts", authed(manager))).text();
    expect(html).toContain("Acme Recovery — 30 in an hour vs 3.0 usual");
    expect(html).toContain("&quot;garnish&quot; (20)");
    expect(html).toContain("call [PHONE]");
    expect(html).toContain('href="/feed?brand=acme-recovery"');
  });
});

describe("/api/alerts", () => {
  it("offers the same powers as JSON, with webhooks redacted, for managers only", async () => {
    expect((await ctx.app.request("/api/alerts", authed(await login(ctx, "responder")))).status).toBe(403);
    const put = await ctx.app.request(
      `/api/alerts/brands/${ctx.deps.companyBrandId}/slack-webhook`,
      authed(manager, { method: "PUT", body: JSON.stringify({ url: SECRET_HOOK }) }),
    );
    expect(put.status).toBe(200);
    const added = await ctx.app.request(
      "/api/alerts/recipients",
      authed(manager, {
        method: "POST",
        body: JSON.stringify({ email: "dir@example.com", timeZone: "America/Chicago" }),
      }),
    );
    expect(added.status).toBe(201);
    const bad = await ctx.app.request(
      "/api/alerts/recipients",
      authed(manager, {
        method: "POST",
        body: JSON.stringify({ email: "dir@example.com", timeZone: "Chicago" }),
      }),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    await enqueueOutbox(
      ctx.deps.db,
      { kind: "slack", idempotencyKey: "urgent:9", destination: SECRET_HOOK, payload: { text: "x" } },
      new Date(),
    );
    const res = await ctx.app.request("/api/alerts", authed(manager));
    const body = (await res.json()) as {
      outbox: { pending: number; items: { destination: string; payload?: unknown }[] };
      brands: { slug: string; slackWebhook: string | null }[];
      recipients: { email: string; timeZone: string }[];
    };
    expect(JSON.stringify(body)).not.toContain("supersecrettoken");
    expect(body.outbox.pending).toBe(1);
    expect(body.outbox.items[0]).not.toHaveProperty("payload");
    expect(body.brands.find((b) => b.slug === "acme-recovery")!.slackWebhook).toBe(
      "https://hooks.slack.com/…9f3a",
    );
    expect(body.recipients).toMatchObject([{ email: "dir@example.com", timeZone: "America/Chicago" }]);
    const docs = (await (await ctx.app.request("/api/openapi.json", authed(manager))).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(docs.paths)).toContain("/api/alerts/recipients");
  });
});
