// Starting a reply: from a template, a Claude draft or the person's own words. The drafter sees the masked
// mention and the brand's public facts only, never account data or the client roster; every draft is linted and
// the run kept as evidence (a Claude draft the linter refused too), and the mention moves to drafting.

import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { replies } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import type { LintResult } from "../../domain/compliance/lint.js";
import { maskFor } from "../../domain/masking.js";
import { assertCan } from "../../domain/permissions.js";
import { CATEGORIES, type Category } from "../../domain/taxonomy.js";
import { AppError, badRequest, conflict, forbidden } from "../../errors.js";
import { recordAudit } from "../audit/record-audit.js";
import {
  brandVoice,
  loadReplyMention,
  openReplyFor,
  platformForSource,
  type ReplyMention,
  threadHasPublicReply,
  threadKeyOf,
} from "./context.js";
import { draftReply } from "./drafter.js";
import { replyGuard } from "./gate.js";
import { lintFor, recordLint } from "./lint-as-posted.js";
import { moveMention } from "./move-mention.js";
import { chooseTemplate, DEFAULT_TEMPLATES, libraryTemplates, renderTemplate } from "./templates.js";
import type { ReplyRow } from "./transition.js";

function categoryOf(mention: ReplyMention): Category {
  return (CATEGORIES as readonly string[]).includes(mention.category ?? "")
    ? (mention.category as Category)
    : "other_collections";
}

export interface CreateDraftInput {
  mentionId: number;
  origin: "template" | "claude" | "manual";
  /** `library-<id>` or `default-<category>[-x]`; the best match for the mention when absent. */
  templateId?: string | undefined;
  /** Required for `manual`. */
  text?: string | undefined;
}

export interface DraftOutcome {
  reply: ReplyRow;
  lint: LintResult;
  /** Why a Claude draft was not used, when it fell back to a template. */
  fallbackReason?: string | undefined;
}

export async function createDraft(
  deps: Deps,
  actor: AuthUser,
  input: CreateDraftInput,
): Promise<DraftOutcome> {
  assertCan(actor.role, "draftReplies", "draft replies");
  const mention = await loadReplyMention(deps.db, actor.workspaceId, input.mentionId);
  const guard = await replyGuard(deps.db, mention);
  if (guard.blocks.length > 0) {
    if (!guard.takenOverBy) {
      throw forbidden(
        `This mention needs a manager to take it over (${guard.blocks.map((b) => b.code).join(", ")}): no template or draft may be used.`,
      );
    }
    if (guard.takenOverBy.id !== actor.id)
      throw forbidden(`Taken over by ${guard.takenOverBy.email}: only they may write the reply`);
    if (input.origin !== "manual")
      throw forbidden(
        "A taken-over mention is answered in the manager's own words, not from a template or draft",
      );
  }
  if (await openReplyFor(deps.db, mention.id))
    throw conflict("This mention already has a reply in progress: edit that one");
  const voice = await brandVoice(deps.db, actor.workspaceId, {
    mentionId: mention.id,
    sourceBrandId: mention.sourceBrandId,
  });
  if (await threadHasPublicReply(deps.db, mention)) {
    throw conflict(
      "The thread already has a public reply: one public reply per thread (B11). Continue privately.",
    );
  }
  const platform = platformForSource(mention.sourceType);
  const category = categoryOf(mention);
  const templates = [...(await libraryTemplates(deps.db, voice.brandId)), ...DEFAULT_TEMPLATES];

  let text: string;
  let origin: ReplyRow["origin"] = input.origin;
  let fallbackReason: string | undefined;
  let rejectedDraft: { text: string; lint: LintResult } | undefined;
  if (input.origin === "manual") {
    if (!input.text?.trim()) throw badRequest("Write the reply text");
    text = input.text.trim();
  } else if (input.origin === "template") {
    const chosen = input.templateId
      ? templates.find((t) => t.id === input.templateId)
      : (chooseTemplate(
          category,
          platform,
          templates.filter((t) => t.id.startsWith("library-")),
        ) ?? chooseTemplate(category, platform, DEFAULT_TEMPLATES));
    if (!chosen) throw badRequest(`No template "${input.templateId ?? category}"`);
    text = renderTemplate(chosen.body, { brand: voice.brandName, ownContacts: voice.ownContacts });
  } else {
    // The drafter gets the masked text and the brand's public facts only: never account data or the client roster.
    const draft = await draftReply(
      {
        maskedText: maskFor("claude", mention.textMasked, {
          clients: voice.clients,
          names: [mention.authorName, mention.authorHandle],
        }),
        platform,
        brandName: voice.brandName,
        ownContacts: voice.ownContacts,
        category,
      },
      {
        apiKey: deps.env.ANTHROPIC_API_KEY ?? null,
        baseUrl: deps.env.ANTHROPIC_BASE_URL ?? null,
        model: deps.env.CLAUDE_MODEL,
        ...(deps.http ? { fetch: deps.http.fetch } : {}),
      },
      { templates, clients: voice.clients },
    );
    text = draft.text;
    origin = draft.source === "claude" ? "claude" : "template";
    fallbackReason = draft.fallbackReason;
    rejectedDraft = draft.rejectedDraft;
  }

  const lint = await lintFor(deps.db, mention, voice, text);
  const now = deps.now();
  const reply = await inTransaction(deps.db, "creating a reply draft", async (tx) => {
    const [row] = await tx
      .insert(replies)
      .values({
        mentionId: mention.id,
        threadKey: threadKeyOf(mention),
        authorId: actor.id,
        origin,
        text,
        status: "draft",
        lint,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw new AppError("internal", "The draft was not saved");
    // A Claude draft the linter refused is evidence too: what the model proposed and why it was not used.
    if (rejectedDraft) await recordLint(tx, row.id, null, rejectedDraft.text, rejectedDraft.lint, now);
    await recordLint(tx, row.id, actor.id, text, lint, now);
    await moveMention(tx, { id: actor.id, email: actor.email }, mention, "drafting", now);
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "reply.draft",
      entityType: "reply",
      entityId: row.id,
      after: {
        mentionId: mention.id,
        origin,
        text,
        ok: lint.ok,
        rules: lint.violations.map((v) => v.rule),
        fallbackReason,
      },
      at: now,
    });
    return row;
  });
  return { reply, lint, fallbackReason };
}
