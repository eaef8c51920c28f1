// The life of a public reply: draft (template, Claude or written by hand) → edits → submitted → approved by a
// second person with the manager role → posted (see post.ts). The linter runs on every draft and every edit and
// each run is kept in reply_lints as compliance evidence; approval is refused while any hit remains.

import { and, asc, desc, eq, inArray, isNull, or } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { auditLog, mentions, replies, replyLints, replyTemplates, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { type LintResult, lintReply } from "../../domain/compliance/lint.js";
import { maskFor } from "../../domain/masking.js";
import { isApproverRole } from "../../domain/replies/transitions.js";
import { CATEGORIES, type Category, type MentionStatus, type Platform } from "../../domain/taxonomy.js";
import { AppError, badRequest, conflict, forbidden, notFound } from "../../errors.js";
import { draftReply } from "../../replies/drafter.js";
import { humanOnlyReasons } from "../../replies/gate.js";
import {
  chooseTemplate,
  DEFAULT_TEMPLATES,
  type ReplyTemplate,
  renderTemplate,
} from "../../replies/templates.js";
import { linkedAccountNotices } from "../accounts/rights.js";
import { type AuditActor, type DbOrTx, recordAudit } from "../audit/record-audit.js";
import {
  type BrandVoice,
  brandVoice,
  lintContextFor,
  loadReplyMention,
  openReplyFor,
  platformForSource,
  type ReplyMention,
  threadHasPublicReply,
  threadKeyOf,
} from "./context.js";
import { moveMention } from "./move-mention.js";
import { assertMayTake, type ReplyRow, stepFor, transitionReply } from "./transition.js";

export { APPROVER_ROLES, isApproverRole } from "../../domain/replies/transitions.js";
export { moveMention } from "./move-mention.js";
export type { ReplyRow } from "./transition.js";

export interface ReplyBlockView {
  code: string;
  why: string;
  instead: string;
}

export interface ReplyGuard {
  /** Reasons no template or draft may be used; empty when the normal path is open. */
  blocks: ReplyBlockView[];
  /** The manager who took the mention over (then only they may write, by hand). */
  takenOverBy: { id: number; email: string; at: Date } | null;
}

const actorOf = (user: AuthUser): AuditActor => ({ id: user.id, email: user.email });

/** Why this mention may not get a templated or drafted reply: its flags, and the status of a linked account. */
export async function replyGuard(db: Db, mention: ReplyMention): Promise<ReplyGuard> {
  const blocks: ReplyBlockView[] = humanOnlyReasons(mention.flags).map((b) => ({
    code: b.flag,
    why: b.why,
    instead: b.instead,
  }));
  for (const notice of await linkedAccountNotices(db, mention.id)) {
    blocks.push({
      code: `account_${notice.status}`,
      why: notice.notice,
      instead: "A manager must take this mention over and decide whether any reply is lawful.",
    });
  }
  const [takeover] = await db
    .select({ actorId: auditLog.actorId, email: auditLog.actorEmail, at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "reply.takeover"),
        eq(auditLog.entityType, "mention"),
        eq(auditLog.entityId, String(mention.id)),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1);
  return {
    blocks,
    takenOverBy: takeover?.actorId
      ? { id: takeover.actorId, email: takeover.email ?? "", at: takeover.at }
      : null,
  };
}

/** The brand's templates from the library (most specific wins), then the built-in defaults. */
export async function libraryTemplates(db: Db, brandId: number): Promise<ReplyTemplate[]> {
  const rows = await db
    .select()
    .from(replyTemplates)
    .where(or(eq(replyTemplates.brandId, brandId), isNull(replyTemplates.brandId)))
    .orderBy(asc(replyTemplates.id));
  // A brand's own template beats a workspace-wide one at the same specificity.
  rows.sort((a, b) => Number(b.brandId !== null) - Number(a.brandId !== null));
  return rows.map((row) => ({
    id: `library-${row.id}`,
    category: (row.category ?? "*") as Category | "*",
    platform: (row.platform ?? "*") as Platform | "*",
    body: row.body,
  }));
}

function categoryOf(mention: ReplyMention): Category {
  return (CATEGORIES as readonly string[]).includes(mention.category ?? "")
    ? (mention.category as Category)
    : "other_collections";
}

async function lintFor(db: Db, mention: ReplyMention, voice: BrandVoice, text: string): Promise<LintResult> {
  return lintReply(
    text,
    lintContextFor(voice, platformForSource(mention.sourceType), {
      threadHasPublicReply: await threadHasPublicReply(db, mention),
      posterUsedNames: [mention.authorHandle, mention.authorName],
    }),
  );
}

/** The linter as the reply would be posted: in the voice of the mention's brand, on its platform and thread. */
async function lintAsPosted(
  db: Db,
  actor: AuthUser,
  mention: ReplyMention,
  text: string,
): Promise<LintResult> {
  const voice = await brandVoice(db, actor.workspaceId, {
    mentionId: mention.id,
    sourceBrandId: mention.sourceBrandId,
  });
  return lintFor(db, mention, voice, text);
}

async function recordLint(
  db: DbOrTx,
  replyId: number,
  userId: number | null,
  text: string,
  lint: LintResult,
  now: Date,
) {
  await db
    .insert(replyLints)
    .values({ replyId, userId, text, ok: lint.ok, violations: lint.violations, createdAt: now });
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

export async function takeOverMention(deps: Deps, actor: AuthUser, mentionId: number): Promise<void> {
  if (!isApproverRole(actor.role))
    throw forbidden("Only a manager can take over a mention that needs a person");
  const mention = await loadReplyMention(deps.db, actor.workspaceId, mentionId);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await tx.update(mentions).set({ assigneeId: actor.id }).where(eq(mentions.id, mention.id));
    await recordAudit(tx, {
      actor: actorOf(actor),
      action: "reply.takeover",
      entityType: "mention",
      entityId: mention.id,
      before: { flags: mention.flags },
      after: { assignee: actor.email },
      at: now,
    });
  });
}

