// Approval reads the reply, lints it and checks four eyes, then updates. If the writer edits and resubmits in
// between, the status is the same again, so the update must also hold on to the text it checked: the new text
// is never approved on the old text's lint and accepted warnings.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withWriteBeforeTransaction } from "../../../test/helpers/race.js";
import { actorOf, submittedReply } from "../../../test/replies/helpers.js";
import { createWebTestContext, type WebTestContext } from "../../../test/web/helpers.js";
import { auditLog, replies } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { approveReply } from "./approve.js";

const NOW = new Date("2026-03-10T12:00:00Z");
let ctx: WebTestContext;

beforeEach(async () => {
  ctx = await createWebTestContext({}, () => NOW);
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

describe("approving a reply", () => {
  it("refuses when the text changed between the check and the update (edit and resubmit)", async () => {
    const { replyId } = await submittedReply(ctx);
    const reply = { id: replyId };

    const editAndResubmit = async () => {
      await ctx.deps.db
        .update(replies)
        .set({ text: "Your balance of $420 is past due." })
        .where(eq(replies.id, reply.id));
    };
    const manager = actorOf(ctx, "manager");
    const racing = { ...ctx.deps, db: withWriteBeforeTransaction(ctx.deps.db, editAndResubmit) } as Deps;
    const error = await approveReply(racing, manager, reply.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain("edited meanwhile");

    const [row] = await ctx.deps.db.select().from(replies).where(eq(replies.id, reply.id));
    expect(row!.status).toBe("awaiting_approval");
    expect(row!.approvedBy).toBeNull();
    expect(await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, "reply.approve"))).toEqual([]);
  });
});
