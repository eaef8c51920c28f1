// The compliance linter for PUBLIC replies (DESIGN.md "Compliance rules"). Pure: text and context in, hits out.
// It reads the reply once (scan.ts) and runs one checker per rule (checks.ts); the approval step is blocked
// while any hit remains.
import type { Platform } from "../taxonomy.js";
import { RULE_CHECKS, RUN_ORDER } from "./checks.js";
import type { RuleCode } from "./rules.js";
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
  ok: boolean;
  violations: Violation[];
}

export function lintReply(text: string, ctx: LintContext): LintResult {
  const scan = scanReply(text, ctx);
  const hits: Violation[] = [];
  for (const rule of RUN_ORDER) hits.push(...RULE_CHECKS[rule](text, { lint: ctx, scan, earlier: hits }));
  const violations = dedupe(hits);
  return { ok: violations.length === 0, violations };
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