export async function createDraft(
  deps: Deps,
  actor: AuthUser,
  input: CreateDraftInput,
): Promise<DraftOutcome> {
  if (actor.role === "viewer") throw forbidden("Viewers cannot draft replies");
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
  const reply = await deps.db.transaction(async (tx) => {
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
    await moveMention(tx, actorOf(actor), mention, "drafting", now);
    await recordAudit(tx, {
      actor: actorOf(actor),
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

async function loadReply(db: Db, workspaceId: number, replyId: number) {
  const [row] = await db.select().from(replies).where(eq(replies.id, replyId)).limit(1);
  if (!row) throw notFound("Reply");
  const mention = await loadReplyMention(db, workspaceId, row.mentionId); // also checks the workspace
  return { reply: row, mention };
}

/** Whoever may write on this mention: anyone who triages, unless a manager took it over. */
async function assertMayWrite(db: Db, actor: AuthUser, mention: ReplyMention): Promise<void> {
  if (actor.role === "viewer") throw forbidden("Viewers cannot edit replies");
  const guard = await replyGuard(db, mention);
  if (guard.blocks.length > 0 && guard.takenOverBy?.id !== actor.id) {
    throw forbidden("This mention needs a manager to take it over before anyone writes a reply");
  }
}

export async function editReply(
  deps: Deps,
  actor: AuthUser,
  replyId: number,
  text: string,
): Promise<DraftOutcome> {
  assertMayTake(actor, "edit");
  const { reply, mention } = await loadReply(deps.db, actor.workspaceId, replyId);
  await assertMayWrite(deps.db, actor, mention);
  stepFor(reply.status, "edit");
  const trimmed = text.trim();
  if (!trimmed) throw badRequest("The reply is empty");
  const lint = await lintAsPosted(deps.db, actor, mention, trimmed);
  const now = deps.now();
  const updated = await transitionReply(deps.db, actor, reply.id, "edit", {
    from: reply.status,
    now,
    set: { text: trimmed, lint },
    audit: {
      before: { text: reply.text, status: reply.status },
      after: { text: trimmed, ok: lint.ok, rules: lint.violations.map((v) => v.rule) },
    },
    also: (tx) => recordLint(tx, reply.id, actor.id, trimmed, lint, now),
  });
  return { reply: updated, lint };
}

export async function submitReply(deps: Deps, actor: AuthUser, replyId: number): Promise<ReplyRow> {
  assertMayTake(actor, "submit");
  const { reply, mention } = await loadReply(deps.db, actor.workspaceId, replyId);
  await assertMayWrite(deps.db, actor, mention);
  stepFor(reply.status, "submit");
  const lint = await lintAsPosted(deps.db, actor, mention, reply.text);
  const now = deps.now();
  if (!lint.ok) {
    // The refused run is kept (evidence, and the editor shows what to fix); the reply stays a draft.
    await deps.db.transaction(async (tx) => {
      await recordLint(tx, reply.id, actor.id, reply.text, lint, now);
      await tx.update(replies).set({ lint, updatedAt: now }).where(eq(replies.id, reply.id));
    });
    throw new AppError("conflict", "Fix every highlighted problem before submitting", {
      violations: lint.violations,
    });
  }
  return transitionReply(deps.db, actor, reply.id, "submit", {
    from: reply.status,
    now,
    set: { lint },
    also: (tx) => recordLint(tx, reply.id, actor.id, reply.text, lint, now),
  });
}

/**
 * Everyone who wrote words of this reply or put it forward: its author, every editor and every submitter. None
 * of them may approve it. Read from the audit log, not from the lint runs: an approver's own run (an approval
 * the linter stopped) makes nobody a writer.
 */
async function writersOf(db: Db, replyId: number, authorId: number): Promise<Set<number>> {
  const rows = await db
    .selectDistinct({ userId: auditLog.actorId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, "reply"),
        eq(auditLog.entityId, String(replyId)),
        inArray(auditLog.action, ["reply.draft", "reply.edit", "reply.submit"]),
      ),
    );
  return new Set([authorId, ...rows.map((r) => r.userId).filter((id): id is number => id !== null)]);
}

export async function approveReply(deps: Deps, actor: AuthUser, replyId: number): Promise<ReplyRow> {
  assertMayTake(actor, "approve");
  const { reply, mention } = await loadReply(deps.db, actor.workspaceId, replyId);
  stepFor(reply.status, "approve");
  if ((await writersOf(deps.db, reply.id, reply.authorId)).has(actor.id)) {
    throw forbidden("Four eyes: a reply must be approved by a manager who did not write or edit it");
  }
  const lint = await lintAsPosted(deps.db, actor, mention, reply.text);
  const now = deps.now();
  const recordRun = (tx: DbOrTx) => recordLint(tx, reply.id, actor.id, reply.text, lint, now);
  if (!lint.ok) {
    // Committed before the refusal below: the reply really goes back to its writers, with the reasons.
    await transitionReply(deps.db, actor, reply.id, "stop", {
      from: reply.status,
      now,
      set: { lint },
      audit: { after: { rules: lint.violations.map((v) => v.rule) } },
      also: recordRun,
    });
    throw new AppError("conflict", "The reply no longer passes the linter; it went back to draft", {
      violations: lint.violations,
    });
  }
  return transitionReply(deps.db, actor, reply.id, "approve", {
    from: reply.status,
    now,
    set: { approvedBy: actor.id, approvedAt: now, lint },
    audit: { after: { text: reply.text, authorId: reply.authorId } },
    also: recordRun,
  });
}

export async function rejectReply(
  deps: Deps,
  actor: AuthUser,
  replyId: number,
  reason: string,
): Promise<ReplyRow> {
  assertMayTake(actor, "reject");
  const { reply } = await loadReply(deps.db, actor.workspaceId, replyId);
  stepFor(reply.status, "reject");
  return transitionReply(deps.db, actor, reply.id, "reject", {
    from: reply.status,
    now: deps.now(),
    audit: { before: { status: reply.status }, after: { status: "rejected", reason } },
  });
}

export interface ReplyHistoryItem extends ReplyRow {
  authorEmail: string | null;
  approverEmail: string | null;
  lints: {
    id: number;
    userId: number | null;
    text: string;
    ok: boolean;
    violations: unknown;
    createdAt: Date;
  }[];
}

export async function repliesForMention(db: Db, mentionId: number): Promise<ReplyHistoryItem[]> {
  const rows = await db
    .select()
    .from(replies)
    .where(eq(replies.mentionId, mentionId))
    .orderBy(asc(replies.id));
  if (rows.length === 0) return [];
  const people = await db.select({ id: users.id, email: users.email }).from(users);
  const email = new Map(people.map((p) => [p.id, p.email]));
  const lints = await db
    .select()
    .from(replyLints)
    .where(
      inArray(
        replyLints.replyId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(replyLints.id));
  return rows.map((r) => ({
    ...r,
    authorEmail: email.get(r.authorId) ?? null,
    approverEmail: r.approvedBy ? (email.get(r.approvedBy) ?? null) : null,
    lints: lints
      .filter((l) => l.replyId === r.id)
      .map((l) => ({
        id: l.id,
        userId: l.userId,
        text: l.text,
        ok: l.ok,
        violations: l.violations,
        createdAt: l.createdAt,
      })),
  }));
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
