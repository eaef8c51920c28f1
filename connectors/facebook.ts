// A Facebook Page: posts the page is tagged in, comments on the page's feed, and (opt-in) ratings. Each poll
// reads one page of one edge and the cursor records which edge comes next, so a round is resumable.
// Meta retired page ratings in Graph v22+ and gates the rest behind permissions; those answers surface as
// "unsupported" with the reason instead of an empty feed.
import { createHash } from "node:crypto";
import { z } from "zod";
import { parseJsonOrUndefined } from "../src/platform/http/index.js";
import { ConnectorError } from "./errors.js";
import {
  type EdgePoller,
  type EdgeResult,
  graphGet,
  graphPaging,
  graphTime,
  graphUrl,
  type MetaConfigBase,
  metaBaseConfig,
  metaErrors,
  nextPageToken,
  paramsFromToken,
  pollEdgeRound,
  probeEdges,
} from "./meta-graph.js";
import { advanceSweep, type SweepState } from "./sweep.js";
import type {
  Connector,
  NormalizedMention,
  PollContext,
  PollPage,
  ReplyRequest,
  ReplyResult,
} from "./types.js";

export const FACEBOOK_EDGES = ["tagged", "comments", "ratings"] as const;
export type FacebookEdge = (typeof FACEBOOK_EDGES)[number];

export const facebookConfigSchema = z.object({
  pageId: z.string().min(1),
  ...metaBaseConfig,
  // Ratings are opt-in: Meta answers error 12 for them from Graph v22.0 on.
  edges: z.array(z.enum(FACEBOOK_EDGES)).min(1).default(["tagged", "comments"]),
  /** How many recent feed posts to read comments from on each poll. */
  commentPosts: z.number().int().min(1).max(100).default(25),
  pageSize: z.number().int().min(1).max(100).default(50),
});
export type FacebookConfig = z.infer<typeof facebookConfigSchema>;

const from = z.object({ id: z.string(), name: z.string().optional() }).optional();

const taggedPost = z.object({
  id: z.string().min(1),
  message: z.string().optional(),
  created_time: graphTime,
  permalink_url: z.string().optional(),
  from,
});
export const taggedResponse = z.object({ data: z.array(taggedPost), paging: graphPaging });

const comment = z.object({
  id: z.string().min(1),
  message: z.string().optional(),
  created_time: graphTime,
  permalink_url: z.string().optional(),
  from,
  parent: z.object({ id: z.string() }).optional(),
});
export const feedCommentsResponse = z.object({
  data: z.array(
    z.object({
      id: z.string().min(1),
      message: z.string().optional(),
      created_time: graphTime.optional(),
      permalink_url: z.string().optional(),
      from,
      comments: z.object({ data: z.array(comment), paging: graphPaging }).optional(),
    }),
  ),
  paging: graphPaging,
});

const rating = z.object({
  created_time: graphTime,
  recommendation_type: z.enum(["positive", "negative"]).optional(),
  review_text: z.string().optional(),
  rating: z.number().optional(),
  has_rating: z.boolean().optional(),
  has_review: z.boolean().optional(),
  reviewer: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  open_graph_story: z.object({ id: z.string() }).optional(),
});
export const ratingsResponse = z.object({ data: z.array(rating), paging: graphPaging });

type TaggedPost = z.infer<typeof taggedPost>;
type FeedComment = z.infer<typeof comment>;
type Rating = z.infer<typeof rating>;

const TAGGED_FIELDS = "id,message,created_time,permalink_url,from{id,name}";
const COMMENT_FIELDS = "id,message,created_time,permalink_url,from{id,name},parent{id}";
const RATING_FIELDS =
  "created_time,recommendation_type,review_text,rating,has_rating,has_review,reviewer{id,name},open_graph_story{id}";

const EDGE_ERRORS = {
  tagged: metaErrors("posts the page is tagged in", "pages_read_user_content"),
  comments: metaErrors("comments on the page's posts", "pages_read_engagement and pages_read_user_content"),
  ratings: metaErrors(
    "page ratings (recommendations)",
    "pages_read_user_content",
    'Remove "ratings" from this source\'s edges to keep reading tagged posts and comments.',
  ),
};

