// The one way a reply changes status: the step comes from the transition table (src/domain/replies/transitions.ts);
// the update applies only while the reply is still in the status the caller checked (UPDATE … WHERE status =
// expected), and the mention's move and the audit row commit with it or not at all. Zero rows updated means
// someone else moved the reply first: the caller gets a conflict that says what happened instead of
// overwriting it (a rejection racing a post once flipped a posted reply to "rejected").
import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import { replies } from "../../db/schema/index.js";
import { assertCan } from "../../domain/permissions.js";
import {
  ACTION_PERMISSION,
  changedMeanwhile,
  type ReplyAction,
  type ReplyStatus,
  type ReplyTransition,
  refusal,
  replyTransition,
} from "../../domain/replies/transitions.js";
import { conflict } from "../../errors.js";
import { type DbOrTx, recordAudit } from "../audit/record-audit.js";
import { moveMention } from "./move-mention.js";

export type ReplyRow = typeof replies.$inferSelect;

const DOING: Record<ReplyAction, string> = {
  edit: "edit replies",
  submit: "submit replies",
  approve: "approve a public reply",
  stop: "approve a public reply",
  reject: "reject a reply",
  start_post: "post replies",
  post: "post replies",
  post_failed: "post replies",
  not_posted: "post replies",
};

/** The step in words, for the refusal on a database without transactions (src/db/atomic.ts). */
const ACTION_WORDS: Record<ReplyAction, string> = {
  edit: "editing a reply",
  submit: "submitting a reply",
  approve: "approving a reply",
  stop: "sending a reply back",
  reject: "rejecting a reply",
  start_post: "starting to post a reply",
  post: "recording a posted reply",
  post_failed: "recording a refused post",
  not_posted: "marking a reply not posted",
};

/** Refuses a person whose role may never take this action; call it before doing any work for the action. */
export function assertMayTake(viewer: AuthUser, action: ReplyAction, step?: ReplyTransition): void {
  assertCan(viewer.role, step?.by ?? ACTION_PERMISSION[action], DOING[action]);
}

/** The step `action` takes from `from`; a conflict naming the statuses it can start from otherwise. */
export function stepFor(from: ReplyStatus, action: ReplyAction): ReplyTransition {
  const step = replyTransition(from, action);
  if (!step) throw conflict(refusal(from, action));
  return step;
}

export interface TransitionOptions {
  /** The status the caller read and checked: the update applies only if the reply is still in it. */
  from: ReplyStatus;
  /**
   * The text the caller read and checked (linted, approved, posted): the update applies only if the reply still
   * has it, so an edit and resubmit in between is never approved or posted on the old text's checks.
   */
  text?: string;
  now: Date;
  /** Columns the step sets besides the status (text, lint, approvedBy, posted…). */
  set?: Partial<Omit<typeof replies.$inferInsert, "id" | "status">>;
  audit?: { before?: unknown; after?: unknown };
  /** The first public answer stops the mention's SLA clock (posting). */
  firstResponseAt?: Date;
  /** Writes that belong to the same step (a lint run, the follow-up case): same transaction. */
  also?: (tx: DbOrTx, row: ReplyRow) => Promise<void>;
}

export async function transitionReply(
  db: Db,
  viewer: AuthUser,
  replyId: number,
  action: ReplyAction,
  options: TransitionOptions,
): Promise<ReplyRow> {
  const step = stepFor(options.from, action);
  assertMayTake(viewer, action, step);
  const actor = { id: viewer.id, email: viewer.email };
  const { now } = options;
  return inTransaction(db, ACTION_WORDS[action], async (tx) => {
    let row: ReplyRow | undefined;
    try {
      [row] = await tx
        .update(replies)
        .set({ ...options.set, status: step.to, updatedAt: now })
        .where(
          and(
            eq(replies.id, replyId),
            eq(replies.status, options.from),
            options.text === undefined ? undefined : eq(replies.text, options.text),
          ),
        )
        .returning();
    } catch (error) {
      // The partial unique index allows one posted reply per thread: another one got there first.
      if (String(error).includes("UNIQUE")) throw conflict("The thread already has a public reply (B11)");
      throw error;
    }
    if (!row) {
      const [current] = await tx
        .select({ status: replies.status, text: replies.text })
        .from(replies)
        .where(eq(replies.id, replyId));
      if (
        current &&
        current.status === options.from &&
        options.text !== undefined &&
        current.text !== options.text
      )
        throw conflict("The reply was edited meanwhile: open it again to check the new text");
      throw conflict(current ? changedMeanwhile(current.status, action) : "The reply was deleted meanwhile");
    }
    if (step.mention) {
      await moveMention(tx, actor, { id: row.mentionId }, step.mention, now, {
        ...(options.firstResponseAt ? { firstResponseAt: options.firstResponseAt } : {}),
      });
    }
    await options.also?.(tx, row);
    await recordAudit(tx, {
      actor,
      action: step.audit,
      entityType: "reply",
      entityId: row.id,
      ...(options.audit?.before !== undefined ? { before: options.audit.before } : {}),
      ...(options.audit?.after !== undefined ? { after: options.audit.after } : {}),
      at: now,
    });
    return row;
  });
}
