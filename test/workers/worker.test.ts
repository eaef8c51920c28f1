// The same Rapport on Workers: health, login, feed, a cron run that fans polling out to the queue, a consumer
// that polls a local feed into D1 and classifies, and a repeated message that stores nothing twice.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import { type DevServer, localD1File, run, startWranglerDev } from "./wrangler.js";

const feed = readFileSync(new URL("../fixtures/rss/google-alerts.xml", import.meta.url), "utf8");

let persist: string;
let dev: DevServer;
let feedServer: TestServer;
let d1: Client;
let cookie = "";

async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    value = await probe();
  }
  return value;
}

const count = async (sql: string) => Number((await d1.execute(sql)).rows[0]![0]);

beforeAll(async () => {
  persist = mkdtempSync(join(tmpdir(), "rapport-workers-"));
  feedServer = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/atom+xml" });
    res.end(feed);
  });
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  d1 = createClient({ url: `file:${localD1File(persist)}` });
  const hash = await hashPassword("worker-pass-123");
  await d1.batch(
    [
      "INSERT INTO workspaces (id, name, settings, created_at) VALUES (1, 'Edge Co', '{}', 0)",
      `INSERT INTO brands (id, workspace_id, name, slug, kind, keywords, exclusions, contacts, sla_minutes, created_at)
       VALUES (1, 1, 'Acme Recovery', 'acme-recovery', 'company', '["Acme Recovery"]', '[]', '[]', '{}', 0)`,
      {
        sql: "INSERT INTO users (workspace_id, email, name, password_hash, role, disabled, created_at) VALUES (1, 'edge@example.com', 'Edge', ?, 'manager', 0, 0)",
        args: [hash],
      },
      {
        sql: `INSERT INTO sources (workspace_id, brand_id, name, type, schedule, config, enabled, health, last_items, consecutive_failures, posting_enabled, dry_run, created_at)
              VALUES (1, 1, 'alerts', 'rss', '* * * * *', ?, 1, 'ok', 0, 0, 0, 1, 0)`,
        args: [JSON.stringify({ url: `${feedServer.url}/feed`, maxItems: 500 })],
      },
    ],
    "write",
  );
  dev = await startWranglerDev(persist, { RAPPORT_SECRET: "worker-secret-worker-secret-000000" });
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  d1?.close();
  await feedServer?.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

describe("Rapport on Workers (wrangler dev, local D1 and Queues)", () => {
  it("answers /healthz and keeps the API behind login", async () => {
    expect(await (await fetch(`${dev.url}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${dev.url}/api/mentions`)).status).toBe(401);
  });

  it("logs in and serves the (empty) feed", async () => {
    const response = await fetch(`${dev.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "edge@example.com", password: "worker-pass-123" }),
    });
    expect(response.status).toBe(200);
    cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
    const feedResponse = await fetch(`${dev.url}/api/mentions`, { headers: { cookie } });
    expect(feedResponse.status).toBe(200);
    expect(await feedResponse.json()).toEqual({ items: [], next: null });
  });

  it("fans a cron run out to the queue; the consumer polls the feed into D1 and classifies", async () => {
    const trigger = await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    expect(trigger.status).toBe(200);
    const stored = await waitFor(
      () => count("SELECT count(*) FROM mentions"),
      (n) => n >= 2,
    );
    expect(stored).toBe(2);
    expect(feedServer.requests.length).toBeGreaterThanOrEqual(1);
    expect(
      await count("SELECT count(*) FROM mentions WHERE category IS NOT NULL AND routed_at IS NOT NULL"),
    ).toBe(2);
    expect(await count("SELECT count(*) FROM mention_brands")).toBe(2);
    const body = (await (await fetch(`${dev.url}/api/mentions`, { headers: { cookie } })).json()) as {
      items: { text: string }[];
    };
    expect(body.items.map((i) => i.text)).toContain(
      "Acme Recovery sued over robocalls\nConsumers say Acme Recovery called them dozens of times a day ...",
    );
  });

  it("stores nothing twice when the same poll message is delivered again", async () => {
    const countsBefore = await count("SELECT sum(count) FROM hourly_counts");
    // Make the source due again, as a redelivered message would find it, and run the cron once more.
    await d1.execute("UPDATE sources SET last_run_at = NULL");
    const requestsBefore = feedServer.requests.length;
    await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    await waitFor(
      async () => feedServer.requests.length,
      (n) => n > requestsBefore,
    );
    await waitFor(
      () => count("SELECT count(*) FROM job_runs WHERE status = 'ok' AND job = 'poll'"),
      (n) => n >= 2,
    );
    expect(await count("SELECT count(*) FROM mentions")).toBe(2);
    expect(await count("SELECT sum(count) FROM hourly_counts")).toBe(countsBefore);
  });
});
