// The race issue 17 found in rejectReply: it checked the status, then updated without a guard, so a reply posted
// between the check and the update flipped to "rejected" while its text stood on the platform. The poster here
// commits exactly in that window: after the rejecter has read the reply, before its transaction opens.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withWriteBeforeTransaction } from "../../../test/helpers/race.js";
import { actorOf, submittedReply } from "../../../test/replies/helpers.js";
import { createWebTestContext, type WebTestContext } from "../../../test/web/helpers.js";
import { auditLog, mentions, replies } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { acquireLease, releaseLease } from "../../platform/jobs/lease.js";
import { loadReply, threadKeyOf } from "./context.js";
import { markNotPosted, postingLease } from "./post.js";
import { rejectReply } from "./reject.js";

const NOW = new Date("2026-03-10T12:00:00Z");
let ctx: WebTestContext;

beforeEach(async () => {
  ctx = await createWebTestContext({}, () => NOW);
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

describe("rejecting a reply", () => {
  it("does not flip a reply that was posted between the check and the update", async () => {
    const { mentionId, replyId } = await submittedReply(ctx, { approve: true });
    const reply = { id: replyId };

    // The poster: marks the approved reply posted (as postReply's guarded update does) and the mention with it.
    const post = async () => {
      await ctx.deps.db
        .update(replies)
        .set({ status: "posted", postedBy: ctx.users.responder.id, postedAt: NOW, postedVia: "manual" })
        .where(eq(replies.id, reply.id));
      await ctx.deps.db.update(mentions).set({ status: "posted" }).where(eq(mentions.id, mentionId));
    };
    const admin = actorOf(ctx, "admin");
    const racing = { ...ctx.deps, db: withWriteBeforeTransaction(ctx.deps.db, post) } as Deps;

    const error = await rejectReply(racing, admin, reply.id, "tone").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("conflict");
    expect((error as AppError).message).toMatch(/posted/);

    const [row] = await ctx.deps.db.select().from(replies).where(eq(replies.id, reply.id));
    expect(row!.status).toBe("posted");
    const [mention] = await ctx.deps.db.select().from(mentions).where(eq(mentions.id, mentionId));
    expect(mention!.status).toBe("posted");
    const rejections = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, "reply.reject"));
    expect(rejections).toEqual([]);
  });
  it("refuses while the reply is being posted (the post holds the thread's lease)", async () => {
    const { replyId } = await submittedReply(ctx, { approve: true });
    const reply = { id: replyId };
    const { mention } = await loadReply(ctx.deps.db, ctx.deps.workspaceId, reply.id);
    expect(await acquireLease(ctx.deps.db, postingLease(threadKeyOf(mention)), "poster", 60_000, NOW)).toBe(
      true,
    );

    const admin = actorOf(ctx, "admin");
    const error = await rejectReply(ctx.deps, admin, reply.id, "tone").catch((e: unknown) => e);
    expect((error as AppError).message).toContain("being posted right now");
    const [row] = await ctx.deps.db.select().from(replies).where(eq(replies.id, reply.id));
    expect(row!.status).toBe("approved");
  });

  it("'not posted' waits while the post that started is still in flight (it may yet publish the reply)", async () => {
    const { replyId } = await submittedReply(ctx, { approve: true });
    await ctx.deps.db.update(replies).set({ status: "posting" }).where(eq(replies.id, replyId));
    const { mention } = await loadReply(ctx.deps.db, ctx.deps.workspaceId, replyId);
    expect(await acquireLease(ctx.deps.db, postingLease(threadKeyOf(mention)), "poster", 60_000, NOW)).toBe(
      true,
    );

    const admin = actorOf(ctx, "admin");
    const error = await markNotPosted(ctx.deps, admin, replyId).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("conflict");
    expect((error as AppError).message).toContain("being posted right now");
    const [row] = await ctx.deps.db.select().from(replies).where(eq(replies.id, replyId));
    expect(row!.status).toBe("posting");

    // Once the post has let go of the thread (it died), a person's check may send it back.
    await releaseLease(ctx.deps.db, postingLease(threadKeyOf(mention)), "poster");
    expect((await markNotPosted(ctx.deps, admin, replyId)).status).toBe("approved");
  });
});
