// The same Rapport on Workers: health, login, feed, a cron run that fans polling out to the queue, a consumer
// that polls a local feed and a local X API (the connector's fetch transport, since workerd cannot run
// twitter-api-v2) into D1 and classifies, and a repeated message that stores nothing twice. Atomic work on D1
// (src/db/atomic.ts): the audit-seal job's batches seal the log; an action that needs a transaction is refused
// with the fix and changes nothing.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import { type DevServer, localD1File, run, startWranglerDev } from "./wrangler.js";

const feed = readFileSync(new URL("../fixtures/rss/google-alerts.xml", import.meta.url), "utf8");
const xPage = (name: string) => readFileSync(new URL(`../fixtures/x/${name}`, import.meta.url), "utf8");
const X_BEARER = "AAAAAAAAAAAAAAAAAAAAAEdgeWorkerTestBearerToken000000";

let persist: string;
let dev: DevServer;
let feedServer: TestServer;
let xServer: TestServer;
let d1: Client;
let cookie = "";
let csrf = "";

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
const RSS_SOURCE = 1;
const X_SOURCE = 2;

beforeAll(async () => {
  persist = mkdtempSync(join(tmpdir(), "rapport-workers-"));
  feedServer = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/atom+xml" });
    res.end(feed);
  });
  // X's recent search as the real API answers it: a first page with a next_token, then the last page.
  xServer = await startHttpServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (url.pathname !== "/2/tweets/search/recent" || req.headers.authorization !== `Bearer ${X_BEARER}`) {
      res.writeHead(401, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ title: "Unauthorized", status: 401, detail: "Unauthorized" }));
      return;
    }
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "x-rate-limit-limit": "450",
      "x-rate-limit-remaining": "440",
      "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 900),
    });
    res.end(xPage(url.searchParams.get("next_token") ? "search-page2.json" : "search-page1.json"));
  });
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  d1 = createClient({ url: `file:${localD1File(persist)}` });
  const hash = await hashPassword("worker-pass-123");
  await d1.batch(
    [
      "INSERT INTO workspaces (id, name, settings, created_at) VALUES (1, 'Edge Co', '{}', 0)",
      // Two audit entries for the audit-seal cron job to link into the workspace's chain.
      "INSERT INTO audit_log (workspace_id, actor_email, action, entity_type, entity_id, at) VALUES (1, 'system', 'source.add', 'source', '1', 0)",
      "INSERT INTO audit_log (workspace_id, actor_email, action, entity_type, entity_id, at) VALUES (1, 'system', 'source.add', 'source', '2', 0)",
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
      {
        sql: `INSERT INTO sources (workspace_id, brand_id, name, type, schedule, config, enabled, health, last_items, consecutive_failures, posting_enabled, dry_run, created_at)
              VALUES (1, 1, 'x search', 'x', '* * * * *', ?, 1, 'ok', 0, 0, 0, 1, 0)`,
        args: [
          JSON.stringify({
            query: '"Acme Recovery" OR @AcmeRecovery',
            bearerToken: X_BEARER,
            apiBaseUrl: `${xServer.url}/2`,
          }),
        ],
      },
    ],
    "write",
  );
  // The feed and X servers listen on 127.0.0.1, which the egress policy refuses unless allow-listed.
  dev = await startWranglerDev(persist, {
    RAPPORT_SECRET: "worker-secret-worker-secret-000000",
    EGRESS_ALLOW: "127.0.0.1,localhost",
  });
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  d1?.close();
  await feedServer?.close();
  await xServer?.close();
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
    csrf = ((await response.clone().json()) as { csrfToken: string }).csrfToken;
    const feedResponse = await fetch(`${dev.url}/api/mentions`, { headers: { cookie } });
    expect(feedResponse.status).toBe(200);
    expect(await feedResponse.json()).toEqual({ items: [], next: null });
  });

  it("fans a cron run out to the queue; the consumer polls the feed and X into D1 and classifies", async () => {
    const trigger = await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    expect(trigger.status).toBe(200);
    const stored = await waitFor(
      () => count("SELECT count(*) FROM mentions"),
      (n) => n >= 7,
    );
    expect(stored).toBe(7);
    expect(feedServer.requests.length).toBeGreaterThanOrEqual(1);
    expect(await count(`SELECT count(*) FROM mentions WHERE source_id = ${RSS_SOURCE}`)).toBe(2);
    // Both X pages: the second asked for with the first page's next_token.
    expect(await count(`SELECT count(*) FROM mentions WHERE source_id = ${X_SOURCE}`)).toBe(5);
    expect(xServer.requests.some((r) => r.url.includes("next_token="))).toBe(true);
    expect(
      await count("SELECT count(*) FROM mentions WHERE category IS NOT NULL AND routed_at IS NOT NULL"),
    ).toBe(7);
    expect(
      await count(
        `SELECT count(*) FROM mention_brands mb JOIN mentions m ON m.id = mb.mention_id WHERE m.source_id = ${RSS_SOURCE}`,
      ),
    ).toBe(2);
    const body = (await (
      await fetch(`${dev.url}/api/mentions?limit=50`, { headers: { cookie } })
    ).json()) as {
      items: { text: string }[];
    };
    const texts = body.items.map((i) => i.text);
    expect(texts).toContain(
      "Acme Recovery sued over robocalls\nConsumers say Acme Recovery called them dozens of times a day ...",
    );
    expect(texts.some((t) => t.includes("no validation notice"))).toBe(true);
  });

  it("stores nothing twice when the same poll message is delivered again", async () => {
    const countsBefore = await count("SELECT sum(count) FROM hourly_counts");
    // Make the sources due again, as a redelivered message would find them, and run the cron once more.
    await d1.execute("UPDATE sources SET last_run_at = NULL");
    const requestsBefore = feedServer.requests.length;
    const xRequestsBefore = xServer.requests.length;
    await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    await waitFor(
      async () => [feedServer.requests.length, xServer.requests.length] as const,
      ([rss, x]) => rss > requestsBefore && x > xRequestsBefore,
    );
    await waitFor(
      () => count("SELECT count(*) FROM job_runs WHERE status = 'ok' AND job = 'poll'"),
      (n) => n >= 4,
    );
    expect(await count("SELECT count(*) FROM mentions")).toBe(7);
    expect(await count("SELECT sum(count) FROM hourly_counts")).toBe(countsBefore);
  });

  it("seals the audit log on D1: the audit-seal cron job writes each step as one atomic batch", async () => {
    // The cron runs above included audit-seal; it leaves a job run, every seeded entry linked, and the head.
    const runs = await waitFor(
      () => count("SELECT count(*) FROM job_runs WHERE job = 'audit-seal' AND status = 'ok'"),
      (n) => n >= 1,
    );
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(await count("SELECT count(*) FROM job_runs WHERE job = 'audit-seal' AND status != 'ok'")).toBe(0);
    expect(
      await count("SELECT count(*) FROM audit_log WHERE action = 'source.add' AND hash IS NOT NULL"),
    ).toBe(2);
    const [head] = (await d1.execute("SELECT last_id, last_hash FROM audit_chain_heads WHERE chain = 'w1'"))
      .rows;
    const [last] = (
      await d1.execute(
        "SELECT id, hash FROM audit_log WHERE workspace_id = 1 AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
      )
    ).rows;
    expect([Number(head![0]), head![1]]).toEqual([Number(last![0]), last![1]]);
  });

  it("adds a note on D1: the note and its audit row are one batch, the row naming the note (last_insert_rowid)", async () => {
    const mentionId = await count("SELECT max(id) FROM mentions");
    const response = await fetch(`${dev.url}/api/mentions/${mentionId}/notes`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" },
      body: JSON.stringify({ body: "Called them back." }),
    });
    expect(response.status).toBeLessThan(300);
    const { id } = (await response.json()) as { id: number };
    const rows = (
      await d1.execute(`SELECT n.id, n.body, json_extract(a.after, '$.noteId'), a.entity_id FROM notes n
                        JOIN audit_log a ON a.action = 'mention.note' AND json_extract(a.after, '$.noteId') = n.id`)
    ).rows.map((r) => [Number(r[0]), r[1], Number(r[2]), r[3]]);
    expect(rows).toEqual([[id, "Called them back.", id, String(mentionId)]]);
  });

  it("refuses an action that needs a transaction on D1, naming the fix, and changes nothing", async () => {
    const mentionId = await count("SELECT min(id) FROM mentions");
    const statusBefore = (await d1.execute(`SELECT status FROM mentions WHERE id = ${mentionId}`))
      .rows[0]![0];
    const auditBefore = await count("SELECT count(*) FROM audit_log");
    const response = await fetch(`${dev.url}/api/mentions/status`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" },
      body: JSON.stringify({ ids: [mentionId], status: "escalated" }),
    });
    expect(response.status).toBe(501);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("unsupported");
    expect(error.message).toMatch(
      /^Changing a mention's status needs a database transaction, which Cloudflare D1 does not offer/,
    );
    expect(error.message).toContain("DATABASE_URL=libsql://");
    expect((await d1.execute(`SELECT status FROM mentions WHERE id = ${mentionId}`)).rows[0]![0]).toBe(
      statusBefore,
    );
    expect(await count("SELECT count(*) FROM audit_log")).toBe(auditBefore);
  });
});
