// The slow receiver: a Slack webhook that answers after 15 s, one that never answers, and a deliverer killed
// mid-request. Incoming webhooks take no idempotency key, so a message sent twice is posted twice: after an
// attempt without an answer the row says "unknown" and nothing is re-sent unless a person presses Retry.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema/index.js";
import { runDeliverOutbox } from "../../src/jobs/deliver-outbox.js";
import { enqueueOutbox, outboxSummary, requeueOutbox } from "../../src/platform/outbox/outbox.js";
import { defaultSenders, slackSender } from "../../src/platform/outbox/senders.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";

let deps: TestDeps | undefined;
let server: TestServer | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill("SIGKILL");
  child = undefined;
  await server?.close();
  server = undefined;
  await deps?.cleanup();
  deps = undefined;
});

const HOUR = 3_600_000;
const posts = () => server!.requests.filter((r) => r.method === "POST").length;

async function queueAlert(at: Date) {
  await enqueueOutbox(
    deps!.db,
    {
      kind: "slack",
      idempotencyKey: "urgent:1",
      destination: `${server!.url}/services/T000/B000/slow`,
      payload: { text: "A critical mention" },
      workspaceId: deps!.workspaceId,
    },
    at,
  );
}

async function theRow() {
  const [row] = await deps!.db.select().from(outbox);
  return row!;
}

describe("a Slack webhook that is slow", () => {
  it("answering after 15 s gets exactly one message, recorded as sent", async () => {
    deps = await createTestDeps({ EGRESS_ALLOW: "127.0.0.1" });
    server = await startHttpServer((_req, res) => {
      setTimeout(() => res.end("ok"), 15_000);
    });
    const start = new Date();
    await queueAlert(start);
    for (const later of [0, 1, 5, 24].map((h) => new Date(start.getTime() + h * HOUR + 60_000))) {
      await runDeliverOutbox(deps, later);
    }
    expect(posts()).toBe(1);
    const row = await theRow();
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(1);
  }, 60_000);

  it("never answering is 'unknown', not re-sent over a day of runs, and sent once more only on Retry", async () => {
    deps = await createTestDeps({ EGRESS_ALLOW: "127.0.0.1" });
    server = await startHttpServer(() => {
      // holds the request open: no answer ever comes
    });
    const senders = { ...defaultSenders(deps.env, deps.now), slack: slackSender({ timeoutMs: 1_000 }) };
    const start = new Date();
    await queueAlert(start);
    const first = await runDeliverOutbox(deps, start, senders);
    expect(first.unknown).toBe(1);
    for (const h of [1, 2, 6, 12, 24])
      await runDeliverOutbox(deps, new Date(start.getTime() + h * HOUR), senders);
    expect(posts()).toBe(1);
    const row = await theRow();
    expect(row.status).toBe("unknown");
    expect(row.lastError).toMatch(/may have been posted/);
    expect(row.fix).toMatch(/Look in the Slack channel/);
    // /alerts counts it apart, and lists it among the rows that need a person.
    const summary = await outboxSummary(deps.db, deps.workspaceId);
    expect(summary.unknown).toBe(1);
    expect(summary.rows.map((r) => r.status)).toEqual(["unknown"]);

    // A person looked, found nothing, and pressed Retry: one more message, on purpose.
    expect(await requeueOutbox(deps.db, row.id, new Date(start.getTime() + 25 * HOUR))).not.toBeNull();
    await runDeliverOutbox(deps, new Date(start.getTime() + 25 * HOUR), senders);
    expect(posts()).toBe(2);
  }, 60_000);

  it("a deliverer killed mid-request leaves the row 'unknown', and nobody sends it again", async () => {
    deps = await createTestDeps({ EGRESS_ALLOW: "127.0.0.1" });
    let received: () => void = () => {};
    const got = new Promise<void>((resolve) => (received = resolve));
    server = await startHttpServer(() => received());
    const start = new Date();
    await queueAlert(new Date(start.getTime() - 1_000));
    child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "fixtures/deliver-once.ts")], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: deps.env.DATABASE_URL },
      stdio: ["ignore", "pipe", "pipe"],
    });
    await got;
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    child = undefined;
    expect((await theRow()).status).toBe("sending");
    // Runs after the dead deliverer's claim ran out (5 minutes) and much later.
    for (const minutes of [6, 60, 24 * 60]) {
      await runDeliverOutbox(deps, new Date(start.getTime() + minutes * 60_000));
    }
    expect(posts()).toBe(1);
    const row = await theRow();
    expect(row.status).toBe("unknown");
    expect(row.lastError).toMatch(/stopped mid-request/);
  }, 60_000);
});
