// The first-response clock per severity. Brands may override each value (brands.sla_minutes).
//
// The clock starts when the customer posted (the platform's created_at), not when Rapport stored the post: an
// attorney's complaint posted at 04:02 and fetched at midnight is already 19 hours late. A post that was already
// past its SLA when Rapport first saw it (a backfill, or a source that was down) "arrived overdue": it is shown
// as such and kept out of the team's overdue tally and its within-SLA rate, since no one could have answered
// it in time.
import type { MentionStatus, Severity } from "./taxonomy.js";

/** Statuses whose clock still runs (src/domain/status.ts isClosed is the complement). In this order: the
 * partial indexes and the queue_counts triggers spell the list the same way, and SQLite only uses a partial
 * index for a query that repeats its WHERE term exactly. */
export const OPEN_QUEUE_STATUSES = [
  "new",
  "triaged",
  "drafting",
  "awaiting_approval",
  "approved",
  "escalated",
] as const satisfies readonly MentionStatus[];

export const DEFAULT_SLA_MINUTES: Record<Severity, number> = {
  critical: 60,
  high: 4 * 60,
  medium: 24 * 60,
  low: 72 * 60,
};

export function slaMinutes(severity: Severity, overrides: Partial<Record<Severity, number>> = {}): number {
  return overrides[severity] ?? DEFAULT_SLA_MINUTES[severity];
}

/**
 * When the clock starts: the post's own time. Connectors fall back to the first-seen time when the platform
 * gives none; a platform time after it (a clock ahead of ours) is not believed.
 */
export function slaClockStart(postedAt: Date, firstSeenAt: Date): Date {
  return postedAt.getTime() < firstSeenAt.getTime() ? postedAt : firstSeenAt;
}

/** When the first response is due; null for mentions that need none (not about collections). */
export function slaDueAt(
  severity: Severity | null,
  relevant: boolean | null,
  from: Date,
  overrides: Partial<Record<Severity, number>> = {},
): Date | null {
  if (!relevant || !severity) return null;
  return new Date(from.getTime() + slaMinutes(severity, overrides) * 60_000);
}

/** Already past its SLA when Rapport first saw it (mirrors the `arrived_overdue` counter's trigger). */
export function arrivedOverdue(dueAt: Date | null, firstSeenAt: Date | null): boolean {
  return dueAt !== null && firstSeenAt !== null && dueAt.getTime() <= firstSeenAt.getTime();
}

export function isOverdue(dueAt: Date | null, respondedAt: Date | null, now: Date): boolean {
  return dueAt !== null && respondedAt === null && dueAt.getTime() < now.getTime();
}

export type SlaState =
  | { kind: "none" }
  | { kind: "answered" }
  | { kind: "due"; minutes: number }
  | { kind: "overdue"; minutes: number }
  | { kind: "arrived_overdue"; minutes: number };

/**
 * What a row shows about its clock: minutes left, minutes late, or late on arrival. `open` is false for
 * mentions taken out of the queue (posted, resolved, dismissed): their clock no longer runs.
 */
export function slaState(
  dueAt: Date | null,
  respondedAt: Date | null,
  firstSeenAt: Date | null,
  open: boolean,
  now: Date,
): SlaState {
  if (!dueAt) return { kind: "none" };
  if (respondedAt || !open) return { kind: "answered" };
  const minutes = Math.floor(Math.abs(dueAt.getTime() - now.getTime()) / 60_000);
  if (dueAt.getTime() >= now.getTime()) return { kind: "due", minutes };
  return arrivedOverdue(dueAt, firstSeenAt)
    ? { kind: "arrived_overdue", minutes }
    : { kind: "overdue", minutes };
}

/** "45 min", "3 h 10 min", "2 d 4 h": a countdown or an age, whichever way the clock runs. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) {
    const m = minutes % 60;
    return `${Math.floor(minutes / 60)} h${m ? ` ${m} min` : ""}`;
  }
  const h = Math.floor(minutes / 60) % 24;
  return `${Math.floor(minutes / 1440)} d${h ? ` ${h} h` : ""}`;
}

export function slaLabel(state: SlaState): string | null {
  switch (state.kind) {
    case "due":
      return `due in ${formatMinutes(state.minutes)}`;
    case "overdue":
      return `overdue ${formatMinutes(state.minutes)}`;
    case "arrived_overdue":
      return `arrived overdue (${formatMinutes(state.minutes)} past due)`;
    default:
      return null;
  }
}
