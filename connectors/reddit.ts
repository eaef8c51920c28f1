// Reddit: OAuth app-only search (sort=new) when the source has app credentials, the public Atom search feed
// when it has none, and a comment reply with a user-context token when it has posting credentials.
import Parser from "rss-parser";
import { z } from "zod";
import { getAccessToken, parsePayload, rateLimitResetAt } from "../src/platform/http/index.js";
import { ConnectorError, isConnectorError } from "./errors.js";
import type {
  Connector,
  Cursor,
  NormalizedMention,
  PollContext,
  PollPage,
  ReplyRequest,
  ReplyResult,
} from "./types.js";

const API_BASE = "https://oauth.reddit.com";
const WWW_BASE = "https://www.reddit.com";
const DAY_S = 86_400;

export const redditConfigSchema = z
  .object({
    /** Reddit search syntax, e.g. `"Acme Recovery" OR acmerecovery` (512 characters at most). */
    query: z.string().trim().min(1, "a search query is required").max(512),
    /** Restrict the search to one subreddit (name without r/). */
    subreddit: z
      .string()
      .regex(/^[A-Za-z0-9_]{2,21}$/, "a subreddit name such as personalfinance")
      .optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /** Posting credentials (a "script" app's owner account): only needed for replies. */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Reddit throttles generic agents: `<platform>:<app id>:<version> (by /u/<username>)`. */
    userAgent: z.string().min(10).optional(),
    /** oauth.reddit.com, or a proxy / local test server speaking the same API. */
    baseUrl: z.string().url().optional(),
    /** www.reddit.com: the token endpoint and the Atom feeds. */
    wwwBaseUrl: z.string().url().optional(),
    pageSize: z.number().int().min(1).max(100).default(100),
    /** How far back the very first run reaches when no backfill date is given. */
    initialDays: z.number().int().min(1).max(365).default(7),
  })
  .refine((c) => Boolean(c.clientId) === Boolean(c.clientSecret), {
    message: "clientId and clientSecret go together (leave both out to use the public feed)",
    path: ["clientSecret"],
  })
  .refine((c) => Boolean(c.username) === Boolean(c.password), {
    message: "username and password go together (they are only needed for replies)",
    path: ["password"],
  });
export type RedditConfig = z.infer<typeof redditConfigSchema>;

// ---------------------------------------------------------------------------------------------- payloads

const postSchema = z.object({
  id: z.string(),
  name: z.string().regex(/^t3_/),
  title: z.string(),
  selftext: z.string().default(""),
  author: z.string(),
  author_fullname: z.string().nullish(),
  subreddit: z.string(),
  subreddit_name_prefixed: z.string().optional(),
  permalink: z.string().startsWith("/"),
  created_utc: z.number(),
  score: z.number().optional(),
  num_comments: z.number().optional(),
  over_18: z.boolean().optional(),
  is_self: z.boolean().optional(),
  url: z.string().optional(),
});
type RedditPost = z.infer<typeof postSchema>;

/** A search listing as Reddit sends it (exported for the demo, which replays recorded pages through it). */
export const listingSchema = z.object({
  kind: z.literal("Listing"),
  data: z.object({
    after: z.string().nullable(),
    children: z.array(z.object({ kind: z.literal("t3"), data: postSchema })),
  }),
});

const feedSchema = z.object({
  items: z.array(
    z.object({
      id: z.string().regex(/^t3_/),
      title: z.string(),
      link: z.string().url(),
      author: z.string().optional(),
      isoDate: z.string().datetime(),
      content: z.string().optional(),
    }),
  ),
});
type FeedItem = z.infer<typeof feedSchema>["items"][number];

const commentResponseSchema = z.object({
  json: z.object({
    errors: z.array(z.array(z.string().nullable())),
    data: z
      .object({
        things: z.array(
          z.object({
            kind: z.string(),
            data: z.object({ name: z.string(), permalink: z.string().optional() }),
          }),
        ),
      })
      .optional(),
  }),
});

const cursorSchema = z.object({
  newest: z.object({ created: z.number(), name: z.string() }).optional(),
  run: z
    .object({
      floor: z.number(),
      after: z.string().optional(),
      pendingNewest: z.object({ created: z.number(), name: z.string() }).optional(),
    })
    .optional(),
  /** Reddit said the window is used up: the next request waits until then. */
  pausedUntil: z.string().optional(),
});
type RedditCursor = z.infer<typeof cursorSchema>;
type Mark = { created: number; name: string };

// ---------------------------------------------------------------------------------------------- helpers

function userAgent(config: RedditConfig): string {
  return (
    config.userAgent ??
    `node:rapport:v0.1.0 (reputation monitor${config.username ? ` by /u/${config.username}` : ""})`
  );
}

