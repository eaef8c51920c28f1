// Slack, collections webhooks and e-mail go out through the same egress policy as connectors: a destination on a
// loopback, private or metadata address is refused before anything is sent, as a permanent failure with its fix
// (retrying cannot help), unless the operator allow-lists it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadEnv } from "../../env.js";
import type { OutboxRow } from "../outbox/outbox.js";
import { defaultSenders } from "../outbox/senders.js";

const hits: string[] = [];
const server = createServer((req, res) => {
  hits.push(req.url ?? "/");
  res.end("ok");
});
afterEach(() => {
  hits.length = 0;
});

async function listen(): Promise<number> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const row = (destination: string, kind: OutboxRow["kind"], payload: unknown) =>
  ({ id: 1, kind, destination, payload, idempotencyKey: "k-1", attempts: 0 }) as unknown as OutboxRow;

describe("senders behind the egress policy", () => {
  it("refuses Slack, webhook and SMTP destinations on internal addresses; nothing is sent", async () => {
    const port = await listen();
    const env = loadEnv({ NODE_ENV: "test", SMTP_URL: `smtp://127.0.0.1:${port}` });
    const senders = defaultSenders(env, () => new Date());
    const slack = await senders.slack(
      row(`http://127.0.0.1:${port}/services/T/B/x`, "slack", { text: "hi" }),
    );
    expect(slack).toMatchObject({ status: "permanent" });
    expect(slack.status === "permanent" && slack.fix).toMatch(/EGRESS_ALLOW/);
    const hook = await senders.webhook(row("http://169.254.169.254/latest/meta-data/", "webhook", { a: 1 }));
    expect(hook).toMatchObject({ status: "permanent" });
    const mail = await senders.email(
      row("a@example.com", "email", { to: ["a@example.com"], subject: "s", html: "<p>h</p>", text: "t" }),
    );
    expect(mail).toMatchObject({ status: "permanent" });
    expect(mail.status === "permanent" && mail.reason).toMatch(/loopback/);
    expect(hits).toEqual([]);
  });

  it("sends to an allow-listed relay", async () => {
    const port = await listen();
    const env = loadEnv({ NODE_ENV: "test", EGRESS_ALLOW: `127.0.0.1:${port}` });
    const senders = defaultSenders(env, () => new Date());
    const slack = await senders.slack(
      row(`http://127.0.0.1:${port}/services/T/B/x`, "slack", { text: "hi" }),
    );
    expect(slack).toMatchObject({ status: "ok" });
    expect(hits).toEqual(["/services/T/B/x"]);
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
