// The life of a public reply as one table: from which status an action may start, where it leaves the reply
// and its mention, what the audit log calls it and who may do it. Services read this table; nothing else
// decides a reply's next status (src/services/replies/transition.ts applies it, guarded, in one transaction).
import type { Permission } from "../permissions.js";
import type { MentionStatus } from "../taxonomy.js";

export const REPLY_STATUSES = ["draft", "awaiting_approval", "approved", "posted", "rejected"] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export const REPLY_ACTIONS = ["edit", "submit", "approve", "stop", "reject", "post"] as const;
/** `stop`: an approval the linter stopped sends the reply back to its writers. */
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
  post: "draftReplies",
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
  reject: { draft: reject, awaiting_approval: reject, approved: reject },
  post: { approved: { to: "posted", mention: "posted", audit: "reply.post", by: "draftReplies" } },
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
  post: "posted",
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
