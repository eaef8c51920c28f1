// Undo puts back exactly the states an action replaced (status, when it changed, the SLA's first response, the
// assignee), audits it, and refuses — undoing nothing — when anything changed since, twice, too late, or for
// someone else.
import { eq, inArray, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import type { AuthUser } from "../../auth/types.js";
import { auditLog, mentions } from "../../db/schema/index.js";
import { assignMentions } from "./assign-mentions.js";
import { changeStatus } from "./change-status.js";
import { describeStatusChange, findUndo, UNDO_WINDOW_MS, undoAction } from "./undo.js";

let clock = new Date(Date.UTC(2026, 2, 10, 8, 0));
let ctx: WebTestContext;
let responder: AuthUser;
let manager: AuthUser;
beforeEach(async () => {
  clock = new Date(Date.UTC(2026, 2, 10, 8, 0));
  ctx = await createWebTestContext({}, () => clock);
  const ws = ctx.deps.workspaceId;
  responder = { ...ctx.users.responder, role: "responder", workspaceId: ws, name: "" };
  manager = { ...ctx.users.manager, role: "manager", workspaceId: ws, name: "" };
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const later = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

/** The full rows, as plain SQL reads them. */
async function rows(ids: number[]) {
  return ctx.deps.db.all<Record<string, unknown>>(
    sql`SELECT id, status, status_changed_at, first_response_at, assignee_id FROM mentions WHERE id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) ORDER BY id`,
  );
}

describe("undo", () => {
  it("restores a bulk dismissal exactly, near-duplicates and SLA first response included, and audits it", async () => {
    const head = await insertMention(ctx, { text: "a", relevant: true, severity: "high" });
    const dup = await insertMention(ctx, { text: "a again", groupId: head });
    const triaged = await insertMention(ctx, { text: "b", status: "triaged" });
    const answered = await insertMention(ctx, { text: "c", status: "escalated" });
    await ctx.deps.db
      .update(mentions)
      .set({
        firstResponseAt: new Date(clock.getTime() - 3_600_000),
        statusChangedAt: new Date(1_000),
        assigneeId: manager.id,
      })
      .where(eq(mentions.id, answered));
    const all = [head, dup, triaged, answered];
    const before = await rows(all);

    later(60_000);
    const result = await changeStatus(ctx.deps, responder, {
      ids: [head, triaged, answered],
      status: "dismissed",
    });
    expect(result.undo?.summary).toBe("Dismissed 3 mentions and 1 near-duplicate");
    const dismissed = await rows(all);
    expect(dismissed.map((r) => r.status)).toEqual(["dismissed", "dismissed", "dismissed", "dismissed"]);
    // Dismissing stopped the clock of the unanswered ones: undo must start it again.
    expect(dismissed[0]!.first_response_at).toBe(clock.getTime());

    later(30_000);
    const undone = await undoAction(ctx.deps, responder, result.undo!.id);
    expect(undone.summary).toBe("Undone: dismissed 3 mentions and 1 near-duplicate");
    expect(await rows(all)).toEqual(before);

    const audit = await ctx.deps.db
      .select({ entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(
        sql`${auditLog.action} = 'mention.status' AND json_extract(${auditLog.after}, '$.undid') IS NOT NULL`,
      );
    expect(audit.map((a) => Number(a.entityId)).sort((a, b) => a - b)).toEqual(all);
    expect(audit.find((a) => Number(a.entityId) === triaged)).toMatchObject({
      before: { status: "dismissed" },
      after: { status: "triaged", undid: result.undo!.id },
    });

    // Once only.
    await expect(undoAction(ctx.deps, responder, result.undo!.id)).rejects.toThrow(/Already undone/);
    expect(await findUndo(ctx.deps, responder, result.undo!.id)).toEqual({
      id: result.undo!.id,
      summary: "Undone: dismissed 3 mentions and 1 near-duplicate",
      canUndo: false,
    });
  });

  it("refuses and changes nothing when one of the mentions changed since", async () => {
    const a = await insertMention(ctx, { text: "a" });
    const b = await insertMention(ctx, { text: "b" });
    const result = await changeStatus(ctx.deps, responder, { ids: [a, b], status: "escalated" });
    later(1_000);
    // A colleague takes one on in between.
    await changeStatus(ctx.deps, manager, { ids: [b], status: "drafting" });
    const between = await rows([a, b]);
    await expect(undoAction(ctx.deps, responder, result.undo!.id)).rejects.toThrow(
      /Nothing was undone: mention \d+ \(now drafting\) changed since "escalated 2 mentions"/,
    );
    expect(await rows([a, b])).toEqual(between);
  });

  it("refuses a change back and forth too: the status is the same but it moved since", async () => {
    const a = await insertMention(ctx, { text: "a" });
    const result = await changeStatus(ctx.deps, responder, { ids: [a], status: "dismissed" });
    later(1_000);
    await changeStatus(ctx.deps, manager, { ids: [a], status: "triaged" });
    later(1_000);
    await changeStatus(ctx.deps, manager, { ids: [a], status: "dismissed" });
    await expect(undoAction(ctx.deps, responder, result.undo!.id)).rejects.toThrow(/Nothing was undone/);
  });

  it("undoes an assignment to the previous assignee", async () => {
    const a = await insertMention(ctx, { text: "a" });
    const b = await insertMention(ctx, { text: "b" });
    await ctx.deps.db.update(mentions).set({ assigneeId: manager.id }).where(eq(mentions.id, a));
    const result = await assignMentions(ctx.deps, responder, { ids: [a, b], assignee: "me" });
    expect(result.undo?.summary).toBe("Assigned 2 mentions to you");
    await undoAction(ctx.deps, responder, result.undo!.id);
    const after = await ctx.deps.db
      .select({ id: mentions.id, assigneeId: mentions.assigneeId })
      .from(mentions)
      .where(inArray(mentions.id, [a, b]))
      .orderBy(mentions.id);
    expect(after).toEqual([
      { id: a, assigneeId: manager.id },
      { id: b, assigneeId: null },
    ]);
  });

  it("is one's own, and only for a while", async () => {
    const a = await insertMention(ctx, { text: "a" });
    const result = await changeStatus(ctx.deps, responder, { ids: [a], status: "triaged" });
    expect(result.undo?.summary).toBe(`Marked as triaged mention ${a}`);
    await expect(undoAction(ctx.deps, manager, result.undo!.id)).rejects.toThrow(/not found/);
    expect(await findUndo(ctx.deps, manager, result.undo!.id)).toBeNull();
    expect(await findUndo(ctx.deps, responder, result.undo!.id)).toEqual({ ...result.undo, canUndo: true });
    later(UNDO_WINDOW_MS + 1);
    expect(await findUndo(ctx.deps, responder, result.undo!.id)).toEqual({ ...result.undo, canUndo: false });
    await expect(undoAction(ctx.deps, responder, result.undo!.id)).rejects.toThrow(/Too late to undo/);
    expect((await rows([a]))[0]!.status).toBe("triaged");
  });

  it("names what it did", () => {
    expect(describeStatusChange([4], [4], "escalated")).toBe("Escalated mention 4");
    expect(describeStatusChange([4, 5], [4, 5], "drafting")).toBe("Moved 2 mentions to drafting");
    expect(describeStatusChange([4, 9], [4], "dismissed")).toBe("Dismissed mention 4 and 1 near-duplicate");
  });
});
