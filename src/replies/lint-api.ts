// `POST /api/replies/lint` without the web: the request schema and a pure function from a request and the
// brand's lint context to the response. The route validates with the schema, resolves `brand` to its context,
// and returns what this returns.
import { z } from "zod";
import { type LintContext, lintReply, replyLength } from "../domain/compliance/lint.js";
import { PLATFORM_LIMITS, RULES, type RuleCode } from "../domain/compliance/rules.js";
import { PLATFORMS, type Platform } from "../domain/taxonomy.js";

export const lintReplyRequestSchema = z.object({
  text: z.string().max(20_000),
  platform: z.enum(PLATFORMS).default("generic"),
  /** Brand id or name; the route resolves it (absent: the workspace's first brand). */
  brand: z.string().min(1).optional(),
  /** Optional thread context the editor knows. */
  threadHasPublicReply: z.boolean().optional(),
  posterUsedNames: z.array(z.string()).max(20).optional(),
});
export type LintReplyRequest = z.infer<typeof lintReplyRequestSchema>;

/** What the linter needs to know about a brand. */
export interface BrandLintContext {
  brandName: string;
  ownContacts: string[];
  clients: string[];
}

export type BrandContextLoader = () => Promise<BrandLintContext | null>;

export interface LintReplyResponse {
  ok: boolean;
  platform: Platform;
  length: number;
  limit: number;
  violations: {
    rule: RuleCode;
    title: string;
    message: string;
    explanation: string;
    start: number;
    end: number;
  }[];
}

export function lintForBrand(
  request: Pick<LintReplyRequest, "text" | "platform"> & Partial<LintReplyRequest>,
  brand: BrandLintContext,
): LintReplyResponse {
  const ctx: LintContext = {
    platform: request.platform,
    brandName: brand.brandName,
    ownContacts: brand.ownContacts,
    clients: brand.clients,
    ...(request.threadHasPublicReply !== undefined
      ? { threadHasPublicReply: request.threadHasPublicReply }
      : {}),
    ...(request.posterUsedNames ? { posterUsedNames: request.posterUsedNames } : {}),
  };
  const result = lintReply(request.text, ctx);
  return {
    ok: result.ok,
    platform: request.platform,
    length: replyLength(request.text, request.platform),
    limit: PLATFORM_LIMITS[request.platform].maxChars,
    violations: result.violations.map((v) => ({ ...v, title: RULES[v.rule].title })),
  };
}
