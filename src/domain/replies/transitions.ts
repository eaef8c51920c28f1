// The life of a public reply as one table: from which status an action may start, where it leaves the reply
// and its mention, what the audit log calls it and who may do it. Services read this table; nothing else
// decides a reply's next status (src/services/replies/transition.ts applies it, guarded, in one transaction).
import type { Permission } from "../permissions.js";
import type { MentionStatus } from "../taxonomy.js";

/**
 * `posting`: the platform is being (or was) asked to publish the reply through its API and the answer is not
 * recorded yet. It is written, guarded, before the request goes out, so a crash between the platform's answer and
 * the update leaves the reply in `posting`, never back in `approved` where a retry would post it a second time.
 */
export const REPLY_STATUSES = [
  "draft",
  "awaiting_approval",
  "approved",
  "posting",
  "posted",
  "rejected",
] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export const REPLY_ACTIONS = [
  "edit",
  "submit",
  "approve",
  "stop",
  "reject",
  "start_post",
  "post",
  "post_failed",
  "not_posted",
] as const;
/**
 * `stop`: an approval the linter stopped sends the reply back to its writers. `start_post`: an API post begins.
 * `post_failed`: the platform clearly refused it (nothing was published), so it may be posted again.
 * `not_posted`: a person checked the platform after an interrupted post and the reply is not there.
 */
export type ReplyAction = (typeof REPLY_ACTIONS)[number];

/**
 * Who may take a step, as a permission of the one roles × actions table (src/domain/permissions.ts). The four-eyes
 * rule (an approver who wrote, edited or submitted the reply may not approve it) needs the audit log, so
 * approve.ts applies it on top.
 */
export type ReplyPermission = Extract<Permission, "draftReplies" | "approveReplies">;

/** The permission each action needs, wherever it starts. */
export const ACTION_PERMISSION: Record<ReplyAction, ReplyPermission> = {
  edit: "draftReplies",
  submit: "draftReplies",
  approve: "approveReplies",
  stop: "approveReplies",
  reject: "approveReplies",
  start_post: "draftReplies",
  post: "draftReplies",
  post_failed: "draftReplies",
  not_posted: "draftReplies",
};

export interface ReplyTransition {
  to: ReplyStatus;
  /** Where the mention goes with it; null leaves the mention where it is. */
  mention: MentionStatus | null;
  /** The audit log's name for the step. */
  audit: `reply.${string}`;
  by: ReplyPermission;
}

type Table = Record<ReplyAction, Partial<Record<ReplyStatus, ReplyTransition>>>;

const edit = (mention: MentionStatus | null): ReplyTransition => ({
  to: "draft",
  mention,
  audit: "reply.edit",
  by: "draftReplies",
});
const reject: ReplyTransition = {
  to: "rejected",
  mention: "drafting",
  audit: "reply.reject",
  by: "approveReplies",
};

const posted: ReplyTransition = { to: "posted", mention: "posted", audit: "reply.post", by: "draftReplies" };

export const REPLY_TRANSITIONS: Table = {
  // An edit after submission goes back to draft: the approver must see the final words.
  edit: { draft: edit(null), awaiting_approval: edit("drafting") },
  submit: {
    draft: {
      to: "awaiting_approval",
      mention: "awaiting_approval",
      audit: "reply.submit",
      by: "draftReplies",
    },
  },
  approve: {
    awaiting_approval: { to: "approved", mention: "approved", audit: "reply.approve", by: "approveReplies" },
  },
  stop: {
    awaiting_approval: {
      to: "draft",
      mention: "drafting",
      audit: "reply.approval_stopped",
      by: "approveReplies",
    },
  },
  // Not from `posting`: the reply may already be public.
  reject: { draft: reject, awaiting_approval: reject, approved: reject },
  start_post: { approved: { to: "posting", mention: null, audit: "reply.posting", by: "draftReplies" } },
  post: {
    approved: posted,
    // The platform's answer recorded, or a person confirming the reply is there after an interrupted post.
    posting: posted,
  },
  post_failed: { posting: { to: "approved", mention: null, audit: "reply.post_failed", by: "draftReplies" } },
  not_posted: { posting: { to: "approved", mention: null, audit: "reply.not_posted", by: "draftReplies" } },
};

/** The step `action` takes from `from`, or null when the action cannot start there. */
export function replyTransition(from: ReplyStatus, action: ReplyAction): ReplyTransition | null {
  return REPLY_TRANSITIONS[action][from] ?? null;
}

/** The statuses an action may start from (for messages: "only a draft can be submitted"). */
export function startsOf(action: ReplyAction): ReplyStatus[] {
  return REPLY_STATUSES.filter((status) => REPLY_TRANSITIONS[action][status]);
}

/** The verb as a person reads it ("cannot be rejected"). */
export const VERB: Record<ReplyAction, string> = {
  edit: "edited",
  submit: "submitted",
  approve: "approved",
  stop: "sent back",
  reject: "rejected",
  start_post: "sent to the platform",
  post: "posted",
  post_failed: "marked as not posted after the platform refused it",
  not_posted: "marked as not posted",
};

/** A status as people read it where replies are listed. */
export const STATUS_WORDS: Record<ReplyStatus, string> = {
  draft: "draft",
  awaiting_approval: "awaiting approval",
  approved: "approved",
  posting: "posting — check the platform",
  posted: "posted",
  rejected: "rejected",
};

const words = (status: ReplyStatus) => status.replace(/_/g, " ");

/** "A posted reply cannot be rejected (only a draft, awaiting approval or approved one can)". */
export function refusal(from: ReplyStatus, action: ReplyAction): string {
  const starts = startsOf(action).map(words);
  const list = starts.length > 1 ? `${starts.slice(0, -1).join(", ")} or ${starts.at(-1)}` : starts[0];
  return `A ${words(from)} reply cannot be ${VERB[action]} (only a ${list} one can)`;
}

/** What a guarded update that found the reply moved on tells the person: what happened, and what to do. */
export function changedMeanwhile(now: ReplyStatus, action: ReplyAction): string {
  return `The reply was ${VERB[statusAction(now)] ?? words(now)} meanwhile (it is now ${words(now)}), so it was not ${VERB[action]}; reload the page`;
}

/** The action whose result a status is, for "was posted meanwhile". */
function statusAction(status: ReplyStatus): ReplyAction {
  switch (status) {
    case "posted":
      return "post";
    case "posting":
      return "start_post";
    case "approved":
      return "approve";
    case "rejected":
      return "reject";
    case "awaiting_approval":
      return "submit";
    default:
      return "edit";
  }
}
