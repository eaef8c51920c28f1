// The compliance linter for PUBLIC replies (DESIGN.md "Compliance rules"). Pure: text and context in, hits out.
// It reads the reply once (scan.ts) and runs one checker per rule (checks.ts). The law and the house style are
// apart (issue 19): a blocking hit (B1–B12) stops a reply and can never be overridden; a missing required element
// (R_*: empathy, an invitation to a private channel, the company's name, the length) is a warning an approver
// may accept with a written reason.
import type { Platform } from "../taxonomy.js";
import { RULE_CHECKS, RUN_ORDER } from "./checks.js";
import { RULES, type RuleCode } from "./rules.js";
import { overlaps, scanReply } from "./scan.js";

export { replyLength } from "./length.js";
export { PLATFORM_LIMITS, RULE_CODES, RULES, type RuleCode, type RuleInfo } from "./rules.js";

export interface LintContext {
  platform: Platform;
  brandName: string;
  /** The brand's own channels (phone, URL, e-mail, @handle): allowed in a reply, and they satisfy R_PRIVATE_CHANNEL. */
  ownContacts: string[];
  /** Creditor clients we collect for: never named in public. */
  clients: string[];
  /** True when the brand already replied publicly in this thread (B11). */
  threadHasPublicReply?: boolean;
  /** Names and handles the poster used themselves; a reply may address them by these. */
  posterUsedNames?: string[];
}

/** What the linter needs to know about a brand (its signature, its own channels, its client roster). */
export type BrandLintContext = Pick<LintContext, "brandName" | "ownContacts" | "clients">;
/** Loads the default brand's lint context (the CLI's default); null when no brand is configured. */
export type BrandContextLoader = () => Promise<BrandLintContext | null>;

export interface Violation {
  rule: RuleCode;
  message: string;
  explanation: string;
  start: number;
  end: number;
}

export interface LintResult {
  /** False only when a blocking rule is hit. */
  ok: boolean;
  /** Blocking hits (B1–B12): never overridden. */
  violations: Violation[];
  /** House-style gaps (R_*): an approver may accept them with a written reason. */
  warnings: Violation[];
}

/** Whether a rule blocks (the law) or warns (the house style). */
export const isBlocking = (rule: RuleCode): boolean => RULES[rule].kind === "block";

export function lintReply(text: string, ctx: LintContext): LintResult {
  const scan = scanReply(text, ctx);
  const hits: Violation[] = [];
  for (const rule of RUN_ORDER) hits.push(...RULE_CHECKS[rule](text, { lint: ctx, scan, earlier: hits }));
  const kept = dedupe(hits);
  const violations = kept.filter((hit) => isBlocking(hit.rule));
  return { ok: violations.length === 0, violations, warnings: kept.filter((hit) => !isBlocking(hit.rule)) };
}

/** One hit per rule per stretch of text: overlapping hits of the same rule keep the earliest, longest one. */
function dedupe(hits: Violation[]): Violation[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Violation[] = [];
  for (const hit of sorted) {
    const zeroWidth = hit.start === hit.end;
    const duplicate = kept.some(
      (other) =>
        other.rule === hit.rule &&
        (zeroWidth ? other.start === hit.start && other.end === hit.end : overlaps(other, hit)),
    );
    if (!duplicate) kept.push(hit);
  }
  return kept;
}
