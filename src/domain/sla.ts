// The first-response clock per severity. Brands may override each value (brands.sla_minutes).
import type { Severity } from "./taxonomy.js";

export const DEFAULT_SLA_MINUTES: Record<Severity, number> = {
  critical: 60,
  high: 4 * 60,
  medium: 24 * 60,
  low: 72 * 60,
};

export function slaMinutes(severity: Severity, overrides: Partial<Record<Severity, number>> = {}): number {
  return overrides[severity] ?? DEFAULT_SLA_MINUTES[severity];
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

export function isOverdue(dueAt: Date | null, respondedAt: Date | null, now: Date): boolean {
  return dueAt !== null && respondedAt === null && dueAt.getTime() < now.getTime();
}
