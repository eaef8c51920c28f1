// Undo for triage actions (status changes and assignments, one mention or a bulk selection): the action records
// each mention's state before and after it, in the same transaction; the toast's Undo puts back exactly the
// states it replaced — status, when the status last changed, the SLA's first response, the assignee — and
// refuses, undoing nothing, when any of those mentions changed since. Both directions are audited.
import { and, eq, inArray, lt } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { mentions, sources, type UndoChange, undoActions } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import type { MentionStatus } from "../../domain/taxonomy.js";
import { badRequest, conflict, notFound } from "../../errors.js";
import { type AuditEntry, type DbOrTx, recordAuditMany } from "../audit/record-audit.js";

/** How long an action can be undone. The toast shows for a few seconds; a page without the script shows the
 * notice until the person moves on, so the server allows a little longer. */
export const UNDO_WINDOW_MS = 10 * 60_000;
/** Undo records are kept this long, then deleted as new ones are written. */
/** How long a person's undo record is kept (the purge deletes older ones for everyone, people who left too). */
export const UNDO_KEEP_MS = 24 * 3_600_000;
const KEEP_MS = UNDO_KEEP_MS;

export type MentionState = UndoChange["before"];

export interface UndoHandle {
  id: number;
  /** What the action did, in words: "Dismissed 3 mentions". */
  summary: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const words = (status: string) => status.replace(/_/g, " ");

const STATUS_VERBS: Partial<Record<MentionStatus, string>> = {
  dismissed: "Dismissed",
  escalated: "Escalated",
  resolved: "Resolved",
  triaged: "Marked as triaged",
};

/** "mention 12", "3 mentions", "mention 12 and 2 near-duplicates": the mentions asked for, then those that came
 * along as near-duplicates of them (one decision covers a group). */
function mentionsNamed(changed: number[], asked: number[]): string {
  const wanted = new Set(asked);
  const direct = changed.filter((id) => wanted.has(id));
  const extra = changed.length - direct.length;
  const main =
    direct.length === 0
      ? plural(changed.length, "mention")
      : direct.length === 1
        ? `mention ${direct[0]}`
        : plural(direct.length, "mention");
  return direct.length > 0 && extra > 0 ? `${main} and ${plural(extra, "near-duplicate")}` : main;
}

/** "Dismissed 3 mentions", "Escalated mention 12", "Moved 2 mentions to drafting". */
export function describeStatusChange(changed: number[], asked: number[], status: MentionStatus): string {
  const what = mentionsNamed(changed, asked);
  const verb = STATUS_VERBS[status];
  return verb ? `${verb} ${what}` : `Moved ${what} to ${words(status)}`;
}

/** "Assigned 3 mentions to you", "Unassigned mention 4", "Assigned mention 4 to dana@example.com". */
export function describeAssignment(changed: number[], asked: number[], assignee: string | null): string {
  const what = mentionsNamed(changed, asked);
  return assignee === null ? `Unassigned ${what}` : `Assigned ${what} to ${assignee}`;
}

/** The undoable state of some mentions, read inside the action's transaction. */
export async function readStates(db: DbOrTx, ids: number[]): Promise<Map<number, MentionState>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: mentions.id,
      status: mentions.status,
      statusChangedAt: mentions.statusChangedAt,
      firstResponseAt: mentions.firstResponseAt,
      assigneeId: mentions.assigneeId,
    })
    .from(mentions)
    .where(inArray(mentions.id, ids));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        status: r.status,
        statusChangedAt: r.statusChangedAt?.getTime() ?? null,
        firstResponseAt: r.firstResponseAt?.getTime() ?? null,
        assigneeId: r.assigneeId,
      },
    ]),
  );
}

/**
 * Records an action for undo, inside its transaction: `before` as read before it wrote; the after states are
 * read now. Also deletes this person's undo records older than a day.
 */
export async function recordUndo(
  tx: DbOrTx,
  actor: AuthUser,
  summary: string,
  before: Map<number, MentionState>,
  now: Date,
): Promise<UndoHandle | null> {
  if (before.size === 0) return null;
  const after = await readStates(tx, [...before.keys()]);
  const changes: UndoChange[] = [...before].flatMap(([id, state]) => {
    const now = after.get(id);
    return now ? [{ id, before: state, after: now }] : [];
  });
  await tx
    .delete(undoActions)
    .where(
      and(eq(undoActions.userId, actor.id), lt(undoActions.createdAt, new Date(now.getTime() - KEEP_MS))),
    );
  const [row] = await tx
    .insert(undoActions)
    .values({ workspaceId: actor.workspaceId, userId: actor.id, summary, changes, createdAt: now })
    .returning({ id: undoActions.id });
  return { id: row!.id, summary };
}

/** What a page says after an action or an undo, for a page shown without the script (POST-redirect-GET). */
export interface UndoNotice {
  id: number;
  /** "Dismissed 3 mentions", or "Undone: dismissed 3 mentions" once undone. */
  summary: string;
  /** Still possible: not undone yet, and within the window. */
  canUndo: boolean;
}

