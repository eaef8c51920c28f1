// The reply life cycle through the JSON API: lint contract, draft → blocked → fixed → submitted → approved by a
// second manager → posted through the connector, four eyes, one public reply per thread, human-only mentions,
// evidence and audit.
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestServer } from "../../../test/helpers/http-server.js";
import {
  addTrustpilotSource,
  REVIEW_ID,
  setPosting,
  startFakeTrustpilot,
} from "../../../test/replies/helpers.js";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, brands, cases, mentions, replies, replyLints } from "../../db/schema/index.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const CLEAN =
  "We're sorry to hear about this experience. We'd like to look into it. Please reach our team privately at 1-800-555-0100 and mention this post. — Acme Recovery";

let ctx: WebTestContext;
let platform: TestServer;
let sourceId: number;
let responder: Session;
let manager: Session;
let admin: Session;

beforeEach(async () => {
  ctx = await createWebTestContext({}, () => NOW);
  platform = await startFakeTrustpilot();
  sourceId = await addTrustpilotSource(ctx, platform.url);
  responder = await login(ctx, "responder");
  manager = await login(ctx, "manager");
  admin = await login(ctx, "admin");
});
afterEach(async () => {
  await platform.close();
  await ctx.deps.cleanup();
});

const api = (session: Session, method: string, path: string, body?: unknown) =>
  ctx.app.request(
    path,
    authed(session, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );

async function reviewMention(extra: { flags?: string[]; threadId?: string; category?: string } = {}) {
  const id = await insertMention(ctx, {
    text: "They keep calling my mother about a bill. Awful.",
    sourceId,
    category: extra.category ?? "communication_tactics",
    relevant: true,
    severity: "medium",
    flags: extra.flags ?? [],
    threadId: extra.threadId ?? REVIEW_ID,
    authorHandle: "jane_r",
    authorKey: "author-jane",
  });
  await ctx.deps.db
    .update(mentions)
    .set({ replyTarget: REVIEW_ID, sentiment: -0.8 })
    .where(eq(mentions.id, id));
  return id;
}

describe("POST /api/replies/lint", () => {
  it("answers {ok, violations, warnings} with offsets, knows the brand, and needs a session", async () => {
    const bad = await api(responder, "POST", "/api/replies/lint", {
      text: "Hi, your balance of $1,240 is past due. Call us to set up a payment plan. — Acme Recovery",
      platform: "google",
      brand: "Acme Recovery",
    });
    expect(bad.status).toBe(200);
    const badBody = (await bad.json()) as {
      ok: boolean;
      violations: { rule: string; start: number; end: number }[];
    };
    expect(badBody.ok).toBe(false);
    const rules = new Set(badBody.violations.map((v) => v.rule));
    for (const rule of ["B1", "B2", "B8"]) expect(rules).toContain(rule);
    const amount = badBody.violations.find((v) => v.rule === "B2")!;
    expect("Hi, your balance of $1,240 is past due.".slice(amount.start, amount.end)).toContain("1,240");

    const good = await api(responder, "POST", "/api/replies/lint", {
      text: CLEAN,
      platform: "trustpilot",
      brand: "acme-recovery",
    });
    expect(await good.json()).toEqual({ ok: true, violations: [], warnings: [] });

    // Issue 19: no empathy phrase is house style, not law: ok, with a warning at the end where the words would go.
    const plain = "Please contact us directly at 1-800-555-0100 so we can look into it. — Acme Recovery";
    const warned = (await (
      await api(responder, "POST", "/api/replies/lint", { text: plain, platform: "trustpilot" })
    ).json()) as {
      ok: boolean;
      violations: unknown[];
      warnings: { rule: string; title: string; start: number }[];
    };
    expect(warned.ok).toBe(true);
    expect(warned.violations).toEqual([]);
    expect(warned.warnings.map((w) => [w.rule, w.title, w.start])).toEqual([
      ["R_EMPATHY", "Empathy that admits nothing", plain.length],
    ]);

    const client = await api(responder, "POST", "/api/replies/lint", {
      text: CLEAN.replace("We'd like", "Big Bank would like"),
      platform: "trustpilot",
    });
    expect(
      ((await client.json()) as { violations: { rule: string }[] }).violations.map((v) => v.rule),
    ).toContain("B3");

    const x = await api(responder, "POST", "/api/replies/lint", {
      text: `${CLEAN} ${"Thanks again. ".repeat(20)}`,
      platform: "x",
    });
    const long = (await x.json()) as { ok: boolean; warnings: { rule: string }[] };
    expect(long.ok).toBe(true);
    expect(long.warnings.map((v) => v.rule)).toContain("R_LENGTH");

    const anonymous = await ctx.app.request("/api/replies/lint", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: CLEAN, platform: "x", brand: "Acme Recovery" }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("reply life cycle", () => {
  it("draft → blocked → fixed → submitted → approved by a second manager → posted via the platform API", async () => {
    const mentionId = await reviewMention();
    const created = await api(responder, "POST", `/api/mentions/${mentionId}/replies`, {
      origin: "template",
    });
    expect(created.status).toBe(201);
    const draft = (await created.json()) as {
      reply: { id: number; text: string; origin: string };
      lint: { ok: boolean };
    };
    expect(draft.reply.origin).toBe("template");
    expect(draft.lint.ok).toBe(true);
    expect(draft.reply.text).toContain("Acme Recovery");
    const replyId = draft.reply.id;

    const blockedText = `${draft.reply.text} Your account balance is $300.`;
    const edited = (await (
      await api(responder, "PATCH", `/api/replies/${replyId}`, { text: blockedText })
    ).json()) as {
      lint: { ok: boolean; violations: { rule: string }[] };
    };
    expect(edited.lint.ok).toBe(false);
    expect(edited.lint.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(["B1", "B2"]));
    const refused = await api(responder, "POST", `/api/replies/${replyId}/submit`);
    expect(refused.status).toBe(409);

    const fixed = (await (
      await api(responder, "PATCH", `/api/replies/${replyId}`, { text: CLEAN })
    ).json()) as { lint: { ok: boolean } };
    expect(fixed.lint.ok).toBe(true);
    expect((await api(responder, "POST", `/api/replies/${replyId}/submit`)).status).toBe(200);
    expect((await ctx.deps.db.select().from(mentions).where(eq(mentions.id, mentionId)))[0]!.status).toBe(
      "awaiting_approval",
    );

    // A responder cannot approve, whatever the reply.
    const byResponder = await api(responder, "POST", `/api/replies/${replyId}/approve`);
    expect(byResponder.status).toBe(403);
    expect((await api(manager, "POST", `/api/replies/${replyId}/approve`)).status).toBe(200);

    const posted = await api(responder, "POST", `/api/replies/${replyId}/post`, {});
    expect(posted.status).toBe(200);
    const row = (await posted.json()) as {
      status: string;
      postedVia: string;
      postedText: string;
      postedExternalId: string;
    };
    expect(row).toMatchObject({
      status: "posted",
      postedVia: "api",
      postedText: CLEAN,
      postedExternalId: `${REVIEW_ID}/reply`,
    });

    const replyRequests = platform.requests.filter((r) => r.url.endsWith("/reply"));
    expect(replyRequests).toHaveLength(1);
    expect(replyRequests[0]).toMatchObject({ method: "POST", url: `/v1/private/reviews/${REVIEW_ID}/reply` });
    expect(replyRequests[0]!.headers.authorization).toBe("Bearer tp-access-token");
    expect(JSON.parse(replyRequests[0]!.body)).toEqual({ message: CLEAN });

    const [mention] = await ctx.deps.db.select().from(mentions).where(eq(mentions.id, mentionId));
    expect(mention!.status).toBe("posted");
    expect(mention!.firstResponseAt?.getTime()).toBe(NOW.getTime());
    const [opened] = await ctx.deps.db.select().from(cases).where(eq(cases.rootMentionId, mentionId));
    expect(opened).toMatchObject({ authorKey: "author-jane", initialSentiment: -0.8, replyId });
    expect(mention!.caseId).toBe(opened!.id);

    // Evidence: every lint run (draft, blocked edit, refused submit, fix, submit, approval) with who ran it.
    const lints = await ctx.deps.db
      .select()
      .from(replyLints)
      .where(eq(replyLints.replyId, replyId))
      .orderBy(replyLints.id);
    expect(lints.map((l) => l.ok)).toEqual([true, false, false, true, true, true]);
    expect(lints[1]!.text).toBe(blockedText);
    expect(lints[2]!.text).toBe(blockedText);
    const actions = (
      await ctx.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, "reply"), eq(auditLog.entityId, String(replyId))))
        .orderBy(auditLog.id)
    ).map((a) => `${a.action}:${a.actorEmail}`);
    expect(actions).toEqual([
      "reply.draft:responder@example.com",
      "reply.edit:responder@example.com",
      // The blocked submit, counted by supervision (src/services/compliance/supervision.ts).
      "reply.submit_blocked:responder@example.com",
      "reply.edit:responder@example.com",
      "reply.submit:responder@example.com",
      "reply.approve:manager@example.com",
      // Written before the platform call, so a crash after it cannot lead to a second post (post.test.ts).
      "reply.posting:responder@example.com",
      "reply.post:responder@example.com",
    ]);
    // The mention's page tells the same story in sentences, its replies' steps included.
    const page = await (await ctx.app.request(`/mentions/${mentionId}`, authed(manager))).text();
    for (const sentence of [
      "responder@example.com drafted the reply from a template",
      "responder@example.com sent the reply for approval.",
      "manager@example.com approved the reply.",
      "responder@example.com posted the reply.",
    ])
      expect(page).toContain(sentence);
    expect(page).not.toContain("reply.approve");

    // One public reply per thread: a later mention in the same review thread cannot get a second one.
    const sameThread = await reviewMention();
    const second = await api(responder, "POST", `/api/mentions/${sameThread}/replies`, {
      origin: "template",
    });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { message: string } }).error.message).toContain(
      "one public reply per thread",
    );
  });

  it("four eyes counts writers only: a manager whose approval the linter stopped may approve the fixed reply", async () => {
    const mentionId = await reviewMention();
    const { reply } = (await (
      await api(responder, "POST", `/api/mentions/${mentionId}/replies`, { origin: "template" })
    ).json()) as { reply: { id: number; text: string } };
    expect((await api(responder, "POST", `/api/replies/${reply.id}/submit`)).status).toBe(200);
    // The brand stops owning the phone number in the reply: the approval is stopped and the reply goes back.
    const [brand] = await ctx.deps.db.select().from(brands).where(eq(brands.id, ctx.deps.companyBrandId));
    await ctx.deps.db.update(brands).set({ contacts: [] }).where(eq(brands.id, brand!.id));
    const stopped = await api(manager, "POST", `/api/replies/${reply.id}/approve`);
    expect(stopped.status).toBe(409);
    expect(((await stopped.json()) as { error: { message: string } }).error.message).toContain(
      "no longer passes the linter",
    );
    await ctx.deps.db.update(brands).set({ contacts: brand!.contacts }).where(eq(brands.id, brand!.id));
    const [back] = await ctx.deps.db.select().from(replies).where(eq(replies.id, reply.id));
    expect(back!.status).toBe("draft");
    const [mentionBack] = await ctx.deps.db.select().from(mentions).where(eq(mentions.id, mentionId));
    expect(mentionBack!.status).toBe("drafting");
    const stoppedAudit = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "reply.approval_stopped"), eq(auditLog.entityId, String(reply.id))));
    expect(stoppedAudit.map((a) => a.actorEmail)).toEqual(["manager@example.com"]);
    expect((await api(responder, "POST", `/api/replies/${reply.id}/submit`)).status).toBe(200);
    expect((await api(manager, "POST", `/api/replies/${reply.id}/approve`)).status).toBe(200);
  });

  it("four eyes: the author or an editor cannot approve, even as a manager", async () => {
    const mentionId = await reviewMention();
    const { reply } = (await (
      await api(manager, "POST", `/api/mentions/${mentionId}/replies`, { origin: "template" })
    ).json()) as {
      reply: { id: number };
    };
    expect((await api(manager, "POST", `/api/replies/${reply.id}/submit`)).status).toBe(200);
    const self = await api(manager, "POST", `/api/replies/${reply.id}/approve`);
    expect(self.status).toBe(403);
    expect(((await self.json()) as { error: { message: string } }).error.message).toContain("Four eyes");
    // An admin who edits it becomes a writer too and may no longer approve.
    await api(admin, "PATCH", `/api/replies/${reply.id}`, { text: CLEAN });
    await api(admin, "POST", `/api/replies/${reply.id}/submit`);
    expect((await api(admin, "POST", `/api/replies/${reply.id}/approve`)).status).toBe(403);
    expect((await api(manager, "POST", `/api/replies/${reply.id}/approve`)).status).toBe(403);
    const [row] = await ctx.deps.db.select().from(replies).where(eq(replies.id, reply.id));
    expect(row!.status).toBe("awaiting_approval");
  });

  it("dry run records what would be posted and sends nothing; manual needs a confirmation", async () => {
    await setPosting(ctx, sourceId, true, true);
    const mentionId = await reviewMention();
    const { reply } = (await (
      await api(responder, "POST", `/api/mentions/${mentionId}/replies`, { origin: "template" })
    ).json()) as {
      reply: { id: number };
    };
    await api(responder, "POST", `/api/replies/${reply.id}/submit`);
    await api(manager, "POST", `/api/replies/${reply.id}/approve`);
    const posted = (await (await api(responder, "POST", `/api/replies/${reply.id}/post`, {})).json()) as {
      postedVia: string;
    };
    expect(posted.postedVia).toBe("dry_run");
    expect(platform.requests).toHaveLength(0);

    await setPosting(ctx, sourceId, false, false);
    const other = await reviewMention({ threadId: "another-review" });
    const { reply: second } = (await (
      await api(responder, "POST", `/api/mentions/${other}/replies`, { origin: "template" })
    ).json()) as {
      reply: { id: number };
    };
    await api(responder, "POST", `/api/replies/${second.id}/submit`);
    await api(manager, "POST", `/api/replies/${second.id}/approve`);
    expect((await api(responder, "POST", `/api/replies/${second.id}/post`, {})).status).toBe(400);
    // Only an http(s) address is stored as the reply's link: a javascript: or data: URL is refused by name.
    const hostile = await api(responder, "POST", `/api/replies/${second.id}/post`, {
      confirmManual: true,
      postedUrl: "javascript:alert(document.cookie)",
    });
    expect(hostile.status).toBe(400);
    expect(((await hostile.json()) as { error: { message: string } }).error.message).toContain(
      "http(s) link",
    );
    const manual = await api(responder, "POST", `/api/replies/${second.id}/post`, {
      confirmManual: true,
      postedUrl: "https://www.trustpilot.com/reviews/another-review",
    });
    expect(await manual.json()).toMatchObject({
      status: "posted",
      postedVia: "manual",
      postedUrl: "https://www.trustpilot.com/reviews/another-review",
    });
    expect(platform.requests).toHaveLength(0);
  });

  it("mentions that need a person get no template or draft until a manager takes them over", async () => {
    const mentionId = await reviewMention({ flags: ["cease_contact", "attorney"] });
    const refused = await api(responder, "POST", `/api/mentions/${mentionId}/replies`, {
      origin: "template",
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      "cease_contact",
    );

    const page = await (await ctx.app.request(`/mentions/${mentionId}/reply`, authed(responder))).text();
    expect(page).toContain("A person must handle this mention");
    expect(page).toContain("FDCPA §805(c)");
    expect(page).toContain("Ask a manager to take it over");
    expect(page).not.toContain("Draft from template");

    expect((await api(responder, "POST", `/api/mentions/${mentionId}/takeover`)).status).toBe(403);
    expect((await api(manager, "POST", `/api/mentions/${mentionId}/takeover`)).status).toBe(200);
    expect(
      (await api(manager, "POST", `/api/mentions/${mentionId}/replies`, { origin: "template" })).status,
    ).toBe(403);
    expect(
      (await api(manager, "POST", `/api/mentions/${mentionId}/replies`, { origin: "claude" })).status,
    ).toBe(403);
    expect(
      (await api(responder, "POST", `/api/mentions/${mentionId}/replies`, { origin: "manual", text: CLEAN }))
        .status,
    ).toBe(403);
    const own = await api(manager, "POST", `/api/mentions/${mentionId}/replies`, {
      origin: "manual",
      text: CLEAN,
    });
    expect(own.status).toBe(201);
    expect(((await own.json()) as { reply: { origin: string } }).reply.origin).toBe("manual");
  });

  it("documents the reply and account API in /api/openapi.json", async () => {
    const doc = (await (await ctx.app.request("/api/openapi.json", authed(responder))).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths["/api/replies/lint"]?.post).toBeDefined();
    expect(doc.paths["/api/replies/{id}/approve"]?.post).toBeDefined();
    expect(doc.paths["/api/mentions/{id}/replies"]?.post).toBeDefined();
    expect(doc.paths["/api/accounts"]?.post).toBeDefined();
    expect(doc.paths["/api/mentions/{id}/links"]?.get).toBeDefined();
  });
});
