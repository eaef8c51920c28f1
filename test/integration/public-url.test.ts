// Links in Slack alerts and digest e-mails: the real `npm start` entry, as a child process over a temp database.
// Without the demo, Slack or SMTP without PUBLIC_URL stops the start with the fix; the demo links to the port it
// actually listens on (PORT=0 picks one), not to http://localhost:0.
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { brands } from "../../src/db/schema/index.js";
import { openWebhook } from "../../src/platform/outbox/destinations.js";
import { EntryProcess } from "../helpers/entry-process.js";
import { authed, createWebTestContext, login } from "../web/helpers.js";

const entry = new EntryProcess("public-url");
const start = (env: Record<string, string>, until: RegExp) => entry.start(env, until);

afterEach(() => entry.stop());

describe("PUBLIC_URL at start", () => {
  it("refuses to start without the demo when Slack or SMTP is set and PUBLIC_URL is not", async () => {
    const { output, code } = await start(
      {
        RAPPORT_DEMO: "0",
        RAPPORT_SECRET: "production-secret-production-secret-0000",
        SMTP_URL: "smtp://127.0.0.1:2525",
        PUBLIC_URL: "",
      },
      /$^/,
    );
    expect(code).toBe(2);
    expect(output).toContain("PUBLIC_URL is required when RAPPORT_DEMO=0 and SMTP_URL is set");
    expect(output).toContain("PUBLIC_URL=https://");
  }, 60_000);

  it("the demo's alert links name the port it listens on", async () => {
    const { output } = await start(
      {
        PORT: "0",
        RAPPORT_DEMO: "1",
        SLACK_WEBHOOK_URL: "http://127.0.0.1:9/services/T000/B000/demo",
      },
      /Demo login/,
    );
    const port = /Rapport is running at http:\/\/localhost:(\d+)/.exec(output)?.[1];
    expect(Number(port)).toBeGreaterThan(0);
    const db = createClient({ url: `file:${join(entry.dir!, "rapport.db")}` });
    const { rows } = await db.execute("select payload from outbox where kind = 'slack'");
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const links = String(row.payload).match(/http:\/\/localhost:\d+\//g) ?? [];
      expect(links.length).toBeGreaterThan(0);
      expect(new Set(links)).toEqual(new Set([`http://localhost:${port}/`]));
    }
  }, 90_000);

  it("without the demo, a brand's Slack webhook cannot be set from the dashboard until PUBLIC_URL is", async () => {
    const hook = "https://hooks.slack.com/services/T1/B1/brandhook0001";
    for (const [publicUrl, status] of [
      [undefined, 400],
      ["https://rapport.example.com", 200],
    ] as const) {
      const ctx = await createWebTestContext(publicUrl ? { PUBLIC_URL: publicUrl } : {});
      try {
        const manager = await login(ctx, "manager");
        const res = await ctx.app.request(
          `/api/alerts/brands/${ctx.deps.companyBrandId}/slack-webhook`,
          authed(manager, { method: "PUT", body: JSON.stringify({ url: hook }) }),
        );
        expect(res.status).toBe(status);
        const [brand] = await ctx.deps.db.select().from(brands).where(eq(brands.id, ctx.deps.companyBrandId));
        if (status === 400) {
          const { error } = (await res.json()) as { error: { message: string } };
          expect(error.message).toContain("Set PUBLIC_URL to the dashboard's address");
          expect(brand!.slackWebhookUrl).toBeNull();
        } else {
          expect(await openWebhook(brand!.slackWebhookUrl!, ctx.deps.env.RAPPORT_SECRET)).toBe(hook);
        }
      } finally {
        await ctx.deps.cleanup();
      }
    }
  });
});
