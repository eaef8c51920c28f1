// The outbox against a local Slack-like webhook server: an hour of 500s, 429 with Retry-After, permanent errors
// with their fix, and two deliverers racing — every alert arrives exactly once.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import { startHttpServer, type TestServer } from "../../../test/helpers/http-server.js";
import { outbox } from "../../db/schema/index.js";
import { runDeliverOutbox } from "../../jobs/deliver-outbox.js";
import { MAX_ATTEMPTS } from "../notify/retry.js";
import { enqueueOutbox, requeueOutbox } from "./outbox.js";

const T0 = new Date("2026-03-02T09:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

let clock = T0;
let deps: TestDeps;
let slack: TestServer;
/** What the fake Slack answers next: a status, a text/plain body, headers. */
let answer: (body: string) => { status: number; body: string; headers?: Record<string, string> };
const delivered: string[] = [];

beforeEach(async () => {
  clock = T0;
  delivered.length = 0;
  answer = () => ({ status: 200, body: "ok" });
  deps = await createTestDeps({}, () => clock);
  slack = await startHttpServer((req, res) => {
    const reply = answer(req.body);
    if (reply.status === 200) delivered.push((JSON.parse(req.body) as { text: string }).text);
    res.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
    res.end(reply.body);
  });
});

afterEach(async () => {
  await slack.close();
  await deps.cleanup();
});

const message = (text: string) => ({ text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] });

async function enqueue(key: string, destination = `${slack.url}/services/T1/B1/x`) {
  return enqueueOutbox(
    deps.db,
    { kind: "slack", idempotencyKey: key, destination, payload: message(key) },
    clock,
  );
}

async function runAt(at: Date) {
  clock = at;
  return runDeliverOutbox(deps, at);
}

describe("outbox delivery to Slack", () => {
  it("loses nothing and sends nothing twice when Slack answers 500 for an hour", async () => {
    let slackUp = false;
    answer = () => (slackUp ? { status: 200, body: "ok" } : { status: 500, body: "rollup_error" });
    // Alerts keep arriving while Slack is down.
    const keys: string[] = [];
    for (let minute = 0; minute <= 90; minute++) {
      if (minute % 15 === 0 && minute <= 60) {
        clock = minutes(minute);
        keys.push(`urgent:${minute}`);
        expect(await enqueue(`urgent:${minute}`)).toBe(true);
      }
      if (minute === 60) slackUp = true;
      await runAt(minutes(minute));
    }
    expect(delivered.sort()).toEqual([...keys].sort());
    const rows = await deps.db.select().from(outbox);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    // While down, one request per due run for the whole webhook, not one per queued alert; backoff spaced them.
    const failedRequests = slack.requests.length - delivered.length;
    expect(failedRequests).toBeGreaterThan(3);
    expect(failedRequests).toBeLessThan(30);
    // Back within the 10-minute backoff cap after Slack recovered.
    const lastSent = Math.max(...rows.map((r) => r.sentAt!.getTime()));
    expect(lastSent).toBeLessThanOrEqual(minutes(71).getTime());
  });

  it("honours Retry-After on 429", async () => {
    let limited = true;
    answer = () =>
      limited
        ? { status: 429, body: "rate_limited", headers: { "retry-after": "180" } }
        : { status: 200, body: "ok" };
    await enqueue("spike:1");
    const first = await runAt(minutes(0));
    expect(first.retried).toBe(1);
    const [row] = await deps.db.select().from(outbox);
    expect(row!.nextAttemptAt.getTime()).toBe(minutes(3).getTime());
    expect(row!.lastError).toContain("429");
    limited = false;
    await runAt(minutes(1));
    await runAt(minutes(2));
    expect(slack.requests).toHaveLength(1);
    await runAt(minutes(3));
    expect(delivered).toEqual(["spike:1"]);
  });

  it("stops on a permanent error with the fix, keeps other webhooks going, and retries on request", async () => {
    const goneWebhook = `${slack.url}/services/T1/B2/gone`;
    answer = () => ({ status: 200, body: "ok" });
    let gone = true;
    const handler = answer;
    answer = (body) => {
      const text = (JSON.parse(body) as { text: string }).text;
      if (gone && text.startsWith("to-gone")) return { status: 404, body: "channel_not_found" };
      return handler(body);
    };
    await enqueue("to-gone:1", goneWebhook);
    await enqueue("to-ok:1");
    const report = await runAt(minutes(0));
    expect(report).toMatchObject({ sent: 1, failed: 1 });
    const [failed] = await deps.db.select().from(outbox).where(eq(outbox.idempotencyKey, "to-gone:1"));
    expect(failed!.status).toBe("failed");
    expect(failed!.lastError).toContain("channel_not_found");
    expect(failed!.fix).toMatch(/channel no longer exists.*new incoming webhook/i);
    // Failed rows are not retried on their own.
    await runAt(minutes(5));
    expect(slack.requests).toHaveLength(2);
    gone = false;
    await requeueOutbox(deps.db, failed!.id, minutes(6));
    await runAt(minutes(6));
    expect(delivered.sort()).toEqual(["to-gone:1", "to-ok:1"]);
  });

  it("an idempotency key is sent once however often it is enqueued", async () => {
    expect(await enqueue("urgent:7")).toBe(true);
    expect(await enqueue("urgent:7")).toBe(false);
    await runAt(minutes(0));
    expect(await enqueue("urgent:7")).toBe(false);
    await runAt(minutes(1));
    expect(delivered).toEqual(["urgent:7"]);
  });

  it("two deliverers running at once send each row once", async () => {
    const base = answer;
    answer = (body) => base(body);
    for (let i = 0; i < 12; i++) await enqueue(`urgent:${i}`, `${slack.url}/hook/${i % 3}`);
    const [a, b] = await Promise.all([
      runDeliverOutbox(deps, minutes(0)),
      runDeliverOutbox(deps, minutes(0)),
    ]);
    expect(a.sent + b.sent).toBe(12);
    expect(delivered).toHaveLength(12);
    expect(new Set(delivered).size).toBe(12);
  });

  it("after a day of retries asks a person, and a manual retry starts a fresh schedule", async () => {
    answer = () => ({ status: 503, body: "" });
    await enqueue("urgent:old");
    await deps.db.update(outbox).set({ attempts: MAX_ATTEMPTS - 1 });
    const report = await runAt(minutes(0));
    expect(report.failed).toBe(1);
    const [row] = await deps.db.select().from(outbox);
    expect(row).toMatchObject({ status: "failed" });
    expect(row!.fix).toMatch(/Still failing after a day of retries.*Slack webhook/);
    await requeueOutbox(deps.db, row!.id, minutes(1));
    await runAt(minutes(1));
    const [again] = await deps.db.select().from(outbox);
    expect(again).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("treats an unreachable webhook as retryable", async () => {
    await enqueue("urgent:down", "http://127.0.0.1:9/services/closed");
    const report = await runAt(minutes(0));
    expect(report.retried).toBe(1);
    const [row] = await deps.db.select().from(outbox);
    expect(row!.status).toBe("pending");
    expect(row!.lastError).toMatch(/could not reach Slack/);
  });
});
