// What the Reply panel of a mention (and GET /api/mentions/:id/replies) shows: the mention, who signs, the guards,
// every reply with its lint runs, how posting works, the templates to start from, and who wrote the open reply
// (they may not approve it).

import { and, desc, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { auditLog } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { can } from "../../domain/permissions.js";
import type { Platform } from "../../domain/taxonomy.js";
import { type LinkView, linksForMention } from "../accounts/accounts.js";
import { writersOf } from "./approve.js";
import {
  brandVoice,
  loadReply,
  loadReplyMention,
  platformForSource,
  type ReplyMention,
  threadHasPublicReply,
} from "./context.js";
import { type ReplyGuard, replyGuard } from "./gate.js";
import { type ReplyHistoryItem, repliesForMention } from "./history.js";
import { type PostingMode, postingModeFor } from "./post.js";
import { libraryTemplates, templateChoices } from "./templates.js";

export interface ReplyPanel {
  mention: ReplyMention;
  platform: Platform;
  brandName: string;
  guard: ReplyGuard;
  history: ReplyHistoryItem[];
  /** The reply being worked on: the latest one not rejected. */
  current: ReplyHistoryItem | null;
  /** Its author, editors and submitters (four eyes: none of them may approve it). */
  currentWriters: number[];
  threadAnswered: boolean;
  postingMode: PostingMode;
  templates: { id: string; label: string }[];
  /** Account links, for roles that may see accounts (and only when asked for). */
  links: LinkView[] | null;
  /** The warnings the approver of the current reply accepted, and why (from the audit log). */
  acceptance: { rules: string[]; reason: string; by: string | null; at: Date } | null;
  /** The latest reply an approver sent back (rejected) with their comment, when no newer reply is open. */
  sentBack: { replyId: number; text: string; reason: string; by: string | null; at: Date } | null;
}

async function sentBackOf(deps: Deps, history: ReplyHistoryItem[]): Promise<ReplyPanel["sentBack"]> {
  const last = history.at(-1);
  if (last?.status !== "rejected") return null;
  const [row] = await deps.db
    .select({ after: auditLog.after, by: auditLog.actorEmail, at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "reply.reject"),
        eq(auditLog.entityType, "reply"),
        eq(auditLog.entityId, String(last.id)),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1);
  if (!row) return null;
  const reason = ((row.after ?? {}) as { reason?: string }).reason ?? "";
  return { replyId: last.id, text: last.text, reason, by: row.by, at: row.at };
}

async function acceptanceOf(deps: Deps, replyId: number): Promise<ReplyPanel["acceptance"]> {
  const [row] = await deps.db
    .select({ after: auditLog.after, by: auditLog.actorEmail, at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "reply.warnings_accepted"),
        eq(auditLog.entityType, "reply"),
        eq(auditLog.entityId, String(replyId)),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1);
  if (!row) return null;
  const after = (row.after ?? {}) as { rules?: string[]; reason?: string };
  return { rules: after.rules ?? [], reason: after.reason ?? "", by: row.by, at: row.at };
}

export async function replyPanel(
  deps: Deps,
  viewer: AuthUser,
  mentionId: number,
  options: { withLinks?: boolean } = {},
): Promise<ReplyPanel> {
  const mention = await loadReplyMention(deps.db, viewer.workspaceId, mentionId);
  const voice = await brandVoice(deps.db, viewer.workspaceId, {
    mentionId,
    sourceBrandId: mention.sourceBrandId,
  });
  const platform = platformForSource(mention.sourceType);
  const [guard, history, threadAnswered, library] = await Promise.all([
    replyGuard(deps.db, mention),
    repliesForMention(deps.db, mentionId),
    threadHasPublicReply(deps.db, mention),
    libraryTemplates(deps.db, voice.brandId),
  ]);
  const current = [...history].reverse().find((r) => r.status !== "rejected") ?? null;
  const links =
    options.withLinks && can(viewer.role, "manageAccounts")
      ? await linksForMention(deps, viewer, mention.id)
      : null;
  return {
    mention,
    platform,
    brandName: voice.brandName,
    guard,
    history,
    current,
    currentWriters: current ? [...(await writersOf(deps.db, current.id, current.authorId))] : [],
    threadAnswered,
    postingMode: postingModeFor(mention),
    templates: templateChoices(library, platform),
    links,
    acceptance: current ? await acceptanceOf(deps, current.id) : null,
    sentBack: current ? null : await sentBackOf(deps, history),
  };
}

/** Where a form about a reply returns to: its mention's Reply panel (the reply must be in the viewer's workspace). */
export async function replyPanelPath(deps: Deps, viewer: AuthUser, replyId: number): Promise<string> {
  const { mention } = await loadReply(deps.db, viewer.workspaceId, replyId);
  return `/mentions/${mention.id}/reply`;
}
