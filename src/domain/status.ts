// The triage life cycle of a mention. Pure: the services ask before they write.
import { can, denialReason } from "./permissions.js";
import type { MentionStatus, Role } from "./taxonomy.js";

/** Where each status may go next. The main line is new → triaged → drafting → awaiting_approval → approved →
 * posted → resolved; dismissed and escalated branch off it and can be reopened. */
export const STATUS_TRANSITIONS: Record<MentionStatus, readonly MentionStatus[]> = {
  new: ["triaged", "drafting", "dismissed", "escalated", "resolved"],
  triaged: ["new", "drafting", "dismissed", "escalated", "resolved"],
  drafting: ["triaged", "awaiting_approval", "dismissed", "escalated", "resolved"],
  awaiting_approval: ["drafting", "approved", "escalated", "dismissed"],
  approved: ["drafting", "posted", "escalated"],
  posted: ["resolved", "escalated"],
  resolved: ["triaged", "escalated"],
  dismissed: ["new", "triaged", "escalated"],
  escalated: ["triaged", "drafting", "resolved", "dismissed"],
};

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkTransition(from: MentionStatus, to: MentionStatus, role: Role): TransitionCheck {
  if (!can(role, "triage")) return { ok: false, reason: denialReason("triage", "change a mention") };
  if (from === to) return { ok: true };
  if (!STATUS_TRANSITIONS[from].includes(to)) {
    return { ok: false, reason: `A mention that is ${words(from)} cannot become ${words(to)}` };
  }
  if (to === "approved" && !can(role, "approveReplies")) {
    return { ok: false, reason: denialReason("approveReplies", "approve a reply") };
  }
  return { ok: true };
}

/** Statuses that stop the SLA clock: someone has answered or decided no answer is needed. */
export function isClosed(status: MentionStatus): boolean {
  return status === "posted" || status === "resolved" || status === "dismissed";
}

/**
 * Takes a mention out of the queue with no public reply behind it: dismissing it, or resolving it from anywhere
 * but posted. For a post that needs a person (self-harm, attorney, dispute…) that takes a confirmation.
 */
export function closesUnanswered(from: MentionStatus, to: MentionStatus): boolean {
  return from !== to && (to === "dismissed" || (to === "resolved" && from !== "posted"));
}

const words = (status: string) => status.replace(/_/g, " ");
