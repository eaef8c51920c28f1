// Posting through a platform's API never posts twice: a failure injected after the platform published the reply
// (its answer is lost before the reply is marked posted) leaves the reply `posting`, a retry refuses, and a person
// finishes it after checking the platform. The platform is a local Trustpilot that records every reply it gets.
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHttpServer, type TestServer } from "../../../test/helpers/http-server.js";
import { actorOf, addTrustpilotSource, REVIEW_ID, TOKEN_PATH } from "../../../test/replies/helpers.js";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, mentions, replies } from "../../db/schema/index.js";
import { markNotPosted, postReply } from "./post.js";

const NOW = new Date("2026-03-10T12:00:00Z");
let ctx: WebTestContext;
let platform: TestServer;
/** How the local platform answers a reply: published (201), refused (403), or published then a 502. */
let answer: "publish" | "refuse" | "publish-then-502" = "publish";

beforeEach(async () => {
  answer = "publish";
  ctx = await createWebTestContext({}, () => NOW);
  platform = await startHttpServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === TOKEN_PATH) {
      res.end(
        JSON.stringify({ access_token: "tp-access-token", expires_in: "359999", token_type: "BearerToken" }),
      );
      return;
    }
    if (req.method === "POST" && req.url?.endsWith("/reply")) {
      res.statusCode = answer === "publish" ? 201 : answer === "refuse" ? 403 : 502;
      res.end(answer === "refuse" ? JSON.stringify({ message: "Forbidden" }) : "{}");
      return;
    }
    res.statusCode = 404;
    res.end("{}");
  });
});
afterEach(async () => {
  await platform.close();
  await ctx.deps.cleanup();
});

/** Reply requests the platform received. */
const received = () => platform.requests.filter((r) => r.method === "POST" && r.url.endsWith("/reply"));

async function approvedReply(): Promise<number> {
  const sourceId = await addTrustpilotSource(ctx, platform.url);
  const mentionId = await insertMention(ctx, {
    text: "They keep calling my mother about a bill. Awful.",
    sourceId,
    category: "communication_tactics",
    relevant: true,
    severity: "medium",
    threadId: REVIEW_ID,
    authorHandle: "jane_r",
  });
  await ctx.deps.db.update(mentions).set({ replyTarget: REVIEW_ID }).where(eq(mentions.id, mentionId));
  const responder = await login(ctx, "responder");
  const manager = await login(ctx, "manager");
  const created = await ctx.app.request(
    `/api/mentions/${mentionId}/replies`,
    authed(responder, { method: "POST", body: JSON.stringify({ origin: "template" }) }),
  );
  const { reply } = (await created.json()) as { reply: { id: number } };
  await ctx.app.request(`/api/replies/${reply.id}/submit`, authed(responder, { method: "POST" }));
  const approved = await ctx.app.request(
    `/api/replies/${reply.id}/approve`,
    authed(manager, { method: "POST" }),
  );
  expect(approved.status).toBe(200);
  return reply.id;
}

const statusOf = async (replyId: number) =>
  (await ctx.deps.db.select({ status: replies.status }).from(replies).where(eq(replies.id, replyId)))[0]!
    .status;

/** The crash: the database refuses to record the reply as posted, after the platform has published it. */
const failMarkingPosted = () =>
  ctx.deps.db.run(
    sql.raw(`CREATE TRIGGER crash_after_platform BEFORE UPDATE OF status ON replies WHEN NEW.status = 'posted'
             BEGIN SELECT RAISE(ABORT, 'process died after the platform answered'); END`),
  );
const recover = () => ctx.deps.db.run(sql.raw("DROP TRIGGER crash_after_platform"));

describe("posting through the API", () => {
  it("posts once when the process fails between the platform's answer and the update, and a retry refuses", async () => {
    const replyId = await approvedReply();
    const responder = actorOf(ctx, "responder");
    await failMarkingPosted();
    const crash = (await postReply(ctx.deps, responder, { replyId }).catch((e: unknown) => e)) as Error;
    expect(String(crash.cause ?? crash)).toContain("process died after the platform answered");
    expect(received()).toHaveLength(1);
    expect(await statusOf(replyId)).toBe("posting");
    await recover();

    // Before this status existed the reply was still "approved" here, and this retry posted it a second time.
    await expect(postReply(ctx.deps, responder, { replyId })).rejects.toThrow(/posting — check the platform/);
    expect(received()).toHaveLength(1);

    // The API and the page say the same, in words.
    const session = await login(ctx, "responder");
    const viaApi = await ctx.app.request(
      `/api/replies/${replyId}/post`,
      authed(session, { method: "POST", body: "{}" }),
    );
    expect(viaApi.status).toBe(409);
    expect(((await viaApi.json()) as { error: { message: string } }).error.message).toContain(
      "check the platform",
    );
    const [row] = await ctx.deps.db.select().from(replies).where(eq(replies.id, replyId));
    const page = await ctx.app.request(`/mentions/${row!.mentionId}/reply`, authed(session, {}));
    const html = await page.text();
    expect(html).toContain("posting — check the platform");
    expect(html).toContain("It is there: mark posted");

    // A person finds it on the platform and confirms it: posted, still one request to the platform.
    const confirmed = await postReply(ctx.deps, responder, {
      replyId,
      confirmManual: true,
      postedUrl: "https://www.trustpilot.com/reviews/6640d1c4e2a1b7f3a9c01234",
    });
    expect(confirmed).toMatchObject({ status: "posted", postedVia: "api" });
    expect(received()).toHaveLength(1);
    const [mention] = await ctx.deps.db.select().from(mentions).where(eq(mentions.id, confirmed.mentionId));
    expect(mention!.status).toBe("posted");
    const trail = await ctx.deps.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(sql`entity_type = 'reply' AND entity_id = ${String(replyId)}`)
      .orderBy(auditLog.id);
    expect(trail.map((t) => t.action).filter((a) => a.startsWith("reply.post"))).toEqual([
      "reply.posting",
      "reply.post",
    ]);
  });

  it("posts again only after a person marks an interrupted post as not on the platform", async () => {
    const replyId = await approvedReply();
    const responder = actorOf(ctx, "responder");
    answer = "publish-then-502"; // the platform published it, then its answer was a 502: outcome unknown
    await expect(postReply(ctx.deps, responder, { replyId })).rejects.toThrow(/did not confirm the reply/);
    expect(await statusOf(replyId)).toBe("posting");
    expect(received()).toHaveLength(1);

    // Say a person looked and it is not there (the platform dropped it): back to approved, then posted once more.
    expect((await markNotPosted(ctx.deps, responder, replyId)).status).toBe("approved");
    answer = "publish";
    expect((await postReply(ctx.deps, responder, { replyId })).status).toBe("posted");
    expect(received()).toHaveLength(2);
    await expect(markNotPosted(ctx.deps, responder, replyId)).rejects.toThrow(
      "A posted reply cannot be marked as not posted",
    );
  });

  it("goes back to approved when the platform clearly refuses, so it can be posted later", async () => {
    const replyId = await approvedReply();
    const responder = actorOf(ctx, "responder");
    answer = "refuse";
    await expect(postReply(ctx.deps, responder, { replyId })).rejects.toThrow(/refused the reply/);
    expect(await statusOf(replyId)).toBe("approved");
    expect(received()).toHaveLength(1);
    const [failed] = await ctx.deps.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(sql`action = 'reply.post_failed' AND entity_id = ${String(replyId)}`);
    expect(failed).toBeDefined();
    answer = "publish";
    expect((await postReply(ctx.deps, responder, { replyId })).status).toBe("posted");
    expect(received()).toHaveLength(2);
  });
});
