// An urgent mention found by a poll is alerted through the outbox, masked, with a link back to Rapport; the alert
// commits with the mention (same transaction) and is delivered once.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import { startHttpServer, type TestServer } from "../../../test/helpers/http-server.js";
import { brands, mentions, outbox, sources } from "../../db/schema/index.js";
import { runDeliverOutbox } from "../../jobs/deliver-outbox.js";
import { pollSource, type SourceRow } from "../../pipeline/poll.js";
import type { MentionClassifier } from "../../pipeline/types.js";
import { createHttpClient } from "../../platform/http/index.js";
import { urgentAlertRouter } from "./urgent-alert-router.js";

const now = new Date("2026-11-22T09:00:00Z");

function atom(entries: { id: string; title: string; content: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:test</id><title>Alerts</title><updated>2026-11-22T08:00:00Z</updated>
${entries
  .map(
    (
      e,
    ) => `<entry><id>${e.id}</id><title type="html">${e.title}</title><link href="https://forum.example.com/t/${e.id}"></link>
<published>2026-11-22T08:30:00Z</published><updated>2026-11-22T08:30:00Z</updated><content type="html">${e.content}</content>
<author><name>poster</name></author></entry>`,
  )
  .join("\n")}
</feed>`;
}

/** Critical when the text names an attorney; otherwise low. Stands in for the real classifier. */
const fakeClassifier: MentionClassifier = {
  async classify(items) {
    return items.map((item) => {
      const urgent = /attorney/i.test(item.text);
      return {
        category: urgent ? "legal_threats" : "payment_service",
        relevant: true,
        severity: urgent ? "critical" : "low",
        flags: urgent ? ["attorney"] : [],
        sentiment: -0.5,
        confidence: 0.9,
        engine: "test",
        version: "1",
      };
    });
  },
};

let deps: TestDeps;
let feed: TestServer;
let slack: TestServer;
let feedBody = "";

beforeEach(async () => {
  feed = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/atom+xml" });
    res.end(feedBody);
  });
  slack = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  deps = await createTestDeps({
    SLACK_WEBHOOK_URL: `${slack.url}/services/ALL`,
    PUBLIC_URL: "https://rapport.example.com",
  });
  deps.classifier = fakeClassifier;
  deps.routers = [
    urgentAlertRouter({
      publicUrl: "https://rapport.example.com",
      fallbackWebhookUrl: `${slack.url}/services/ALL`,
    }),
  ];
});

afterEach(async () => {
  await feed.close();
  await slack.close();
  await deps.cleanup();
});

async function addSource(): Promise<SourceRow> {
  const [row] = await deps.db
    .insert(sources)
    .values({
      workspaceId: deps.workspaceId,
      brandId: deps.companyBrandId,
      name: "forum",
      type: "rss",
      config: { url: `${feed.url}/feed` },
    })
    .returning();
  return row!;
}

const http = () => createHttpClient({ allow: "127.0.0.1,localhost", retries: 0, timeoutMs: 1_000 });

describe("urgent mention alerts", () => {
  it("writes a masked Block Kit alert in the poll's transaction and delivers it once", async () => {
    feedBody = atom([
      {
        id: "a1",
        title: "Acme Recovery again",
        content: "My attorney will call Acme Recovery. Reach me at 555-867-5309 or jane.doe@example.com",
      },
      {
        id: "a2",
        title: "Acme Recovery portal",
        content: "The payment portal of Acme Recovery is down again",
      },
    ]);
    const source = await addSource();
    const outcome = await pollSource(deps, source, { now, http: http() });
    expect(outcome).toMatchObject({ status: "ok", inserted: 2 });
    const [urgent] = await deps.db.select().from(mentions).where(eq(mentions.externalId, "a1"));
    const rows = await deps.db.select().from(outbox);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      kind: "slack",
      idempotencyKey: `urgent:${urgent!.id}`,
      destination: `${slack.url}/services/ALL`,
      status: "pending",
    });
    const serialized = JSON.stringify(row.payload);
    expect(serialized).not.toContain("867-5309");
    expect(serialized).not.toContain("jane.doe@example.com");
    expect(serialized).toContain(`https://rapport.example.com/mentions/${urgent!.id}`);
    expect(serialized).toContain("represented by or consulting an attorney");

    // Polling the same page again stores nothing new and alerts nothing new.
    await pollSource(deps, (await deps.db.select().from(sources).where(eq(sources.id, source.id)))[0]!, {
      now,
      http: http(),
    });
    expect(await deps.db.select().from(outbox)).toHaveLength(1);

    const report = await runDeliverOutbox(deps, now);
    expect(report.sent).toBe(1);
    await runDeliverOutbox(deps, new Date(now.getTime() + 60_000));
    expect(slack.requests).toHaveLength(1);
    const body = JSON.parse(slack.requests[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(body.text).toMatch(/^Urgent: forum post about Acme Recovery/);
    expect(body.blocks.map((b) => b.type)).toEqual([
      "header",
      "section",
      "section",
      "section",
      "context",
      "actions",
    ]);
  });

  it("uses the brand's own webhook over the shared one, and alerts nobody when neither is set", async () => {
    await deps.db
      .update(brands)
      .set({ slackWebhookUrl: `${slack.url}/services/BRAND` })
      .where(eq(brands.id, deps.companyBrandId));
    feedBody = atom([
      { id: "b1", title: "Acme Recovery", content: "Talking to my attorney about Acme Recovery" },
    ]);
    await pollSource(deps, await addSource(), { now, http: http() });
    const [row] = await deps.db.select().from(outbox);
    expect(row!.destination).toBe(`${slack.url}/services/BRAND`);

    await deps.db.update(brands).set({ slackWebhookUrl: null }).where(eq(brands.id, deps.companyBrandId));
    deps.routers = [urgentAlertRouter({ publicUrl: "https://rapport.example.com" })];
    feedBody = atom([
      { id: "b2", title: "Acme Recovery", content: "My attorney has the letters from Acme Recovery" },
    ]);
    const [again] = await deps.db.select().from(sources);
    expect(await pollSource(deps, again!, { now, http: http() })).toMatchObject({
      status: "ok",
      inserted: 1,
    });
    expect(await deps.db.select().from(outbox)).toHaveLength(1);
  });

  it("stores neither the mention nor its alert when the page's transaction fails", async () => {
    feedBody = atom([{ id: "c1", title: "Acme Recovery", content: "My attorney is suing Acme Recovery" }]);
    deps.routers = [
      urgentAlertRouter({
        publicUrl: "https://rapport.example.com",
        fallbackWebhookUrl: `${slack.url}/services/ALL`,
      }),
      async () => {
        throw new Error("later router fails");
      },
    ];
    const outcome = await pollSource(deps, await addSource(), { now, http: http() });
    expect(outcome.status).toBe("error");
    expect(await deps.db.select().from(mentions)).toHaveLength(0);
    expect(await deps.db.select().from(outbox)).toHaveLength(0);
  });
});