export function normalizeTaggedPost(
  post: TaggedPost,
  kind: "tagged_post" | "visitor_post" = "tagged_post",
): NormalizedMention {
  return {
    externalId: post.id,
    url: post.permalink_url ?? `https://www.facebook.com/${post.id}`,
    authorName: post.from?.name ?? null,
    authorId: post.from?.id ?? null,
    text: post.message ?? "",
    createdAt: new Date(post.created_time),
    threadId: post.id,
    replyTarget: post.id,
    meta: { kind },
    raw: post,
  };
}

export function normalizeFacebookComment(item: FeedComment, postId: string): NormalizedMention {
  return {
    externalId: item.id,
    url: item.permalink_url ?? null,
    authorName: item.from?.name ?? null,
    authorId: item.from?.id ?? null,
    text: item.message ?? "",
    createdAt: new Date(item.created_time),
    threadId: postId,
    // Facebook threads are one level deep: answering a reply means commenting under its parent.
    replyTarget: item.parent?.id ?? item.id,
    meta: { kind: "comment", postId, parentId: item.parent?.id ?? null },
    raw: item,
  };
}

/** Ratings carry no id of their own; the story id when present, else a stable hash of who and when. */
export function ratingId(item: Rating): string {
  if (item.open_graph_story?.id) return item.open_graph_story.id;
  const who = item.reviewer?.id ?? item.reviewer?.name ?? "anonymous";
  return `rating:${createHash("sha256")
    .update(`${item.created_time}|${who}|${item.review_text ?? ""}`)
    .digest("hex")
    .slice(0, 24)}`;
}

export function normalizeFacebookRating(item: Rating): NormalizedMention {
  const stars =
    item.recommendation_type === "positive"
      ? 5
      : item.recommendation_type === "negative"
        ? 1
        : (item.rating ?? null);
  return {
    externalId: ratingId(item),
    url: item.open_graph_story?.id ? `https://www.facebook.com/${item.open_graph_story.id}` : null,
    authorName: item.reviewer?.name ?? null,
    authorId: item.reviewer?.id ?? null,
    text: item.review_text ?? "",
    createdAt: new Date(item.created_time),
    rating: stars,
    threadId: ratingId(item),
    replyTarget: null, // no documented way to answer a recommendation through the API
    meta: { kind: "recommendation", recommendation: item.recommendation_type ?? null },
    raw: item,
  };
}

async function pollTagged(ctx: PollContext<FacebookConfig>, state: SweepState): Promise<EdgeResult> {
  const answer = await graphGet(
    ctx,
    `${ctx.config.pageId}/tagged`,
    { ...paramsFromToken(state.sweep?.next), fields: TAGGED_FIELDS, limit: String(ctx.config.pageSize) },
    taggedResponse,
    EDGE_ERRORS.tagged,
  );
  const posts = answer.body.data.filter((post) => post.from?.id !== ctx.config.pageId);
  const step = advanceSweep(
    state,
    answer.body.data.map((post) => ({ id: post.id, time: new Date(post.created_time) })),
    nextPageToken(answer.body.paging),
    ctx.since,
  );
  return {
    mentions: posts.filter((post) => step.fresh.has(post.id)).map((post) => normalizeTaggedPost(post)),
    state: step.state,
    done: step.done,
    answer,
  };
}