async function readJson<T>(response: Response, schema: z.ZodType<T>, origin: string): Promise<T> {
  let text = "";
  let body: unknown;
  try {
    text = await response.text();
    body = JSON.parse(text);
  } catch (error) {
    throw new ConnectorError("payload", `${origin} sent a body that is not JSON (${text.length} bytes)`, {
      cause: error,
    });
  }
  return parsePayload(schema, body, origin);
}

/** The app (client credentials) or the script account (password) token, through the one OAuth token policy. */
async function accessToken(
  ctx: PollContext<RedditConfig>,
  grant: "client_credentials" | "password",
  fresh = false,
): Promise<string> {
  const { config, http } = ctx;
  if (!config.clientId || !config.clientSecret) {
    throw new ConnectorError("config", "Reddit OAuth needs clientId and clientSecret");
  }
  if (grant === "password" && (!config.username || !config.password)) {
    throw new ConnectorError(
      "config",
      "posting to Reddit needs username and password (a script app's account)",
    );
  }
  return getAccessToken(
    http,
    {
      tokenUrl: new URL("/api/v1/access_token", config.wwwBaseUrl ?? config.baseUrl ?? WWW_BASE).toString(),
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      params:
        grant === "password"
          ? { grant_type: "password", username: config.username!, password: config.password! }
          : { grant_type: "client_credentials" },
      clientAuth: "basic",
      credentials:
        grant === "password"
          ? { grant: "username / password", client: "clientId / clientSecret" }
          : { grant: "clientId / clientSecret", client: "clientId / clientSecret" },
      platform: "Reddit",
      headers: { "user-agent": userAgent(config) },
    },
    ctx.now,
    { signal: ctx.signal, fresh },
  );
}

function readCursor(cursor: Cursor | null): RedditCursor {
  if (!cursor) return {};
  const parsed = cursorSchema.safeParse(cursor);
  return parsed.success ? parsed.data : {};
}

/** The narrowest `t` window that still covers everything since `floor` (search's own date filter). */
function timeWindow(floorSeconds: number, now: Date): string {
  const age = now.getTime() / 1000 - floorSeconds;
  if (age <= 3_600) return "hour";
  if (age <= DAY_S) return "day";
  if (age <= 7 * DAY_S) return "week";
  if (age <= 31 * DAY_S) return "month";
  if (age <= 365 * DAY_S) return "year";
  return "all";
}

function later(a: Mark | undefined, b: Mark | undefined): Mark | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.created > a.created ? b : a;
}

export function normalizePost(post: RedditPost): NormalizedMention {
  const author = post.author === "[deleted]" || post.author === "[removed]" ? null : post.author;
  return {
    externalId: post.name,
    url: `https://www.reddit.com${post.permalink}`,
    authorHandle: author,
    authorName: author,
    authorId: post.author_fullname ?? null,
    text: [post.title.trim(), post.selftext.trim()].filter(Boolean).join("\n\n"),
    createdAt: new Date(post.created_utc * 1000),
    reach: post.score === undefined ? null : Math.max(0, post.score) + (post.num_comments ?? 0),
    threadId: post.name,
    replyTarget: post.name,
    meta: {
      subreddit: post.subreddit_name_prefixed ?? `r/${post.subreddit}`,
      score: post.score ?? null,
      numComments: post.num_comments ?? null,
      over18: post.over_18 ?? null,
    },
    raw: post,
  };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith("#x") || code.startsWith("#X"))
        return String.fromCodePoint(Number.parseInt(code.slice(2), 16));
      if (code.startsWith("#")) return String.fromCodePoint(Number(code.slice(1)));
      return ENTITIES[code.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n\n")
    .trim();
}

