// Who may write a reply on a mention. Mentions where a templated or drafted public reply is never appropriate:
// the person exercised a legal right, is vulnerable, or is represented, or a linked account says so. A manager
// must take them over (take-over.ts) and answer in their own words; the page shows why and what to do instead.
import { and, desc, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";
import { assertCan } from "../../domain/permissions.js";
import { type Flag, HUMAN_ONLY_FLAGS } from "../../domain/taxonomy.js";
import { forbidden } from "../../errors.js";
import { linkedAccountNotices } from "../accounts/rights.js";
import type { ReplyMention } from "./context.js";

type HumanOnlyFlag = (typeof HUMAN_ONLY_FLAGS)[number];

const GUIDANCE: Record<HumanOnlyFlag, { why: string; instead: string }> = {
  dispute: {
    why: "The person disputes the debt. A public reply could misstate its status, and the dispute must be recorded.",
    instead:
      "Record the dispute on the account and pause collection until it is verified; a manager decides whether to reply.",
  },
  cease_contact: {
    why: "The person asked us to stop contacting them (FDCPA §805(c)). A reply is itself contact.",
    instead:
      "Record the cease-contact request on the account; do not reply unless a manager decides a reply is lawful.",
  },
  attorney: {
    why: "The person says they are represented by an attorney; we may only communicate with the attorney (§805(a)(2)).",
    instead: "Record the representation and route the matter to the attorney through the collections team.",
  },
  bankruptcy: {
    why: "The person mentions bankruptcy; collection activity may be stayed and a reply can violate the stay.",
    instead: "Send to the bankruptcy or legal team to check the case before anything else happens.",
  },
  identity_theft: {
    why: "The person reports identity theft; any reply risks confirming a debt that may not be theirs.",
    instead: "Open an identity-theft review on the account and pause collection until it is resolved.",
  },
  deceased: {
    why: "The post concerns someone who has died; talking about their debt in public discloses it to third parties.",
    instead: "Route to the estates team; only the estate's representative may be contacted, privately.",
  },
  servicemember: {
    why: "The person is a servicemember; SCRA protections may apply and need checking first.",
    instead: "Route to the team that verifies SCRA status before any contact.",
  },
  self_harm: {
    why: "The post suggests the person may be at risk of harm. This needs a person, not a template.",
    instead:
      "Escalate to a manager now; pause collection and follow the crisis procedure (e.g. share the 988 lifeline privately).",
  },
};

export interface ReplyBlock {
  flag: HumanOnlyFlag;
  why: string;
  instead: string;
}

/** Why no template or draft may be used on this mention (empty when one may). */
export function humanOnlyReasons(flags: readonly (Flag | string)[]): ReplyBlock[] {
  return HUMAN_ONLY_FLAGS.filter((flag) => flags.includes(flag)).map((flag) => ({ flag, ...GUIDANCE[flag] }));
}

export function needsManager(flags: readonly (Flag | string)[]): boolean {
  return humanOnlyReasons(flags).length > 0;
}

/**
 * What a person must read before dismissing a mention that needs one (null when none is needed): dismissing takes
 * it out of the queue, so nobody would act on the right exercised or the risk described.
 */
export function dismissWarning(flags: readonly (Flag | string)[]): string | null {
  const reasons = humanOnlyReasons(flags);
  if (reasons.length === 0) return null;
  const named = reasons.map((r) => r.flag.replace(/_/g, "-")).join(", ");
  return `This post is flagged ${named} and needs a person: ${reasons[0]!.why} Dismissing or resolving it without a reply removes it from the queue.`;
}

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

/** Whoever may write on this mention: anyone who triages, unless a manager took it over. */
export async function assertMayWrite(db: Db, actor: AuthUser, mention: ReplyMention): Promise<void> {
  assertCan(actor.role, "draftReplies", "write replies");
  const guard = await replyGuard(db, mention);
  if (guard.blocks.length > 0 && guard.takenOverBy?.id !== actor.id) {
    throw forbidden("This mention needs a manager to take it over before anyone writes a reply");
  }
}
