// Instagram professional account (Instagram Graph API through Facebook Login, host graph.facebook.com):
// media the account is tagged in, and comments on the account's recent media. Caption @mentions need the
// media id from the `mentions` webhook, which polling cannot see; that path is not covered here.
import { z } from "zod";
import {
  type EdgePoller,
  type EdgeResult,
  graphGet,
  graphPaging,
  graphTime,
  metaBaseConfig,
  metaErrors,
  nextPageToken,
  paramsFromToken,
  pollEdgeRound,
  probeEdges,
} from "./meta-graph.js";
import { advanceSweep, type SweepState } from "./sweep.js";
import type { Connector, NormalizedMention, PollContext, PollPage } from "./types.js";

export const INSTAGRAM_EDGES = ["tags", "comments"] as const;
export type InstagramEdge = (typeof INSTAGRAM_EDGES)[number];

export const instagramConfigSchema = z.object({
  igUserId: z.string().min(1),
  ...metaBaseConfig,
  edges: z.array(z.enum(INSTAGRAM_EDGES)).min(1).default(["tags", "comments"]),
  /** How many recent media of the account to read comments from on each poll. */
  commentMedia: z.number().int().min(1).max(100).default(25),
  pageSize: z.number().int().min(1).max(100).default(50),
});
export type InstagramConfig = z.infer<typeof instagramConfigSchema>;

const taggedMedia = z.object({
  id: z.string().min(1),
  caption: z.string().optional(),
  media_type: z.string().optional(),
  timestamp: graphTime,
  permalink: z.string().optional(),
  username: z.string().optional(),
  comments_count: z.number().optional(),
  like_count: z.number().optional(),
});
export const tagsResponse = z.object({ data: z.array(taggedMedia), paging: graphPaging });

const igComment = z.object({
  id: z.string().min(1),
  text: z.string().optional(),
  timestamp: graphTime,
  username: z.string().optional(),
  like_count: z.number().optional(),
  from: z.object({ id: z.string(), username: z.string().optional() }).optional(),
  parent_id: z.string().optional(),
});
export const mediaCommentsResponse = z.object({
  data: z.array(
    z.object({
      id: z.string().min(1),
      permalink: z.string().optional(),
      comments: z.object({ data: z.array(igComment), paging: graphPaging }).optional(),
    }),
  ),
  paging: graphPaging,
});

type TaggedMedia = z.infer<typeof taggedMedia>;
type IgComment = z.infer<typeof igComment>;

const TAG_FIELDS = "id,caption,media_type,timestamp,permalink,username,comments_count,like_count";
const COMMENT_FIELDS = "id,text,timestamp,username,like_count,from{id,username},parent_id";

const EDGE_ERRORS = {
  tags: metaErrors("media the account is tagged in", "instagram_basic and instagram_manage_comments"),
  comments: metaErrors("comments on the account's media", "instagram_basic and instagram_manage_comments"),
};

export function normalizeTaggedMedia(media: TaggedMedia): NormalizedMention {
  return {
    externalId: media.id,
    url: media.permalink ?? null,
    authorHandle: media.username ?? null,
    text: media.caption ?? "",
    createdAt: new Date(media.timestamp),
    reach: media.like_count ?? null,
    threadId: media.id,
    replyTarget: null,
    meta: {
      kind: "tagged_media",
      mediaType: media.media_type ?? null,
      comments: media.comments_count ?? null,
    },
    raw: media,
  };
}

export function normalizeInstagramComment(
  item: IgComment,
  mediaId: string,
  mediaPermalink?: string,
): NormalizedMention {
  return {
    externalId: item.id,
    url: mediaPermalink ?? null,
    authorHandle: item.username ?? item.from?.username ?? null,
    authorId: item.from?.id ?? null,
    text: item.text ?? "",
    createdAt: new Date(item.timestamp),
    reach: item.like_count ?? null,
    threadId: mediaId,
    replyTarget: item.parent_id ?? item.id,
    meta: { kind: "comment", mediaId, parentId: item.parent_id ?? null },
    raw: item,
  };
}

async function pollTags(ctx: PollContext<InstagramConfig>, state: SweepState): Promise<EdgeResult> {
  const answer = await graphGet(
    ctx,
    `${ctx.config.igUserId}/tags`,
    { ...paramsFromToken(state.sweep?.next), fields: TAG_FIELDS, limit: String(ctx.config.pageSize) },
    tagsResponse,
    EDGE_ERRORS.tags,
  );
  const step = advanceSweep(
    state,
    answer.body.data.map((media) => ({ id: media.id, time: new Date(media.timestamp) })),
    nextPageToken(answer.body.paging),
    ctx.since,
  );
  return {
    mentions: answer.body.data.filter((media) => step.fresh.has(media.id)).map(normalizeTaggedMedia),
    state: step.state,
    done: step.done,
    answer,
  };
}

async function pollComments(ctx: PollContext<InstagramConfig>, state: SweepState): Promise<EdgeResult> {
  const answer = await graphGet(
    ctx,
    `${ctx.config.igUserId}/media`,
    { fields: `id,permalink,comments.limit(50){${COMMENT_FIELDS}}`, limit: String(ctx.config.commentMedia) },
    mediaCommentsResponse,
    EDGE_ERRORS.comments,
  );
  const all = answer.body.data.flatMap((media) =>
    (media.comments?.data ?? []).map((item) => ({ item, mediaId: media.id, permalink: media.permalink })),
  );
  const step = advanceSweep(
    state,
    all.map(({ item }) => ({ id: item.id, time: new Date(item.timestamp) })),
    null,
    ctx.since,
  );
  return {
    // The account's own comments are its replies, not mentions.
    mentions: all
      .filter(({ item }) => step.fresh.has(item.id) && item.from?.id !== ctx.config.igUserId)
      .map(({ item, mediaId, permalink }) => normalizeInstagramComment(item, mediaId, permalink)),
    state: step.state,
    done: true,
    answer,
  };
}

const EDGE_POLLERS: Record<InstagramEdge, EdgePoller<InstagramConfig>> = {
  tags: pollTags,
  comments: pollComments,
};

export const instagramConnector: Connector<InstagramConfig> = {
  type: "instagram",
  label: "Instagram",
  notice:
    "Reads media the account is tagged in and comments on its recent media. Caption @mentions and Stories are not available by polling.",
  configSchema: instagramConfigSchema,

  poll(ctx): Promise<PollPage> {
    return pollEdgeRound(ctx, ctx.config.edges, EDGE_POLLERS);
  },

  async testConnection(ctx) {
    return `Instagram account ${ctx.config.igUserId}: ${await probeEdges(ctx, ctx.config.edges, EDGE_POLLERS)}`;
  },
};