async function pollComments(ctx: PollContext<FacebookConfig>, state: SweepState): Promise<EdgeResult> {
  // One request: the newest feed posts with their newest comments. Posts by visitors on the page's own feed
  // are mentions too; the page's own posts and comments are ours. Anything newer than the mark is new.
  const answer = await graphGet(
    ctx,
    `${ctx.config.pageId}/feed`,
    {
      fields: `id,message,created_time,permalink_url,from{id,name},comments.filter(stream).order(reverse_chronological).limit(100){${COMMENT_FIELDS}}`,
      limit: String(ctx.config.commentPosts),
    },
    feedCommentsResponse,
    EDGE_ERRORS.comments,
  );
  const isVisitor = (from: { id: string } | undefined) => from !== undefined && from.id !== ctx.config.pageId;
  const visitorPosts = answer.body.data.flatMap((post) =>
    isVisitor(post.from) && post.created_time ? [{ ...post, created_time: post.created_time }] : [],
  );
  const comments = answer.body.data.flatMap((post) =>
    (post.comments?.data ?? []).map((item) => ({ item, postId: post.id })),
  );
  const step = advanceSweep(
    state,
    [
      ...visitorPosts.map((post) => ({ id: post.id, time: new Date(post.created_time) })),
      ...comments.map(({ item }) => ({ id: item.id, time: new Date(item.created_time) })),
    ],
    null,
    ctx.since,
  );
  return {
    mentions: [
      ...visitorPosts
        .filter((post) => step.fresh.has(post.id))
        .map((post) => normalizeTaggedPost(post, "visitor_post")),
      ...comments
        .filter(({ item }) => step.fresh.has(item.id) && isVisitor(item.from))
        .map(({ item, postId }) => normalizeFacebookComment(item, postId)),
    ],
    state: step.state,
    done: true,
    answer,
  };
}

async function pollRatings(ctx: PollContext<FacebookConfig>, state: SweepState): Promise<EdgeResult> {
  const answer = await graphGet(
    ctx,
    `${ctx.config.pageId}/ratings`,
    { ...paramsFromToken(state.sweep?.next), fields: RATING_FIELDS, limit: String(ctx.config.pageSize) },
    ratingsResponse,
    EDGE_ERRORS.ratings,
  );
  const step = advanceSweep(
    state,
    answer.body.data.map((item) => ({ id: ratingId(item), time: new Date(item.created_time) })),
    nextPageToken(answer.body.paging),
    ctx.since,
  );
  return {
    mentions: answer.body.data.filter((item) => step.fresh.has(ratingId(item))).map(normalizeFacebookRating),
    state: step.state,
    done: step.done,
    answer,
  };
}

const EDGE_POLLERS: Record<FacebookEdge, EdgePoller<FacebookConfig>> = {
  tagged: pollTagged,
  comments: pollComments,
  ratings: pollRatings,
};

export const facebookConnector: Connector<FacebookConfig> = {
  type: "facebook",
  label: "Facebook page",
  notice:
    "Reads posts that tag the page, visitor posts on the page and comments on its recent posts. Page ratings are opt-in: Meta retired them in Graph API v22.0.",
  configSchema: facebookConfigSchema,

  poll(ctx): Promise<PollPage> {
    return pollEdgeRound(ctx, ctx.config.edges, EDGE_POLLERS);
  },

  async testConnection(ctx) {
    return `Facebook page ${ctx.config.pageId}: ${await probeEdges(ctx, ctx.config.edges, EDGE_POLLERS)}`;
  },

  async reply(ctx, request: ReplyRequest): Promise<ReplyResult> {
    const url = graphUrl(ctx.config as MetaConfigBase, `${encodeURIComponent(request.target)}/comments`);
    const response = await ctx.http.request(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${ctx.config.pageAccessToken}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: new URLSearchParams({ message: request.text }).toString(),
      credential: "pageAccessToken",
      // A POST that timed out may have been posted: never send it twice; the reply service decides.
      retries: 0,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      interpretError: metaErrors("commenting as the page", "pages_manage_engagement"),
    });
    const text = await response.text();
    const parsed = z.object({ id: z.string().min(1) }).safeParse(parseJsonOrUndefined(text));
    if (!parsed.success) {
      // The comment is probably posted; say so rather than inviting a second attempt.
      throw new ConnectorError(
        "payload",
        `Facebook accepted the reply but sent no comment id (${text.slice(0, 60)}): check the thread before posting again.`,
      );
    }
    return { externalId: parsed.data.id, url: `https://www.facebook.com/${parsed.data.id}` };
  },
};
