// Issue 19 over real HTTP (a server on 127.0.0.1, a temp database): a reply with a house-style gap is submitted,
// the approver cannot approve it without accepting each warning with a written reason, blocking rules can never
// be accepted, and the acceptance (who, which warnings, why) is in the audit log. The dashboard form does the same.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createWebTestContext,
  insertMention,
  PASSWORD,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { brands, replies } from "../../db/schema/index.js";

const NOW = new Date("2026-03-10T12:00:00Z");
/** Compliant, but says nothing kind: ok with an R_EMPATHY warning. */
const PLAIN = "Please contact us directly at 1-800-555-0100 so we can look into it. — Acme Recovery";

let ctx: WebTestContext;
let base: string;
let close: () => Promise<void>;

beforeEach(async () => {
  ctx = await createWebTestContext({}, () => NOW);
  const server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(async () => {
  await close();
  await ctx.deps.cleanup();
});

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(role: "responder" | "manager" | "admin"): Promise<Session> {
  const res = await fetch(`${base}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: ctx.users[role].email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!, csrf: body.csrfToken };
}

async function call(session: Session, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      "x-csrf-token": session.csrf,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field and checked by the test
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

/** The audit rows of one reply, read with plain SQL. */
async function auditOf(replyId: number) {
  const rows = await ctx.deps.db.all<{ action: string; actor_email: string; after: string | null }>(
    sql`SELECT action, actor_email, after FROM audit_log WHERE entity_type = 'reply' AND entity_id = ${String(replyId)} ORDER BY id`,
  );
  return rows.map((r) => ({
    action: r.action,
    by: r.actor_email,
    after: r.after ? JSON.parse(r.after) : null,
  }));
}

async function submittedPlainReply(responder: Session): Promise<number> {
  const mentionId = await insertMention(ctx, {
    text: "Nobody ever answers the phone.",
    category: "payment_service",
    relevant: true,
  });
  const created = await call(responder, "POST", `/api/mentions/${mentionId}/replies`, {
    origin: "manual",
    text: PLAIN,
  });
  expect(created.status).toBe(201);
  expect(created.body.lint).toMatchObject({ ok: true, violations: [] });
  expect(created.body.lint.warnings.map((w: { rule: string }) => w.rule)).toEqual(["R_EMPATHY"]);
  const replyId = created.body.reply.id as number;
  // A warning does not stop submission: the approver decides.
  expect((await call(responder, "POST", `/api/replies/${replyId}/submit`)).status).toBe(200);
  return replyId;
}

describe("accepting warnings when approving (issue 19)", () => {
  it("needs every warning accepted with a reason, never a blocking rule, and audits who, which and why", async () => {
    const responder = await signIn("responder");
    const manager = await signIn("manager");
    const replyId = await submittedPlainReply(responder);

    const bare = await call(manager, "POST", `/api/replies/${replyId}/approve`);
    expect(bare.status).toBe(409);
    expect(bare.body.error.message).toContain("R_EMPATHY · Empathy that admits nothing");
    expect(bare.body.error.details.warnings.map((w: { rule: string }) => w.rule)).toEqual(["R_EMPATHY"]);

    const withLaw = await call(manager, "POST", `/api/replies/${replyId}/approve`, {
      acceptWarnings: { rules: ["R_EMPATHY", "B1"], reason: "It is fine" },
    });
    expect(withLaw.status).toBe(400);
    expect(withLaw.body.error.message).toContain(
      "B1 · Confirms a relationship or a debt can never be accepted",
    );

    const noReason = await call(manager, "POST", `/api/replies/${replyId}/approve`, {
      acceptWarnings: { rules: ["R_EMPATHY"], reason: "   " },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain("acceptWarnings.reason");

    const [still] = await ctx.deps.db.select().from(replies).where(eq(replies.id, replyId));
    expect(still!.status).toBe("awaiting_approval");

    const reason = "A plain answer suits a service complaint; the team lead asked for it.";
    const approved = await call(manager, "POST", `/api/replies/${replyId}/approve`, {
      acceptWarnings: { rules: ["R_EMPATHY"], reason },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", approvedBy: ctx.users.manager.id });

    const audit = await auditOf(replyId);
    expect(audit.map((a) => `${a.action}:${a.by}`)).toEqual([
      "reply.draft:responder@example.com",
      "reply.submit:responder@example.com",
      "reply.warnings_accepted:manager@example.com",
      "reply.approve:manager@example.com",
    ]);
    const accepted = audit.find((a) => a.action === "reply.warnings_accepted")!.after;
    expect(accepted).toMatchObject({ rules: ["R_EMPATHY"], reason, text: PLAIN });
    expect(accepted.warnings).toEqual([
      {
        rule: "R_EMPATHY",
        message: expect.stringContaining("empathy"),
        start: PLAIN.length,
        end: PLAIN.length,
      },
    ]);
    expect(audit.at(-1)!.after.acceptedWarnings).toEqual({ rules: ["R_EMPATHY"], reason });

    // The lint runs are evidence: blocking-only verdicts, warnings kept beside them.
    const runs = await ctx.deps.db.all<{ ok: number; violations: string; warnings: string }>(
      sql`SELECT ok, violations, warnings FROM reply_lints WHERE reply_id = ${replyId} ORDER BY id`,
    );
    expect(runs.map((r) => [r.ok, JSON.parse(r.violations).length, JSON.parse(r.warnings)[0]?.rule])).toEqual(
      [
        [1, 0, "R_EMPATHY"],
        [1, 0, "R_EMPATHY"],
        [1, 0, "R_EMPATHY"],
      ],
    );

    const page = await fetch(`${base}/mentions/${approved.body.mentionId}/reply`, {
      headers: { cookie: manager.cookie },
    });
    const html = await page.text();
    expect(html).toContain('data-testid="accepted-warnings"');
    expect(html).toContain("R_EMPATHY · Empathy that admits nothing");
  });

  it("a blocking hit can never be accepted: the approval is stopped and the reply goes back to draft", async () => {
    const responder = await signIn("responder");
    const manager = await signIn("manager");
    const replyId = await submittedPlainReply(responder);
    // The brand stops owning the number in the reply: it becomes someone else's phone (B4, blocking).
    await ctx.deps.db.update(brands).set({ contacts: [] }).where(eq(brands.id, ctx.deps.companyBrandId));
    const refused = await call(manager, "POST", `/api/replies/${replyId}/approve`, {
      acceptWarnings: { rules: ["B4"], reason: "It is our new number" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("B4 · Personal data can never be accepted");
    const stopped = await call(manager, "POST", `/api/replies/${replyId}/approve`, {
      acceptWarnings: { rules: ["R_EMPATHY", "R_PRIVATE_CHANNEL"], reason: "Plain is fine" },
    });
    expect(stopped.status).toBe(409);
    expect(stopped.body.error.details.violations.map((v: { rule: string }) => v.rule)).toEqual(["B4"]);
    const [back] = await ctx.deps.db.select().from(replies).where(eq(replies.id, replyId));
    expect(back!.status).toBe("draft");
    expect((await auditOf(replyId)).map((a) => a.action)).not.toContain("reply.warnings_accepted");
  });

  it("the dashboard form asks for the warnings and a reason, and approves with them", async () => {
    const responder = await signIn("responder");
    const manager = await signIn("manager");
    const replyId = await submittedPlainReply(responder);
    const [row] = await ctx.deps.db.select().from(replies).where(eq(replies.id, replyId));
    const panel = `/mentions/${row!.mentionId}/reply`;

    const page = await (await fetch(`${base}${panel}`, { headers: { cookie: manager.cookie } })).text();
    expect(page).toContain('data-testid="accept-warnings"');
    expect(page).toContain('name="accept" value="R_EMPATHY"');
    expect(page).toContain("Approve, accepting the warnings");

    const form = (fields: Record<string, string>) =>
      fetch(`${base}/replies/${replyId}/approve`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: manager.cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: manager.csrf, ...fields }).toString(),
      });
    const unticked = await form({});
    expect(unticked.status).toBe(303);
    expect(decodeURIComponent(unticked.headers.get("location") ?? "")).toContain(
      "Accept the warnings with a written reason before approving",
    );
    const done = await form({ accept: "R_EMPATHY", acceptReason: "Service complaint; plain is right here." });
    expect(done.status).toBe(303);
    expect(decodeURIComponent(done.headers.get("location") ?? "")).toContain(
      "Approved, with the warnings accepted",
    );
    const rows = await ctx.deps.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'reply.warnings_accepted' AND actor_email = 'manager@example.com' AND entity_id = ${String(replyId)}`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it("is documented in /api/openapi.json: warnings from the lint endpoint, the acceptance body of approve", async () => {
    const manager = await signIn("manager");
    const doc = (await call(manager, "GET", "/api/openapi.json")).body;
    const approve = doc.paths["/api/replies/{id}/approve"].post;
    const body = approve.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(["acceptWarnings"]);
    expect(body.properties.acceptWarnings.properties.rules.items.enum).toContain("R_EMPATHY");
    expect(JSON.stringify(approve)).toContain("manager");
    expect(JSON.stringify(approve)).not.toContain("responder");
    expect(doc.paths["/api/replies/lint"].post.summary).toContain("warnings");
  });
});
