// The fixed taxonomy from DESIGN.md. Every other module imports these lists instead of repeating them.

export const CATEGORIES = [
  "debt_not_owed",
  "written_notice",
  "communication_tactics",
  "false_statements",
  "legal_threats",
  "privacy",
  "payment_service",
  "other_collections",
  "praise",
  "not_collections",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const FLAGS = [
  "dispute",
  "cease_contact",
  "attorney",
  "bankruptcy",
  "identity_theft",
  "deceased",
  "servicemember",
  "scam_report",
  "regulator",
  "self_harm",
  "pii",
] as const;
export type Flag = (typeof FLAGS)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Flags that record a consumer exercising a legal right: they become dated events once an account is linked. */
export const RIGHTS_EVENT_FLAGS = [
  "dispute",
  "cease_contact",
  "attorney",
  "bankruptcy",
  "identity_theft",
] as const;

/** Flags that take a mention out of templated/drafted replies: a manager must take it over. */
export const HUMAN_ONLY_FLAGS = [
  "dispute",
  "cease_contact",
  "attorney",
  "bankruptcy",
  "identity_theft",
  "deceased",
  "servicemember",
  "self_harm",
] as const;

export const MENTION_STATUSES = [
  "new",
  "triaged",
  "drafting",
  "awaiting_approval",
  "approved",
  "posted",
  "resolved",
  "dismissed",
  "escalated",
] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

export const ROLES = ["admin", "manager", "responder", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PLATFORMS = ["x", "google", "facebook", "trustpilot", "reddit", "generic"] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Classification {
  category: Category;
  relevant: boolean;
  severity: Severity;
  flags: Flag[];
  sentiment: number;
  confidence: number;
}

export function isRelevant(category: Category): boolean {
  return category !== "not_collections";
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
