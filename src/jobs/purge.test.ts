// Retention: unanswered, unlinked mentions older than RETENTION_DAYS are deleted; answered ones stay as evidence
// (minus the platform's raw payload) until three years after the reply, then go with their lint runs.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../test/web/helpers.js";
import { markD1 } from "../db/atomic.js";
import {
  accountLinks,
  accounts,
  cases,
  mentions,
  notes,
  outbox,
  replies,
  replyLints,
  undoActions,
} from "../db/schema/index.js";
import { runPurge } from "./purge.js";

const NOW = new Date("2030-01-01T00:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
let ctx: WebTestContext;

beforeEach(async () => {
  ctx = await createWebTestContext({ RETENTION_DAYS: "30" }, () => NOW);
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

async function answered(createdDaysAgo: number, replyDaysAgo: number) {
  const id = await insertMention(ctx, { text: `answered ${createdDaysAgo}`, createdAt: ago(createdDaysAgo) });
  await ctx.deps.db
    .update(mentions)
    .set({ raw: { platform: "payload" } })
    .where(eq(mentions.id, id));
  const at = ago(replyDaysAgo);
  const [reply] = await ctx.deps.db
    .insert(replies)
    .values({
      mentionId: id,
      threadKey: `t:${id}`,
      authorId: ctx.users.responder.id,
      origin: "template",
      text: "Sorry to hear this.",
      status: "posted",
      postedAt: at,
      postedText: "Sorry to hear this.",
      postedVia: "manual",
      approvedBy: ctx.users.manager.id,
      approvedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await ctx.deps.db.insert(replyLints).values({
    replyId: reply!.id,
    userId: ctx.users.responder.id,
    text: "Sorry to hear this.",
    ok: true,
    violations: [],
    createdAt: at,
  });
  await ctx.deps.db.insert(cases).values({ rootMentionId: id, replyId: reply!.id, openedAt: at });
  return { id, replyId: reply!.id };
}

describe("purge", () => {
  // On a D1 handle any interactive transaction is refused (src/db/atomic.ts): the purge is one atomic batch.
  it.each(["libSQL", "D1"])(
    "deletes what is not evidence after RETENTION_DAYS and evidence after three years (%s)",
    async (driver) => {
      const fresh = await insertMention(ctx, { text: "yesterday", createdAt: ago(1) });
      const stale = await insertMention(ctx, { text: "two months ago, never answered", createdAt: ago(60) });
      await ctx.deps.db
        .insert(notes)
        .values({ mentionId: stale, userId: ctx.users.manager.id, body: "looked at it" });
      const suggestedOnly = await insertMention(ctx, {
        text: "old, a suggestion nobody confirmed",
        createdAt: ago(90),
      });
      const [account] = await ctx.deps.db
        .insert(accounts)
        .values({ workspaceId: ctx.deps.workspaceId, reference: "R-1", displayName: "X" })
        .returning();
      await ctx.deps.db.insert(accountLinks).values({
        mentionId: suggestedOnly,
        accountId: account!.id,
        score: 70,
        evidence: [],
        status: "suggested",
        createdAt: ago(90),
      });
      const linked = await insertMention(ctx, { text: "old, linked by a person", createdAt: ago(90) });
      await ctx.deps.db.insert(accountLinks).values({
        mentionId: linked,
        accountId: account!.id,
        score: 90,
        evidence: [],
        status: "confirmed",
        createdAt: ago(90),
      });
      const evidence = await answered(400, 399);
      await answered(1200, 1100); // evidence past its three years
      await ctx.deps.db.insert(outbox).values([
        {
          kind: "webhook",
          idempotencyKey: "old-sent",
          destination: "http://x",
          payload: {},
          status: "sent",
          nextAttemptAt: ago(90),
          createdAt: ago(90),
        },
        {
          kind: "webhook",
          idempotencyKey: "old-failed",
          destination: "http://x",
          payload: {},
          status: "failed",
          nextAttemptAt: ago(90),
          createdAt: ago(90),
        },
      ]);

      const undoRow = (userId: number, createdAt: Date) => ({
        workspaceId: ctx.deps.workspaceId,
        userId,
        summary: "Marked 1 mention resolved",
        changes: [],
        createdAt,
      });
      await ctx.deps.db
        .insert(undoActions)
        .values([
          undoRow(ctx.users.responder.id, ago(2)),
          undoRow(ctx.users.admin.id, new Date(NOW.getTime() - 3_600_000)),
        ]);

      if (driver === "D1") markD1(ctx.deps.db);
      const report = await runPurge(ctx.deps, NOW);
      expect(report).toMatchObject({ mentions: 3, replies: 1, outbox: 1 });

      const left = (await ctx.deps.db.select({ id: mentions.id, raw: mentions.raw }).from(mentions))
        .map((m) => m.id)
        .sort((a, b) => a - b);
      expect(left).toEqual([fresh, linked, evidence.id].sort((a, b) => a - b));
      const [kept] = await ctx.deps.db.select().from(mentions).where(eq(mentions.id, evidence.id));
      expect(kept!.raw).toBeNull();
      expect((await ctx.deps.db.select().from(replies)).map((r) => r.id)).toEqual([evidence.replyId]);
      expect((await ctx.deps.db.select().from(replyLints)).map((l) => l.replyId)).toEqual([evidence.replyId]);
      expect(await ctx.deps.db.select().from(notes)).toEqual([]);
      expect((await ctx.deps.db.select().from(outbox)).map((o) => o.idempotencyKey)).toEqual(["old-failed"]);
      // A two-day-old undo record goes even though its person never acted again; the last hour's stays.
      expect((await ctx.deps.db.select().from(undoActions)).map((u) => u.userId)).toEqual([
        ctx.users.admin.id,
      ]);

      // Idempotent.
      expect(await runPurge(ctx.deps, NOW)).toMatchObject({ mentions: 0, replies: 0, outbox: 0 });
    },
  );
});
