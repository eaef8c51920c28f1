// Posting an approved reply: through the platform's API where the connector can reply and the source has posting
// enabled, logged but not sent in dry-run mode, otherwise copied by a person and marked posted. Exactly one public
// reply per thread: a lease serialises posters, and the partial unique index on replies is the last word.
// Never twice: an API post moves the reply to `posting` before the request goes out (src/domain/replies/
// transitions.ts), so a crash after the platform published it cannot leave it `approved` for a blind retry.

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

/** What a retry of an interrupted API post says instead of posting again. */
export function postingInterrupted(sourceName: string): string {
  return (
    `This reply is posting — check the platform: a post to ${sourceName} started and its result was never ` +
    "recorded, so it may already be public. Look for it there: if it is there, mark it posted (with its link); " +
    "if it is not, mark it not posted, then post it again"
  );
}

/**
 * Whether a failed platform call certainly published nothing: the request was refused before it left, or the
 * platform answered with a refusal. A timeout, a network error, a 5xx or an answer we could not read may have
 * published the reply, so those leave it `posting` for a person to check.
 */
function certainlyNotPosted(error: unknown): boolean {
  return isConnectorError(error) && !["transient", "payload"].includes(error.failure);
}

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
  // An API post that never recorded its result: only a person who looked at the platform may finish it.
  const confirmingInterrupted = reply.status === "posting";
  if (confirmingInterrupted && !input.confirmManual) throw conflict(postingInterrupted(mention.sourceName));
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
    if (await threadHasPublicReply(deps.db, mention, reply.id)) {
      throw conflict("The thread already has a public reply: one public reply per thread (B11)");
    }
    let externalId: string | null = null;
    let postedUrl = input.postedUrl?.trim() ? httpUrlOrNull(input.postedUrl) : null;
    if (input.postedUrl?.trim() && !postedUrl) {
      throw badRequest(
        `The reply's address must be an http(s) link (got "${input.postedUrl.trim().slice(0, 40)}"): paste the address the platform shows for the posted reply`,
      );
    }
    let from = reply.status;
    if (mode === "api" && !confirmingInterrupted) {
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
      // Written before the request goes out: if this process dies after the platform published the reply and
      // before its answer is recorded, the reply stays `posting` and a retry refuses instead of posting twice.
      await transitionReply(deps.db, actor, reply.id, "start_post", {
        from: "approved",
        text: reply.text,
        now,
        audit: { after: { source: mention.sourceName } },
      });
      from = "posting";
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
        if (!certainlyNotPosted(error)) {
          deps.log.error("reply post outcome unknown; left posting", { replyId: reply.id, error: message });
          throw new AppError(
            "upstream",
            `${mention.sourceName} did not confirm the reply (${message}). ${postingInterrupted(mention.sourceName)}`,
          );
        }
        await transitionReply(deps.db, actor, reply.id, "post_failed", {
          from: "posting",
          now,
          audit: { after: { error: message, source: mention.sourceName } },
        });
        throw new AppError("upstream", `${mention.sourceName} refused the reply: ${message}`);
      }
    } else if (mode === "dry_run" && !confirmingInterrupted) {
      deps.log.info("dry run: reply not sent", {
        replyId: reply.id,
        source: mention.sourceName,
        target: mention.replyTarget,
        text: reply.text,
      });
    }
    // A person confirming an interrupted API post: it went out through the API, they checked it is there.
    const via = confirmingInterrupted ? "api" : mode;

    return await transitionReply(deps.db, actor, reply.id, "post", {
      from,
      text: reply.text,
      now,
      set: {
        postedBy: actor.id,
        postedAt: now,
        postedText: reply.text,
        postedExternalId: externalId,
        postedUrl,
        postedVia: via,
      },
      firstResponseAt: now,
      audit: {
        after: {
          via,
          text: reply.text,
          externalId,
          url: postedUrl,
          approvedBy: reply.approvedBy,
          ...(confirmingInterrupted ? { confirmedOnPlatformBy: actor.email } : {}),
        },
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

/**
 * After an interrupted API post, a person looked at the platform and the reply is not there: back to approved, so
 * it can be posted again. Audited with who checked.
 */
export async function markNotPosted(deps: Deps, actor: AuthUser, replyId: number): Promise<ReplyRow> {
  assertMayTake(actor, "not_posted");
  const [reply] = await deps.db.select().from(replies).where(eq(replies.id, replyId)).limit(1);
  if (!reply) throw notFound("Reply");
  const mention = await loadReplyMention(deps.db, actor.workspaceId, reply.mentionId); // checks the workspace
  stepFor(reply.status, "not_posted");
  // While the post that wrote `posting` still holds the thread, its platform call may yet publish the reply:
  // sending it back to approved now would let it be posted a second time.
  const now = deps.now();
  const lease = postingLease(threadKeyOf(mention));
  const holder = `not-posted-${reply.id}-${actor.id}`;
  if (!(await acquireLease(deps.db, lease, holder, POST_LEASE_MS, now)))
    throw conflict("The reply is being posted right now: wait for the platform's answer, then check again");
  try {
    return await transitionReply(deps.db, actor, reply.id, "not_posted", {
      from: "posting",
      now,
      audit: { after: { checkedBy: actor.email } },
    });
  } finally {
    await releaseLease(deps.db, lease, holder);
  }
}
