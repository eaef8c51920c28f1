// The complaint register: every complaint from every channel, recorded and categorized wherever it was made.
// A complaint is a post classified as a collections complaint (relevant, not praise), or a CFPB complaint (its own
// clock, cfpb-clock.ts). This file says, from a complaint's stored facts, where it stands: open, answered or
// resolved, when, by whom and with what outcome, in words an examiner reads.
import { portalClosed } from "./cfpb-clock.js";

export const COMPLAINT_STATUSES = ["open", "answered", "resolved"] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** Categories that are not complaints (the register leaves them out unless they are CFPB complaints). */
export const NOT_COMPLAINT_CATEGORIES = ["praise", "not_collections"] as const;

export const CATEGORY_WORDS: Record<string, string> = {
  debt_not_owed: "Debt not owed",
  written_notice: "Written notice",
  communication_tactics: "Communication tactics",
  false_statements: "False statements",
  legal_threats: "Legal threats",
  privacy: "Privacy (told others)",
  payment_service: "Payments and service",
  other_collections: "Other collections",
  praise: "Praise",
  not_collections: "Not about collections",
};

export const categoryWords = (category: string | null) =>
  category ? (CATEGORY_WORDS[category] ?? category.replace(/_/g, " ")) : "Not classified yet";

export interface ComplaintFacts {
  /** The mention's triage status. */
  status: string;
  /** When its first public reply was posted (null when none was): not mentions.first_response_at, which is also
   * stamped when a mention is dismissed or resolved without a reply. */
  firstReplyAt: Date | null;
  statusChangedAt: Date | null;
  assigneeId: number | null;
  /** Who posted its public reply, if any. */
  postedBy: number | null;
  /** Its CFPB clock row, when it is a CFPB complaint. */
  cfpb: {
    respondedAt: Date | null;
    respondedBy: number | null;
    finalAt: Date | null;
    finalBy: number | null;
    outcome: string | null;
    portalResponse: string | null;
  } | null;
}

export interface ComplaintStanding {
  status: ComplaintStatus;
  answeredAt: Date | null;
  resolvedAt: Date | null;
  handlerId: number | null;
  outcome: string;
}

const SOCIAL_OUTCOME: Record<string, string> = {
  new: "Open: not yet handled",
  triaged: "Open: triaged",
  drafting: "Open: reply being drafted",
  awaiting_approval: "Open: reply awaiting approval",
  approved: "Open: reply approved, not yet posted",
  posted: "Answered in public",
  resolved: "Resolved",
  dismissed: "Dismissed: no response needed",
  escalated: "Escalated",
};

export function complaintStanding(f: ComplaintFacts): ComplaintStanding {
  if (f.cfpb) {
    const c = f.cfpb;
    const handlerId = c.finalBy ?? c.respondedBy ?? f.assigneeId;
    if (c.finalAt || portalClosed(c.portalResponse))
      return {
        status: "resolved",
        answeredAt: c.respondedAt,
        resolvedAt: c.finalAt,
        handlerId,
        outcome: c.finalAt ? (c.outcome ?? "Final response sent") : `${c.portalResponse} (CFPB portal)`,
      };
    if (c.respondedAt)
      return {
        status: "answered",
        answeredAt: c.respondedAt,
        resolvedAt: null,
        handlerId,
        outcome: "Company response sent; final response pending",
      };
    return {
      status: "open",
      answeredAt: null,
      resolvedAt: null,
      handlerId,
      outcome: "Awaiting the company response",
    };
  }
  const handlerId = f.assigneeId ?? f.postedBy;
  const outcome = SOCIAL_OUTCOME[f.status] ?? f.status;
  if (f.status === "resolved" || f.status === "dismissed")
    return {
      status: "resolved",
      answeredAt: f.firstReplyAt,
      resolvedAt: f.statusChangedAt,
      handlerId,
      outcome,
    };
  if (f.status === "posted" || f.firstReplyAt)
    return {
      status: "answered",
      answeredAt: f.firstReplyAt,
      resolvedAt: null,
      handlerId,
      outcome,
    };
  return { status: "open", answeredAt: null, resolvedAt: null, handlerId, outcome };
}
