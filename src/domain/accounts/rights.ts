// Rights flags on a linked mention become dated events for the collections system (webhook and CSV export):
// the consumer exercised a legal right in public, and the collector must act on it as if told directly.
import { type Flag, RIGHTS_EVENT_FLAGS } from "../taxonomy.js";

export type RightsFlag = (typeof RIGHTS_EVENT_FLAGS)[number];

export const RIGHTS_EVENT_TYPES: Record<RightsFlag, string> = {
  dispute: "dispute_raised",
  cease_contact: "cease_contact_requested",
  attorney: "attorney_representation_claimed",
  bankruptcy: "bankruptcy_claimed",
  identity_theft: "identity_theft_claimed",
};

export interface RightsEvent {
  flag: RightsFlag;
  type: string;
  /** ISO 8601, the time the consumer said it (the mention's creation time), not when we noticed. */
  occurredAt: string;
}

export function isRightsFlag(flag: string): flag is RightsFlag {
  return (RIGHTS_EVENT_FLAGS as readonly string[]).includes(flag);
}

/** One event per rights flag, in the taxonomy's order, deduplicated. */
export function rightsEventsFor(flags: readonly (Flag | string)[], occurredAt: Date | string): RightsEvent[] {
  const when = typeof occurredAt === "string" ? new Date(occurredAt) : occurredAt;
  if (Number.isNaN(when.getTime())) throw new RangeError(`invalid occurredAt: ${String(occurredAt)}`);
  const present = new Set(flags);
  return RIGHTS_EVENT_FLAGS.filter((flag) => present.has(flag)).map((flag) => ({
    flag,
    type: RIGHTS_EVENT_TYPES[flag],
    occurredAt: when.toISOString(),
  }));
}

export const ACCOUNT_STATUSES = ["dispute_open", "cease_contact", "attorney_represented"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

const STATUS_NOTICES: Record<AccountStatus, string> = {
  dispute_open:
    "The account has an open dispute: do not reply about it in public; a manager must handle the conversation.",
  cease_contact:
    "The account holder asked us to stop contacting them: do not reply or reach out; a manager must decide any response.",
  attorney_represented:
    "The account holder is represented by an attorney: communicate only with the attorney (FDCPA §805(a)(2)); no reply to the person.",
};

/** What a mention linked to this account must show before anyone replies. */
export function accountStatusNotices(
  statuses: readonly string[],
): { status: AccountStatus; notice: string }[] {
  return ACCOUNT_STATUSES.filter((status) => statuses.includes(status)).map((status) => ({
    status,
    notice: STATUS_NOTICES[status],
  }));
}
