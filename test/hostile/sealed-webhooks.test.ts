// The stolen backup: a brand's Slack webhook (whoever holds it can post to the channel) is stored sealed, travels
// sealed through the outbox, is shown redacted, and is opened only by the sender.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { brands } from "../../src/db/schema/index.js";
import { runDeliverOutbox } from "../../src/jobs/deliver-outbox.js";
import { openWebhook } from "../../src/platform/outbox/destinations.js";
import { sealStoredWebhooks } from "../../src/services/alerts/settings.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import { authed, createWebTestContext, login, type WebTestContext } from "../web/helpers.js";

let ctx: WebTestContext | undefined;
let slack: TestServer | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
  await ctx?.deps.cleanup();
  ctx = undefined;
});

async function dump(table: string): Promise<string> {
  const database = ctx!.deps.database as unknown as {
    client: { execute(s: string): Promise<{ rows: unknown[] }> };
  };
  return JSON.stringify((await database.client.execute(`SELECT * FROM ${table}`)).rows);
}

describe("Slack webhooks at rest", () => {
  it("are sealed in the brands table and the outbox, shown redacted, and still deliver", async () => {
    ctx = await createWebTestContext({ EGRESS_ALLOW: "127.0.0.1", PUBLIC_URL: "http://127.0.0.1:8787" });
    slack = await startHttpServer((_req, res) => {
      res.end("ok");
    });
    const webhook = `${slack.url}/services/T0001/B0001/TopSecretPart`;
    const session = await login(ctx, "manager");
    const brandId = ctx.deps.companyBrandId;
    const saved = await ctx.app.request(
      `/api/alerts/brands/${brandId}/slack-webhook`,
      authed(session, { method: "PUT", body: JSON.stringify({ url: webhook }) }),
    );
    expect(saved.status, await saved.clone().text()).toBe(200);

    const [stored] = await ctx.deps.db.select().from(brands).where(eq(brands.id, brandId));
    expect(stored!.slackWebhookUrl).toMatch(/^sealed:v1:/);
    expect(await dump("brands")).not.toContain("TopSecretPart");
    expect(await openWebhook(stored!.slackWebhookUrl!, ctx.deps.env.RAPPORT_SECRET)).toBe(webhook);

    const page = await (await ctx.app.request("/api/alerts", authed(session))).text();
    expect(page).not.toContain("TopSecretPart");
    expect(page).toContain("…Part");

    const test = await ctx.app.request(
      `/alerts/brands/${brandId}/test`,
      authed(session, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "",
      }),
    );
    expect(test.status).toBeLessThan(400);
    expect(await dump("outbox")).not.toContain("TopSecretPart");
    expect(await dump("audit_log")).not.toContain("TopSecretPart");

    const report = await runDeliverOutbox(ctx.deps, new Date());
    expect(report.sent).toBe(1);
    expect(slack.requests.map((r) => r.url)).toEqual(["/services/T0001/B0001/TopSecretPart"]);
  });

  it("seals webhooks stored in plain text before sealing existed", async () => {
    ctx = await createWebTestContext();
    const plain = "https://hooks.slack.com/services/T0/B0/OldPlainSecret";
    await ctx.deps.db.update(brands).set({ slackWebhookUrl: plain }).where(eq(brands.id, ctx.clientBrandId));
    expect(await sealStoredWebhooks(ctx.deps)).toBe(1);
    expect(await sealStoredWebhooks(ctx.deps)).toBe(0);
    expect(await dump("brands")).not.toContain("OldPlainSecret");
    const [row] = await ctx.deps.db.select().from(brands).where(eq(brands.id, ctx.clientBrandId));
    expect(await openWebhook(row!.slackWebhookUrl!, ctx.deps.env.RAPPORT_SECRET)).toBe(plain);
  });
});