/** One of the person's own recent actions, for the notice; null for anyone else's or a day-old one. */
export async function findUndo(deps: Deps, actor: AuthUser, id: number): Promise<UndoNotice | null> {
  const [row] = await deps.db
    .select({
      id: undoActions.id,
      summary: undoActions.summary,
      createdAt: undoActions.createdAt,
      undoneAt: undoActions.undoneAt,
    })
    .from(undoActions)
    .where(
      and(
        eq(undoActions.id, id),
        eq(undoActions.userId, actor.id),
        eq(undoActions.workspaceId, actor.workspaceId),
      ),
    );
  if (!row || deps.now().getTime() - row.createdAt.getTime() > KEEP_MS) return null;
  if (row.undoneAt) return { id: row.id, summary: `Undone: ${lowerFirst(row.summary)}`, canUndo: false };
  const fresh = deps.now().getTime() - row.createdAt.getTime() <= UNDO_WINDOW_MS;
  return { id: row.id, summary: row.summary, canUndo: fresh };
}

const same = (a: MentionState, b: MentionState) =>
  a.status === b.status &&
  a.statusChangedAt === b.statusChangedAt &&
  a.firstResponseAt === b.firstResponseAt &&
  a.assigneeId === b.assigneeId;

export interface UndoResult {
  restored: number[];
  /** "Undone: dismissed 3 mentions". */
  summary: string;
}

export async function undoAction(deps: Deps, actor: AuthUser, id: number): Promise<UndoResult> {
  assertCan(actor.role, "triage", "change a mention");
  return inTransaction(deps.db, "undoing an action", async (tx) => {
    const [action] = await tx
      .select()
      .from(undoActions)
      .where(
        and(
          eq(undoActions.id, id),
          eq(undoActions.userId, actor.id),
          eq(undoActions.workspaceId, actor.workspaceId),
        ),
      );
    // Only one's own actions: someone else's is as good as absent.
    if (!action) throw notFound("Action to undo");
    if (action.undoneAt) throw conflict(`Already undone: ${lowerFirst(action.summary)}`);
    const now = deps.now();
    if (now.getTime() - action.createdAt.getTime() > UNDO_WINDOW_MS)
      throw badRequest(
        `Too late to undo "${lowerFirst(action.summary)}" (undo works for ${UNDO_WINDOW_MS / 60_000} minutes): change the mentions themselves instead`,
      );
    const ids = action.changes.map((c) => c.id);
    // The workspace again, by join: the record names mention ids, the mentions must still be this workspace's.
    const present = new Set(
      (
        await tx
          .select({ id: mentions.id })
          .from(mentions)
          .innerJoin(sources, eq(sources.id, mentions.sourceId))
          .where(and(inArray(mentions.id, ids), eq(sources.workspaceId, actor.workspaceId)))
      ).map((r) => r.id),
    );
    const current = await readStates(tx, [...present]);
    const moved = action.changes.filter((c) => {
      const state = current.get(c.id);
      return !state || !same(state, c.after);
    });
    if (moved.length > 0) {
      const named = moved
        .slice(0, 5)
        .map((c) => {
          const state = current.get(c.id);
          return state ? `mention ${c.id} (now ${words(state.status)})` : `mention ${c.id} (gone)`;
        })
        .join(", ");
      throw conflict(
        `Nothing was undone: ${named}${moved.length > 5 ? ` and ${moved.length - 5} more` : ""} changed since "${lowerFirst(action.summary)}". Open ${moved.length === 1 ? "it" : "them"} and change what you need by hand.`,
        { changed: moved.map((c) => c.id) },
      );
    }
    const entries: AuditEntry[] = [];
    for (const change of action.changes) {
      const b = change.before;
      await tx
        .update(mentions)
        .set({
          status: b.status,
          statusChangedAt: b.statusChangedAt === null ? null : new Date(b.statusChangedAt),
          firstResponseAt: b.firstResponseAt === null ? null : new Date(b.firstResponseAt),
          assigneeId: b.assigneeId,
        })
        .where(eq(mentions.id, change.id));
      const a = change.after;
      if (a.status !== b.status)
        entries.push({
          actor: { id: actor.id, email: actor.email },
          action: "mention.status",
          entityType: "mention",
          entityId: change.id,
          before: { status: a.status },
          after: { status: b.status, undid: action.id },
          at: now,
        });
      if (a.assigneeId !== b.assigneeId)
        entries.push({
          actor: { id: actor.id, email: actor.email },
          action: "mention.assign",
          entityType: "mention",
          entityId: change.id,
          before: { assigneeId: a.assigneeId },
          after: { assigneeId: b.assigneeId, undid: action.id },
          at: now,
        });
    }
    await recordAuditMany(tx, entries);
    await tx.update(undoActions).set({ undoneAt: now }).where(eq(undoActions.id, action.id));
    return { restored: ids, summary: `Undone: ${lowerFirst(action.summary)}` };
  });
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