export function normalizeFeedItem(item: FeedItem): NormalizedMention {
  // The Atom content is the self-text (inside <div class="md">) followed by "submitted by /u/… to r/…".
  const body = item.content?.match(/<div class="md">([\s\S]*?)<\/div>/)?.[1];
  const author = item.author?.replace(/^\/?u\//, "") ?? null;
  const subreddit = item.link.match(/reddit\.com\/(r\/[^/]+)/)?.[1] ?? null;
  return {
    externalId: item.id,
    url: item.link,
    authorHandle: author,
    authorName: author,
    text: [item.title.trim(), body ? htmlToText(body) : ""].filter(Boolean).join("\n\n"),
    createdAt: new Date(item.isoDate),
    threadId: item.id,
    replyTarget: item.id,
    meta: { subreddit, via: "atom" },
    raw: item,
  };
}

// ---------------------------------------------------------------------------------------------- poll

interface Fetched {
  posts: Array<{ mention: NormalizedMention; created: number }>;
  after: string | null;
  pausedUntil?: Date;
}

async function searchOAuth(
  ctx: PollContext<RedditConfig>,
  floor: number,
  after: string | undefined,
): Promise<Fetched> {
  const { config } = ctx;
  const url = new URL(
    config.subreddit ? `/r/${config.subreddit}/search` : "/search",
    config.baseUrl ?? API_BASE,
  );
  url.searchParams.set("q", config.query);
  url.searchParams.set("sort", "new");
  url.searchParams.set("t", timeWindow(floor, ctx.now));
  url.searchParams.set("limit", String(config.pageSize));
  url.searchParams.set("type", "link");
  url.searchParams.set("raw_json", "1");
  if (config.subreddit) url.searchParams.set("restrict_sr", "on");
  if (after) url.searchParams.set("after", after);

  const send = async (fresh: boolean) =>
    ctx.http.request(url, {
      headers: {
        authorization: `bearer ${await accessToken(ctx, "client_credentials", fresh)}`,
        "user-agent": userAgent(config),
        accept: "application/json",
      },
      credential: "clientId / clientSecret",
      signal: ctx.signal,
    });
  let response: Response;
  try {
    response = await send(false);
  } catch (error) {
    // A cached token can be revoked before it expires: one fresh token, then the 401 is the credentials' fault.
    if (!isConnectorError(error) || error.failure !== "auth") throw error;
    response = await send(true);
  }
  const listing = await readJson(response, listingSchema, url.host);
  return {
    posts: listing.data.children.map((child) => ({
      mention: normalizePost(child.data),
      created: child.data.created_utc,
    })),
    after: listing.data.after,
    pausedUntil: pauseFrom(response, ctx.now),
  };
}

async function searchFeed(ctx: PollContext<RedditConfig>, after: string | undefined): Promise<Fetched> {
  const { config } = ctx;
  const url = new URL(
    config.subreddit ? `/r/${config.subreddit}/search.rss` : "/search.rss",
    config.wwwBaseUrl ?? config.baseUrl ?? WWW_BASE,
  );
  url.searchParams.set("q", config.query);
  url.searchParams.set("sort", "new");
  url.searchParams.set("limit", String(config.pageSize));
  if (config.subreddit) url.searchParams.set("restrict_sr", "on");
  if (after) url.searchParams.set("after", after);
  const response = await ctx.http.request(url, {
    headers: { "user-agent": userAgent(config), accept: "application/atom+xml" },
    // Reddit answers 403 to anonymous feeds from many data-centre networks; app credentials are the fix.
    credential: "clientId / clientSecret (Reddit refused the anonymous feed from this network)",
    signal: ctx.signal,
  });
  const xml = await response.text();
  let parsed: unknown;
  try {
    parsed = await new Parser().parseString(xml);
  } catch (error) {
    throw new ConnectorError(
      "payload",
      `${url.host} sent a feed that is not valid Atom (${xml.length} bytes): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const feed = parsePayload(feedSchema, parsed, `${url.host} Atom feed`);
  const posts = feed.items.map((item) => ({
    mention: normalizeFeedItem(item),
    created: Date.parse(item.isoDate) / 1000,
  }));
  const last = feed.items.at(-1);
  return {
    posts,
    after: last && feed.items.length >= config.pageSize ? last.id : null,
    pausedUntil: pauseFrom(response, ctx.now),
  };
}

function pauseFrom(response: Response, now: Date): Date | undefined {
  const remaining = Number(response.headers.get("x-ratelimit-remaining"));
  if (!response.headers.has("x-ratelimit-remaining") || remaining >= 1) return undefined;
  return rateLimitResetAt(response.headers, response.status, now) ?? undefined;
}

async function poll(ctx: PollContext<RedditConfig>): Promise<PollPage> {
  const state = readCursor(ctx.cursor);
  if (state.pausedUntil && Date.parse(state.pausedUntil) > ctx.now.getTime()) {
    throw new ConnectorError(
      "rate_limited",
      "Reddit rate-limit window is used up (X-Ratelimit-Remaining: 0)",
      {
        retryAt: new Date(state.pausedUntil),
      },
    );
  }
  const floor =
    state.run?.floor ??
    (ctx.since
      ? ctx.since.getTime() / 1000
      : (state.newest?.created ?? ctx.now.getTime() / 1000 - ctx.config.initialDays * DAY_S));

  const fetched = ctx.config.clientId
    ? await searchOAuth(ctx, floor, state.run?.after)
    : await searchFeed(ctx, state.run?.after);

  // Newest first: everything older than the floor was seen by an earlier run (equal times are left to dedup).
  const fresh = fetched.posts.filter((p) => p.created >= floor);
  const reachedFloor = fresh.length < fetched.posts.length || fetched.posts.length === 0 || !fetched.after;
  const pageNewest = fresh.reduce<Mark | undefined>(
    (mark, p) => later(mark, { created: p.created, name: p.mention.externalId }),
    undefined,
  );
  const pendingNewest = later(state.run?.pendingNewest, pageNewest);
  const pausedUntil = fetched.pausedUntil ? { pausedUntil: fetched.pausedUntil.toISOString() } : {};
  const mentions = fresh.map((p) => p.mention);

  if (!reachedFloor && fetched.after) {
    const run = { floor, after: fetched.after, ...(pendingNewest ? { pendingNewest } : {}) };
    return { mentions, cursor: { ...keepNewest(state), run, ...pausedUntil }, hasMore: true };
  }
  const newest = later(state.newest, pendingNewest);
  return { mentions, cursor: { ...(newest ? { newest } : {}), ...pausedUntil }, hasMore: false };
}

function keepNewest(state: RedditCursor): Cursor {
  return state.newest ? { newest: state.newest } : {};
}

// ---------------------------------------------------------------------------------------------- reply

async function reply(ctx: PollContext<RedditConfig>, request: ReplyRequest): Promise<ReplyResult> {
  const { config } = ctx;
  if (!config.clientId || !config.clientSecret || !config.username || !config.password) {
    throw new ConnectorError(
      "config",
      "posting to Reddit needs clientId, clientSecret, username and password (a script app and its account)",
    );
  }
  if (!/^t[13]_[a-z0-9]+$/i.test(request.target)) {
    throw new ConnectorError(
      "config",
      `"${request.target}" is not a Reddit post or comment id (t3_… / t1_…)`,
    );
  }
  const token = await accessToken(ctx, "password");
  const url = new URL("/api/comment", config.baseUrl ?? API_BASE);
  const response = await ctx.http.request(url, {
    method: "POST",
    headers: {
      authorization: `bearer ${token}`,
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": userAgent(config),
      accept: "application/json",
    },
    body: new URLSearchParams({ api_type: "json", thing_id: request.target, text: request.text }).toString(),
    credential: "username / password",
    // A comment must never be posted twice: no automatic retry once the request may have reached Reddit.
    retries: 0,
    signal: ctx.signal,
  });
  const body = await readJson(response, commentResponseSchema, url.host);
  const [first] = body.json.errors;
  if (first) {
    const [code, message] = first;
    if (code === "RATELIMIT") {
      throw new ConnectorError("rate_limited", `Reddit refused the comment: ${message}`, {
        retryAt: retryFromMessage(message ?? "", ctx.now),
      });
    }
    if (code === "USER_REQUIRED")
      throw new ConnectorError("auth", "Reddit says the account is not logged in: check username / password");
    if (
      code === "TOO_OLD" ||
      code === "THREAD_LOCKED" ||
      code === "DELETED_LINK" ||
      code === "DELETED_COMMENT"
    ) {
      throw new ConnectorError(
        "unsupported",
        `Reddit does not accept replies to ${request.target}: ${message ?? code}`,
      );
    }
    throw new ConnectorError("payload", `Reddit refused the comment: ${code}: ${message ?? ""}`);
  }
  const thing = body.json.data?.things[0]?.data;
  if (!thing)
    throw new ConnectorError("payload", "Reddit accepted the comment but returned no `json.data.things[0]`");
  return {
    externalId: thing.name,
    url: thing.permalink ? `https://www.reddit.com${thing.permalink}` : null,
  };
}

/** "you are doing that too much. try again in 9 minutes." → now + 9 min. */
function retryFromMessage(message: string, now: Date): Date {
  const match = message.match(/(\d+)\s*(second|minute|hour)/i);
  const amount = match ? Number(match[1]) : 10;
  const unit = match?.[2]?.toLowerCase() ?? "minute";
  const ms = unit === "second" ? 1_000 : unit === "hour" ? 3_600_000 : 60_000;
  return new Date(now.getTime() + amount * ms);
}

export const redditConnector: Connector<RedditConfig> = {
  type: "reddit",
  label: "Reddit",
  configSchema: redditConfigSchema as z.ZodType<RedditConfig>,
  notice:
    "Reddit search finds posts (not comments). Without app credentials Rapport reads the public Atom feed, which Reddit throttles hard, often blocks from data centres, and has said it may restrict.",
  poll,
  reply,
  async testConnection(ctx) {
    if (ctx.config.clientId) {
      await accessToken(ctx, "client_credentials", true);
      if (ctx.config.username) await accessToken(ctx, "password", true);
      return `Reddit accepted the app credentials${ctx.config.username ? ` and the account /u/${ctx.config.username}` : ""}`;
    }
    const fetched = await searchFeed(ctx, undefined);
    return `Reddit's public feed answered with ${fetched.posts.length} posts (add clientId/clientSecret for the API)`;
  },
};
