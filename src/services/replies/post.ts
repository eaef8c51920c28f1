// Posting an approved reply: through the platform's API where the connector can reply and the source has posting
// enabled, logged but not sent in dry-run mode, otherwise copied by a person and marked posted. Exactly one public
// reply per thread: a lease serialises posters, and the partial unique index on replies is the last word.

import { eq } from "drizzle-orm";
import { isConnectorError } from "../../../connectors/errors.js";
import { connectorFor } from "../../../connectors/index.js";
import type { AuthUser } from "../../auth/types.js";
import { cases, mentions, replies } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { httpUrlOrNull } from "../../domain/urls.js";
import { AppError, badRequest, conflict, notFound } from "../../errors.js";
import { openCredentials } from "../../platform/credentials.js";
import { type HttpClient, httpClientFromEnv } from "../../platform/http/index.js";
import { acquireLease, releaseLease } from "../../platform/jobs/lease.js";
import { recordAudit } from "../audit/record-audit.js";
import { loadReplyMention, type ReplyMention, threadHasPublicReply, threadKeyOf } from "./context.js";
import { assertMayTake, type ReplyRow, stepFor, transitionReply } from "./transition.js";

export type PostingMode = "api" | "dry_run" | "manual";

/** How a reply on this mention's source gets out: the platform API, a dry run, or copy-and-mark-posted. */
export function postingModeFor(
  mention: Pick<ReplyMention, "sourceType" | "postingEnabled" | "dryRun" | "replyTarget">,
): PostingMode {
  const connector = connectorFor(mention.sourceType);
  if (!connector?.reply || !mention.postingEnabled || !mention.replyTarget) return "manual";
  return mention.dryRun ? "dry_run" : "api";
}

export interface PostReplyInput {
  replyId: number;
  /** Copy-and-mark-posted: the person confirms they pasted the text on the platform. */
  confirmManual?: boolean | undefined;
  /** Where the manually posted reply can be seen, if they have it. */
  postedUrl?: string | undefined;
}

export interface PostOptions {
  http?: HttpClient;
}

const POST_LEASE_MS = 2 * 60_000;

/** Held while a reply in the thread is being posted: nothing else may post into it, or reject what is going out. */
export const postingLease = (threadKey: string) => `reply-post:${threadKey}`;

export async function postReply(
  deps: Deps,
  actor: AuthUser,
  input: PostReplyInput,
  options: PostOptions = {},
): Promise<ReplyRow> {
  assertMayTake(actor, "post");
  const [reply] = await deps.db.select().from(replies).where(eq(replies.id, input.replyId)).limit(1);
  if (!reply) throw notFound("Reply");
  const mention = await loadReplyMention(deps.db, actor.workspaceId, reply.mentionId);
  stepFor(reply.status, "post");
  if (!reply.approvedBy || reply.approvedBy === reply.authorId)
    throw conflict("The reply has no second-person approval");
  const mode = postingModeFor(mention);
  if (mode === "manual" && !input.confirmManual) {
    throw badRequest(
      "This source cannot post by API: copy the text to the platform, then confirm it was posted",
    );
  }
  const threadKey = threadKeyOf(mention);
  const leaseName = postingLease(threadKey);
  const holder = `reply-${reply.id}-${actor.id}`;
  const now = deps.now();
  if (!(await acquireLease(deps.db, leaseName, holder, POST_LEASE_MS, now))) {
    throw conflict("Someone else is posting a reply in this thread right now");
  }
  try {
    if (await threadHasPublicReply(deps.db, mention)) {
      throw conflict("The thread already has a public reply: one public reply per thread (B11)");
    }
    let externalId: string | null = null;
    let postedUrl = input.postedUrl?.trim() ? httpUrlOrNull(input.postedUrl) : null;
    if (input.postedUrl?.trim() && !postedUrl) {
      throw badRequest(
        `The reply's address must be an http(s) link (got "${input.postedUrl.trim().slice(0, 40)}"): paste the address the platform shows for the posted reply`,
      );
    }
    if (mode === "api") {
      const connector = connectorFor(mention.sourceType)!;
      const config = await openCredentials(
        mention.sourceConfig,
        deps.env.RAPPORT_SECRET,
        mention.sourceName,
      ).catch((error: unknown) => {
        throw badRequest(isConnectorError(error) ? error.message : String(error));
      });
      const parsed = connector.configSchema.safeParse(config);
      if (!parsed.success)
        throw badRequest(
          `Source "${mention.sourceName}" has invalid configuration; fix it on the Sources page`,
        );
      try {
        const result = await connector.reply!(
          {
            config: parsed.data,
            cursor: null,
            http: options.http ?? deps.http ?? httpClientFromEnv(deps.env),
            now,
          },
          { target: mention.replyTarget!, threadId: mention.threadId, text: reply.text },
        );
        externalId = result.externalId;
        postedUrl = httpUrlOrNull(result.url) ?? postedUrl;
      } catch (error) {
        const message = isConnectorError(error) ? error.message : String(error);
        await recordAudit(deps.db, {
          actor: { id: actor.id, email: actor.email },
          action: "reply.post_failed",
          entityType: "reply",
          entityId: reply.id,
          after: { error: message, source: mention.sourceName },
          at: now,
        });
        throw new AppError("upstream", `${mention.sourceName} refused the reply: ${message}`);
      }
    } else if (mode === "dry_run") {
      deps.log.info("dry run: reply not sent", {
        replyId: reply.id,
        source: mention.sourceName,
        target: mention.replyTarget,
        text: reply.text,
      });
    }

    return await transitionReply(deps.db, actor, reply.id, "post", {
      from: reply.status,
      text: reply.text,
      now,
      set: {
        postedBy: actor.id,
        postedAt: now,
        postedText: reply.text,
        postedExternalId: externalId,
        postedUrl,
        postedVia: mode,
      },
      firstResponseAt: now,
      audit: {
        after: { via: mode, text: reply.text, externalId, url: postedUrl, approvedBy: reply.approvedBy },
      },
      // The follow-up watch: later mentions by the same author attach to this case (src/pipeline/routers/follow-up.ts).
      also: async (tx) => {
        const [opened] = await tx
          .insert(cases)
          .values({
            rootMentionId: mention.id,
            replyId: reply.id,
            authorKey: mention.authorKey,
            openedAt: now,
            initialSentiment: mention.sentiment,
            latestSentiment: mention.sentiment,
          })
          .returning({ id: cases.id });
        await tx.update(mentions).set({ caseId: opened!.id }).where(eq(mentions.id, mention.id));
      },
    });
  } finally {
    await releaseLease(deps.db, leaseName, holder);
  }
}
