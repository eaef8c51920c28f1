// What makes a mention critical, high, medium or low: the one place severity is decided. The classifiers call
// `computeSeverity`; ingest calls `withSourceFlags` when a connector knows flags for certain; the urgent-alert router
// asks `isCritical` and `criticalReasons`. A change here changes all of them together.
import type { Category, Flag, Severity } from "./taxonomy.js";

/** Flags that are critical on their own, whatever the category or the model's doubt: a person at risk, a lawyer, a regulator. */
export const CRITICAL_FLAGS: readonly Flag[] = ["self_harm", "attorney", "regulator"];
/** Reach at or above this (followers, views) makes any relevant complaint critical: it is already public and loud. */
export const CRITICAL_REACH = 10_000;
export const HIGH_REACH = 1_000;

const HIGH_FLAGS: readonly Flag[] = [
  "dispute",
  "cease_contact",
  "bankruptcy",
  "identity_theft",
  "deceased",
  "servicemember",
  "scam_report",
];
const HIGH_CATEGORIES: readonly Category[] = ["legal_threats", "privacy", "false_statements"];

const hasCriticalFlag = (flags: readonly string[]) =>
  flags.some((f) => (CRITICAL_FLAGS as readonly string[]).includes(f));

export interface SeverityInput {
  category: Category;
  flags: readonly Flag[];
  /** The poster threatens to sue or take the company to court. */
  lawsuitThreat: boolean;
  sentiment: number;
  reach?: number;
}

export function computeSeverity({
  category,
  flags,
  lawsuitThreat,
  sentiment,
  reach,
}: SeverityInput): Severity {
  const relevant = category !== "not_collections";
  // Critical signals win over the category: a person at risk, a lawyer or a regulator matters even when the model
  // doubts the post is about collections (a short "my lawyer will be in touch" carries no collections words).
  if (lawsuitThreat || hasCriticalFlag(flags)) return "critical";
  if (relevant && category !== "praise" && (reach ?? 0) >= CRITICAL_REACH) return "critical";
  if (!relevant) return flags.includes("scam_report") ? "medium" : "low";
  if (category === "praise") return "low";
  if (flags.some((f) => HIGH_FLAGS.includes(f)) || HIGH_CATEGORIES.includes(category)) return "high";
  if ((reach ?? 0) >= HIGH_REACH) return "high";
  return sentiment < -0.6 ? "high" : "medium";
}

/**
 * Flags a source knows for certain (every CFPB complaint is `regulator`) join the model's and raise severity the way
 * the classifier would have had it seen them.
 */
export function withSourceFlags<C extends { flags: Flag[]; severity: Severity }>(
  classification: C,
  sourceFlags: readonly Flag[],
): C {
  if (sourceFlags.length === 0) return classification;
  const flags = [...new Set([...classification.flags, ...sourceFlags])];
  return {
    ...classification,
    flags,
    severity: hasCriticalFlag(flags) ? "critical" : classification.severity,
  };
}

/** Critical: classified so, or carrying a critical flag (also when no classifier ran and a connector set it). */
export function isCritical(severity: Severity | null | undefined, flags: readonly string[]): boolean {
  return severity === "critical" || hasCriticalFlag(flags);
}

/** Why a critical mention is critical, when its flags do not say it themselves. */
export function criticalReasons(flags: readonly string[], reach: number | null): string[] {
  if (hasCriticalFlag(flags)) return [];
  return [
    reach !== null && reach >= CRITICAL_REACH
      ? `high reach: ${reach.toLocaleString("en-US")}`
      : "classified critical",
  ];
}
