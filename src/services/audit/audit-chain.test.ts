// The audit log's hash chain in a real database, after a real reply went through draft, four-eyes approval and
// posting: sealed, verified, tampered with in SQL, and exported for an examiner.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { sealAuditLog, verifyAuditLog } from "./audit-chain.js";

let ctx: WebTestContext;
let mentionId: number;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), "rapport-evidence-"));

async function api(role: "responder" | "manager", method: string, path: string, body?: unknown) {
  const session = await login(ctx, role);
  return ctx.app.request(path, authed(session, { method, ...(body ? { body: JSON.stringify(body) } : {}) }));
}

beforeAll(async () => {
  ctx = await createWebTestContext();
  env = {
    DATABASE_URL: ctx.deps.env.DATABASE_URL,
    RAPPORT_DEMO: "0",
    LOG_LEVEL: "silent",
    RAPPORT_SECRET: ctx.deps.env.RAPPORT_SECRET,
  };
  mentionId = await insertMention(ctx, {
    text: "Acme Recovery keeps calling my work about a debt I don't owe",
    category: "communication_tactics",
    severity: "medium",
    relevant: true,
  });
  const drafted = await api("responder", "POST", `/api/mentions/${mentionId}/replies`, {
    origin: "template",
  });
  const { reply } = (await drafted.json()) as { reply: { id: number } };
  expect((await api("responder", "POST", `/api/replies/${reply.id}/submit`)).status).toBe(200);
  expect((await api("manager", "POST", `/api/replies/${reply.id}/approve`)).status).toBe(200);
  const posted = await api("responder", "POST", `/api/replies/${reply.id}/post`, {
    confirmManual: true,
    postedUrl: "https://example.com/posts/1#reply",
  });
  expect(posted.status).toBe(200);
});
afterAll(async () => {
  await ctx.deps.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("audit chain", () => {
  it("seals every entry once, and a second run seals nothing", async () => {
    const [{ n }] = (await ctx.deps.db.all(sql`SELECT count(*) AS n FROM audit_log`)) as [{ n: number }];
    expect(n).toBeGreaterThan(3);
    expect(await sealAuditLog(ctx.deps.db, ctx.deps.env.RAPPORT_SECRET)).toEqual({ sealed: n, refused: [] });
    expect(await sealAuditLog(ctx.deps.db, ctx.deps.env.RAPPORT_SECRET)).toEqual({ sealed: 0, refused: [] });
    const reports = await verifyAuditLog(ctx.deps.db, ctx.deps.env.RAPPORT_SECRET);
    expect(reports.reduce((sum, r) => sum + r.sealed, 0)).toBe(n);
    expect(reports.flatMap((r) => r.problems)).toEqual([]);
  });

  it("rapport audit verify says the chain is intact, then names an entry changed in SQL and exits 1", async () => {
    const intact = await runCli(["audit", "verify"], { env });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/entries intact; head [0-9a-f]{64}/);

    const [approval] = (await ctx.deps.db.all(
      sql`SELECT id FROM audit_log WHERE action = 'reply.approve' ORDER BY id LIMIT 1`,
    )) as [{ id: number }];
    await ctx.deps.db.run(
      sql`UPDATE audit_log SET actor_email = 'someone-else@example.com' WHERE id = ${approval.id}`,
    );
    const altered = await runCli(["audit", "verify"], { env });
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain(`entry ${approval.id} (reply.approve) was changed after it was sealed`);
    expect(altered.stderr).toContain("altered");
    await ctx.deps.db.run(
      sql`UPDATE audit_log SET actor_email = 'manager@example.com' WHERE id = ${approval.id}`,
    );
    expect((await runCli(["audit", "verify"], { env })).code).toBe(0);
  });

  it("notices an entry removed from the middle of the chain", async () => {
    const rows = (await ctx.deps.db.all(sql`SELECT id FROM audit_log ORDER BY id`)) as { id: number }[];
    const victim = rows[1]!.id;
    await ctx.deps.db.run(sql`CREATE TEMP TABLE kept AS SELECT * FROM audit_log WHERE id = ${victim}`);
    await ctx.deps.db.run(sql`DELETE FROM audit_log WHERE id = ${victim}`);
    const removed = await runCli(["audit", "verify"], { env });
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain(`entry ${rows[2]!.id} does not follow the entry before it`);
    await ctx.deps.db.run(sql`INSERT INTO audit_log SELECT * FROM kept`);
    expect((await runCli(["audit", "verify"], { env })).code).toBe(0);
  });
});

describe("rapport audit export", () => {
  it("bundles the mention, the reply with every lint verdict, who did what, and the chain hashes", async () => {
    const html = join(dir, "evidence.html");
    const run = await runCli(["audit", "export", "--mention", String(mentionId), "--html", html], { env });
    expect(run.code).toBe(0);
    const [bundle] = JSON.parse(run.stdout) as {
      mention: { id: number; text: string };
      replies: {
        status: string;
        author: string;
        approvedBy: string;
        postedUrl: string;
        lintRuns: { ok: boolean }[];
      }[];
      audit: { action: string; actor: string; hash: string | null }[];
    }[];
    expect(bundle!.mention.id).toBe(mentionId);
    expect(bundle!.replies).toEqual([
      expect.objectContaining({
        status: "posted",
        author: "responder@example.com",
        approvedBy: "manager@example.com",
        postedUrl: "https://example.com/posts/1#reply",
      }),
    ]);
    expect(bundle!.replies[0]!.lintRuns.length).toBeGreaterThan(0);
    // Every audit row about the mention and its reply, as plain SQL finds them, is in the bundle, sealed.
    const expected = (await ctx.deps.db.all(
      sql`SELECT action FROM audit_log WHERE (entity_type = 'mention' AND entity_id = ${String(mentionId)})
          OR (entity_type = 'reply' AND entity_id IN (SELECT CAST(id AS TEXT) FROM replies WHERE mention_id = ${mentionId}))
          ORDER BY id`,
    )) as { action: string }[];
    expect(bundle!.audit.map((a) => a.action)).toEqual(expected.map((e) => e.action));
    expect(bundle!.audit.every((a) => a.hash !== null)).toBe(true);
    const page = readFileSync(html, "utf8");
    expect(page).toContain("<h1>Evidence export</h1>");
    expect(page).toContain("manager@example.com");
    expect(page).not.toContain("<script");
  });

  it("refuses a bad date or mention id by name", async () => {
    expect((await runCli(["audit", "export", "--from", "yesterday-ish"], { env })).stderr).toContain(
      '--from "yesterday-ish" is not a date',
    );
    expect((await runCli(["audit", "export", "--mention", "abc"], { env })).stderr).toContain(
      '--mention "abc" is not a mention id',
    );
  });
});

describe("the same in the API, for admins", () => {
  it("GET /api/audit/verify reports the admin's workspace chain; GET /api/audit/evidence gives the bundles", async () => {
    const admin = await login(ctx, "admin");
    const verify = await ctx.app.request("/api/audit/verify", authed(admin));
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({
      problems: [],
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const evidence = await ctx.app.request(`/api/audit/evidence?mention=${mentionId}`, authed(admin));
    const { items } = (await evidence.json()) as { items: { mention: { id: number } }[] };
    expect(items.map((b) => b.mention.id)).toEqual([mentionId]);
    const page = await ctx.app.request(`/api/audit/evidence?mention=${mentionId}&format=html`, authed(admin));
    expect(page.headers.get("content-type")).toContain("text/html");
    const manager = await login(ctx, "manager");
    expect((await ctx.app.request("/api/audit/verify", authed(manager))).status).toBe(403);
    expect((await ctx.app.request("/api/audit/evidence", authed(manager))).status).toBe(403);
  });
});

describe("attacks on the chain with only the database", () => {
  const secret = () => ctx.deps.env.RAPPORT_SECRET;
  const rows = async () =>
    (await ctx.deps.db.all(sql`SELECT id, hash FROM audit_log ORDER BY id`)) as {
      id: number;
      hash: string;
    }[];

  it("unsealing entries to have the job seal them again: the job refuses and verify names it", async () => {
    await sealAuditLog(ctx.deps.db, secret());
    const all = await rows();
    const from = all[2]!.id;
    const saved = (await ctx.deps.db.all(
      sql`SELECT id, prev_hash AS prev, hash, actor_email AS actor FROM audit_log WHERE id >= ${from}`,
    )) as { id: number; prev: string; hash: string; actor: string }[];
    await ctx.deps.db.run(sql`UPDATE audit_log SET actor_email = 'mallory@example.com' WHERE id = ${from}`);
    await ctx.deps.db.run(sql`UPDATE audit_log SET hash = NULL, prev_hash = NULL WHERE id >= ${from}`);
    expect((await sealAuditLog(ctx.deps.db, secret())).sealed).toBe(0);
    const verified = await runCli(["audit", "verify"], { env });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/should end at entry \d+/);
    for (const r of saved) {
      await ctx.deps.db.run(
        sql`UPDATE audit_log SET prev_hash = ${r.prev}, hash = ${r.hash}, actor_email = ${r.actor} WHERE id = ${r.id}`,
      );
    }
    expect((await runCli(["audit", "verify"], { env })).code).toBe(0);
  });

  it("cutting off the newest entry: verify names it", async () => {
    await sealAuditLog(ctx.deps.db, secret());
    const all = await rows();
    const last = all[all.length - 1]!;
    await ctx.deps.db.run(sql`CREATE TEMP TABLE newest AS SELECT * FROM audit_log WHERE id = ${last.id}`);
    await ctx.deps.db.run(sql`DELETE FROM audit_log WHERE id = ${last.id}`);
    const verified = await runCli(["audit", "verify"], { env });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`should end at entry ${last.id}`);
    await ctx.deps.db.run(sql`INSERT INTO audit_log SELECT * FROM newest`);
    expect((await runCli(["audit", "verify"], { env })).code).toBe(0);
  });

  it("a planted purge record is not taken as the start of the chain", async () => {
    const all = await rows();
    const firstKept = (await ctx.deps.db.all(
      sql`SELECT prev_hash AS prev FROM audit_log WHERE id = ${all[2]!.id}`,
    )) as [{ prev: string }];
    const saved = (await ctx.deps.db.all(sql`SELECT * FROM audit_log WHERE id < ${all[2]!.id}`)) as unknown[];
    expect(saved).toHaveLength(2);
    await ctx.deps.db.run(sql`CREATE TEMP TABLE oldest AS SELECT * FROM audit_log WHERE id < ${all[2]!.id}`);
    await ctx.deps.db.run(sql`DELETE FROM audit_log WHERE id < ${all[2]!.id}`);
    await ctx.deps.db.run(
      sql`INSERT INTO audit_log (workspace_id, actor_email, action, entity_type, entity_id, after, at)
          VALUES (${ctx.deps.workspaceId}, 'system', 'audit.purged', 'audit_log', '2',
                  ${JSON.stringify({ throughId: all[1]!.id, throughHash: firstKept[0].prev, mac: "0".repeat(64) })}, ${Date.now()})`,
    );
    const verified = await runCli(["audit", "verify"], { env });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain("does not follow the entry before it");
    await ctx.deps.db.run(sql`DELETE FROM audit_log WHERE action = 'audit.purged'`);
    await ctx.deps.db.run(sql`INSERT INTO audit_log SELECT * FROM oldest`);
    expect((await runCli(["audit", "verify"], { env })).code).toBe(0);
  });
});

describe("retention", () => {
  it("a purge of entries past three years keeps the chain verifiable and is itself in the chain", async () => {
    const { runPurge } = await import("../../jobs/purge.js");
    await sealAuditLog(ctx.deps.db, ctx.deps.env.RAPPORT_SECRET);
    const fourYearsOn = new Date(Date.now() + 4 * 366 * 86_400_000);
    const report = await runPurge(ctx.deps, fourYearsOn);
    expect(report.audit).toBeGreaterThan(0);
    const left = (await ctx.deps.db.all(sql`SELECT action FROM audit_log ORDER BY id`)) as {
      action: string;
    }[];
    expect(left.map((r) => r.action)).toContain("audit.purged");
    await sealAuditLog(ctx.deps.db, ctx.deps.env.RAPPORT_SECRET);
    const verified = await runCli(["audit", "verify"], { env });
    expect(verified.stdout).not.toContain("problem");
    expect(verified.code).toBe(0);
  });
});
