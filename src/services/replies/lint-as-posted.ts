// The linter as a reply would be posted: in the voice of the mention's brand (its signature, own channels and
// client roster), on its platform, knowing whether the thread already has a public reply and which names the
// poster used. Every run on a reply is kept in reply_lints as compliance evidence.
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { replyLints } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { type LintResult, lintReply } from "../../domain/compliance/lint.js";
import type { Platform } from "../../domain/taxonomy.js";
import type { DbOrTx } from "../audit/record-audit.js";
import {
  type BrandVoice,
  brandVoice,
  lintContextFor,
  loadReplyMention,
  platformForSource,
  type ReplyMention,
  threadHasPublicReply,
} from "./context.js";

export async function lintFor(
  db: Db,
  mention: ReplyMention,
  voice: BrandVoice,
  text: string,
): Promise<LintResult> {
  return lintReply(
    text,
    lintContextFor(voice, platformForSource(mention.sourceType), {
      threadHasPublicReply: await threadHasPublicReply(db, mention),
      posterUsedNames: [mention.authorHandle, mention.authorName],
    }),
  );
}

export async function lintAsPosted(
  db: Db,
  viewer: AuthUser,
  mention: ReplyMention,
  text: string,
): Promise<LintResult> {
  const voice = await brandVoice(db, viewer.workspaceId, {
    mentionId: mention.id,
    sourceBrandId: mention.sourceBrandId,
  });
  return lintFor(db, mention, voice, text);
}

/** Keeps one lint run as evidence; `userId` null for a run nobody asked for (a Claude draft refused). */
export async function recordLint(
  db: DbOrTx,
  replyId: number,
  userId: number | null,
  text: string,
  lint: LintResult,
  now: Date,
): Promise<void> {
  await db.insert(replyLints).values({
    replyId,
    userId,
    text,
    ok: lint.ok,
    violations: lint.violations,
    warnings: lint.warnings,
    createdAt: now,
  });
}

/** `POST /api/replies/lint`: the linter for a brand (id, slug or name; the company brand by default). */
export async function lintForBrand(
  deps: Deps,
  actor: AuthUser,
  input: {
    text: string;
    platform: Platform;
    brand?: string | number | null | undefined;
    mentionId?: number | undefined;
  },
): Promise<LintResult> {
  if (input.mentionId !== undefined) {
    const mention = await loadReplyMention(deps.db, actor.workspaceId, input.mentionId);
    const voice = await brandVoice(deps.db, actor.workspaceId, {
      brandRef: input.brand ?? null,
      mentionId: mention.id,
      sourceBrandId: mention.sourceBrandId,
    });
    return lintFor(deps.db, mention, voice, input.text);
  }
  const voice = await brandVoice(deps.db, actor.workspaceId, { brandRef: input.brand ?? null });
  return lintReply(input.text, lintContextFor(voice, input.platform));
}
