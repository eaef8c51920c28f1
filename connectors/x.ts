// X (Twitter) recent search through twitter-api-v2, or through fetch where the library cannot run
// (Cloudflare Workers; connectors/x-fetch.ts), one page per poll() call.
//
// The library's paginator throws ApiResponseError when a later page answers 429/500 and stops quietly when the
// last response said `x-rate-limit-remaining: 0`, losing track of where it was. So every request (first page
// or `next_token` page) goes through one guarded call here: errors become ConnectorErrors, the position lives
// in our cursor, and `since_id` moves only after the last page of a run was consumed.
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from "twitter-api-v2";
import { z } from "zod";
import {
  parsePayload,
  type RetryPolicy,
  rateLimitResetAt,
  retryPolicy,
  withRetry,
} from "../src/platform/http/index.js";
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
import {
  chooseXTransport,
  fetchTransport,
  isCloudflareWorkers,
  XResponseError,
  type XTransport,
  type XTransportName,
} from "./x-fetch.js";

const SEARCH_WINDOW_MS = 7 * 86_400_000;
const ORIGIN = "api.x.com";

export const xConfigSchema = z
  .object({
    /** X search syntax, e.g. `"Acme Recovery" OR @AcmeRecovery -is:retweet` (512 characters on standard tiers). */
    query: z.string().trim().min(1, "a search query is required").max(512),
    /** App-only OAuth 2.0 bearer token: enough for search. */
    bearerToken: z.string().min(20, "must be the app's bearer token from the X developer portal"),
    /** OAuth 1.0a user context: only needed to post replies as the brand account. */
    appKey: z.string().min(1).optional(),
    appSecret: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
    accessSecret: z.string().min(1).optional(),
    maxResults: z.number().int().min(10).max(100).default(100),
    /** How requests reach X: twitter-api-v2 (Node's https, the default on Node) or fetch (always on Workers). */
    transport: z.enum(["library", "fetch"]).optional(),
    /**
     * X API v2 root, for an egress proxy that speaks X's wire format (default https://api.x.com/2/). Only the
     * fetch transport can use it, so setting it chooses fetch.
     */
    apiBaseUrl: z.url().optional(),
  })
  .refine((c) => !(c.apiBaseUrl && c.transport === "library"), {
    message: "apiBaseUrl works only with the fetch transport: remove transport or set it to fetch",
    path: ["transport"],
  })
  .refine(
    (c) => {
      const given = [c.appKey, c.appSecret, c.accessToken, c.accessSecret].filter(Boolean).length;
      return given === 0 || given === 4;
    },
    { message: "posting needs all four of appKey, appSecret, accessToken, accessSecret", path: ["appKey"] },
  );
export type XConfig = z.infer<typeof xConfigSchema>;

// ---------------------------------------------------------------------------------------------- payloads

const publicMetricsSchema = z
  .object({
    retweet_count: z.number().optional(),
    reply_count: z.number().optional(),
    like_count: z.number().optional(),
    quote_count: z.number().optional(),
    impression_count: z.number().optional(),
  })
  .optional();

const tweetSchema = z.object({
  id: z.string().regex(/^\d+$/),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().datetime({ offset: true }),
  conversation_id: z.string().optional(),
  in_reply_to_user_id: z.string().optional(),
  lang: z.string().optional(),
  public_metrics: publicMetricsSchema,
  referenced_tweets: z.array(z.object({ type: z.string(), id: z.string() })).optional(),
  note_tweet: z.object({ text: z.string() }).optional(),
});
type Tweet = z.infer<typeof tweetSchema>;

const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  verified: z.boolean().optional(),
  public_metrics: z.object({ followers_count: z.number() }).partial().optional(),
});
type User = z.infer<typeof userSchema>;

/** A search page as X sends it (exported for the demo, which replays recorded pages through it). */
export const searchSchema = z.object({
  data: z.array(tweetSchema).optional(),
  includes: z.object({ users: z.array(userSchema).optional() }).optional(),
  meta: z.object({
    result_count: z.number(),
    newest_id: z.string().optional(),
    oldest_id: z.string().optional(),
    next_token: z.string().optional(),
  }),
  // Partial errors (a deleted author, a withheld post) arrive beside good data: they do not void the page.
  errors: z.array(z.unknown()).optional(),
});

const createdSchema = z.object({ data: z.object({ id: z.string(), text: z.string() }) });

const cursorSchema = z.object({
  /** Newest post id stored by a finished run: the next run's `since_id`. */
  sinceId: z.string().optional(),
  /** Newest id of the run in progress; becomes `sinceId` once its last page is consumed. */
  pendingNewestId: z.string().optional(),
  nextToken: z.string().optional(),
  /** `start_time` of a run without `since_id`: X wants the same query on every page. */
  startTime: z.string().optional(),
  /** X said the window is used up (remaining 0): the next request waits until then. */
  pausedUntil: z.string().optional(),
});
type XCursor = z.infer<typeof cursorSchema>;

// ---------------------------------------------------------------------------------------------- normalize

export function normalizeTweet(tweet: Tweet, author: User | undefined): NormalizedMention {
  const metrics = tweet.public_metrics ?? {};
  const followers = author?.public_metrics?.followers_count ?? 0;
  return {
    externalId: tweet.id,
    url: author
      ? `https://x.com/${author.username}/status/${tweet.id}`
      : `https://x.com/i/web/status/${tweet.id}`,
    authorHandle: author?.username ?? null,
    authorName: author?.name ?? null,
    authorId: tweet.author_id ?? null,
    text: tweet.note_tweet?.text ?? tweet.text,
    createdAt: new Date(tweet.created_at),
    reach: followers + (metrics.retweet_count ?? 0) + (metrics.like_count ?? 0),
    language: tweet.lang && tweet.lang !== "und" ? tweet.lang : null,
    threadId: tweet.conversation_id ?? tweet.id,
    replyTarget: tweet.id,
    meta: {
      followers: author?.public_metrics?.followers_count ?? null,
      verified: author?.verified ?? null,
      publicMetrics: tweet.public_metrics ?? null,
      inReplyToUserId: tweet.in_reply_to_user_id ?? null,
      referenced: tweet.referenced_tweets?.map((r) => r.type) ?? [],
    },
    raw: tweet,
  };
}

/** Post ids are 64-bit snowflakes: compare them as big integers, never as JS numbers. */
function newerId(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return BigInt(b) > BigInt(a) ? b : a;
}

// ---------------------------------------------------------------------------------------------- errors

export interface XBehaviour {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  timeoutMs?: number;
  /** Retries after the first attempt for 5xx, network failures and short rate-limit waits. */
  retries?: number;
  baseDelayMs?: number;
  /** Longest in-process wait for a rate-limit window; longer ones end the poll with `retryAt`. */
  maxWaitMs?: number;
  /** Whether this is the Cloudflare Workers runtime, where only the fetch transport works. */
  onWorkers?: () => boolean;
}

/** What the error mapping needs from an X error response, whichever transport produced it. */
interface XErrorResponse {
  code: number;
  data: unknown;
  message: string;
  headers?: Record<string, string | string[] | undefined>;
}

function asErrorResponse(error: unknown): XErrorResponse | null {
  if (error instanceof ApiResponseError || error instanceof XResponseError) return error;
  return null;
}

/** X sends no Retry-After: the window end comes from its x-rate-limit headers (the platform's one parser). */
export function xResetAt(error: Pick<XErrorResponse, "headers">, now: Date): Date {
  return rateLimitResetAt(toHeaders(error.headers), 429, now) ?? new Date(now.getTime() + 60_000); // no usable header: try again in a minute
}

function toHeaders(headers: Record<string, string | string[] | undefined> | undefined): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
  }
  return out;
}

function detailOf(error: XErrorResponse): string {
  const data = error.data as
    | { detail?: string; title?: string; errors?: Array<{ message?: string }> }
    | undefined;
  return data?.detail ?? data?.title ?? data?.errors?.[0]?.message ?? error.message;
}

export function toConnectorError(error: unknown, credential: string, now = new Date()): ConnectorError {
  if (isConnectorError(error)) return error;
  const response = asErrorResponse(error);
  if (response) {
    const detail = detailOf(response);
    if (response.code === 429) {
      return new ConnectorError("rate_limited", `X rate limit reached (HTTP 429: ${detail})`, {
        status: 429,
        retryAt: xResetAt(response, now),
        cause: error,
      });
    }
    if (response.code === 401 || response.code === 403) {
      return new ConnectorError(
        "auth",
        `X refused the credentials (HTTP ${response.code}: ${detail}): check ${credential}`,
        {
          status: response.code,
          cause: error,
        },
      );
    }
    if (response.code >= 500) {
      return new ConnectorError("transient", `X answered HTTP ${response.code}: ${detail}`, {
        status: response.code,
        cause: error,
      });
    }
    return new ConnectorError("config", `X rejected the request (HTTP ${response.code}: ${detail})`, {
      status: response.code,
      cause: error,
    });
  }
  if (error instanceof ApiPartialResponseError) {
    // A body cut off mid-stream is the network's fault; a complete body that is not JSON is X's.
    const cutOff = /abruptly closed|interrupted/.test(error.message);
    return new ConnectorError(
      cutOff ? "transient" : "payload",
      cutOff
        ? `X closed the connection mid-response`
        : `X sent a body that is not JSON (${error.rawContent.length} bytes)`,
      { cause: error },
    );
  }
  if (error instanceof ApiRequestError) {
    return new ConnectorError(
      "transient",
      `could not reach ${ORIGIN}: ${error.requestError?.message ?? error.message}`,
      {
        cause: error,
      },
    );
  }
  return new ConnectorError("transient", `X request failed: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}

/**
 * X answers 403 both for bad keys and for a post it will not accept (the author limited who can reply, or the
 * text duplicates an earlier post). The second kind is not a credential problem: say what X said.
 */
function refusedReply(error: unknown): ConnectorError | null {
  const response = asErrorResponse(error);
  if (response?.code !== 403) return null;
  const detail = detailOf(response);
  if (!/reply|duplicate|not allowed/i.test(detail)) return null;
  return new ConnectorError("unsupported", `X refused this reply: ${detail}`, { status: 403, cause: error });
}

/**
 * Runs one X call under the platform's one retry policy (the same loop the HTTP client runs), whichever transport
 * makes the request; each attempt has the whole-call deadline.
 */
async function guarded<T>(
  policy: RetryPolicy,
  timeoutMs: number,
  credential: string,
  call: () => Promise<T>,
  options: { retries?: number } = {},
): Promise<T> {
  return withRetry(
    policy,
    async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new ConnectorError("transient", `${ORIGIN} did not answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        });
        return await Promise.race([call(), timeout]);
      } catch (error) {
        throw toConnectorError(error, credential);
      } finally {
        clearTimeout(timer);
      }
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------- connector

/** Snowflake ids carry their creation time: milliseconds since X's epoch in the bits above 22. */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + 1_288_834_974_657;
}

/**
 * X rejects (HTTP 400, forever) a since_id or start_time older than the 7-day search window. After a long
 * pause the position is unreachable anyway, so the source starts again at the window's edge instead of
 * failing on every poll.
 */
function expireOutsideWindow(state: XCursor, now: Date): XCursor {
  const oldest = now.getTime() - SEARCH_WINDOW_MS + 60_000;
  const runStart = state.startTime
    ? Date.parse(state.startTime)
    : state.sinceId
      ? snowflakeTime(state.sinceId)
      : null;
  if (runStart === null || runStart >= oldest) return state;
  return state.pausedUntil ? { pausedUntil: state.pausedUntil } : {};
}

/** twitter-api-v2 over Node's https: the default on Node. */
function libraryTransport(timeoutMs: number): XTransport {
  return {
    name: "library",
    async get(path, query, bearerToken) {
      const client = new TwitterApi(bearerToken);
      const response = await client.v2.get(path, query, { fullResponse: true, timeout: timeoutMs });
      return { data: response.data, headers: toHeaders(response.headers) };
    },
    async post(path, body, keys) {
      const client = new TwitterApi(keys);
      return client.v2.post(path, body as Record<string, unknown>, { timeout: timeoutMs });
    },
  };
}

function readCursor(cursor: Cursor | null): XCursor {
  if (!cursor) return {};
  const parsed = cursorSchema.safeParse(cursor);
  return parsed.success ? parsed.data : {};
}

export function createXConnector(options: XBehaviour = {}): Connector<XConfig> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const onWorkers = options.onWorkers ?? isCloudflareWorkers;
  /** The HTTP client's retry policy, with this connector's overrides (tests pass a fake clock). */
  const policyFor = (ctx: PollContext<XConfig>): RetryPolicy => {
    const overrides = Object.fromEntries(
      (["sleep", "random", "retries", "baseDelayMs", "maxWaitMs"] as const)
        .filter((key) => options[key] !== undefined)
        .map((key) => [key, options[key]]),
    );
    return retryPolicy({ ...ctx.http.retry, ...overrides });
  };

  function transportFor(ctx: PollContext<XConfig>): XTransport {
    const name: XTransportName = chooseXTransport(
      ctx.config.transport,
      onWorkers(),
      ctx.config.apiBaseUrl !== undefined,
    );
    return name === "fetch"
      ? fetchTransport(ctx.http, timeoutMs, ctx.signal, ctx.config.apiBaseUrl)
      : libraryTransport(timeoutMs);
  }

  async function poll(ctx: PollContext<XConfig>): Promise<PollPage> {
    const { config, now } = ctx;
    const state = expireOutsideWindow(readCursor(ctx.cursor), now);
    if (state.pausedUntil && Date.parse(state.pausedUntil) > now.getTime()) {
      throw new ConnectorError("rate_limited", "X rate-limit window is used up (x-rate-limit-remaining: 0)", {
        retryAt: new Date(state.pausedUntil),
      });
    }
    // Recent search only reaches back 7 days. Ten minutes of margin keep the start time valid for the later
    // pages of the run, which repeat it.
    const oldest = now.getTime() - SEARCH_WINDOW_MS + 10 * 60_000;
    const startTime =
      state.startTime ??
      (state.sinceId ? undefined : new Date(Math.max(oldest, ctx.since?.getTime() ?? oldest)).toISOString());
    const params: Record<string, string | number> = {
      query: config.query,
      max_results: config.maxResults,
      expansions: "author_id",
      "tweet.fields":
        "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang,public_metrics,note_tweet",
      "user.fields": "username,name,verified,public_metrics",
    };
    if (state.sinceId) params.since_id = state.sinceId;
    else if (startTime) params.start_time = startTime;
    if (state.nextToken) params.next_token = state.nextToken;

    const transport = transportFor(ctx);
    const response = await guarded(policyFor(ctx), timeoutMs, "bearerToken", () =>
      transport.get("tweets/search/recent", params, config.bearerToken),
    );
    const body = parsePayload(searchSchema, response.data, ORIGIN);

    const users = new Map((body.includes?.users ?? []).map((u) => [u.id, u]));
    const mentions = (body.data ?? []).map((tweet) =>
      normalizeTweet(tweet, tweet.author_id ? users.get(tweet.author_id) : undefined),
    );
    const pendingNewestId = newerId(state.pendingNewestId, body.meta.newest_id);
    // A window used up on a good answer (remaining 0) pauses the source until it resets.
    const resetAt = rateLimitResetAt(response.headers, 200, now);
    const paused = resetAt ? { pausedUntil: resetAt.toISOString() } : {};

    // An empty page can still carry a next_token; the pipeline's page limit bounds the run either way.
    if (body.meta.next_token) {
      const cursor: Cursor = {
        ...(state.sinceId ? { sinceId: state.sinceId } : {}),
        ...(pendingNewestId ? { pendingNewestId } : {}),
        ...(startTime && !state.sinceId ? { startTime } : {}),
        nextToken: body.meta.next_token,
        ...paused,
      };
      return { mentions, cursor, hasMore: true };
    }
    const sinceId = newerId(state.sinceId, pendingNewestId);
    return { mentions, cursor: { ...(sinceId ? { sinceId } : {}), ...paused }, hasMore: false };
  }

  async function reply(ctx: PollContext<XConfig>, request: ReplyRequest): Promise<ReplyResult> {
    const { appKey, appSecret, accessToken, accessSecret } = ctx.config;
    if (!appKey || !appSecret || !accessToken || !accessSecret) {
      throw new ConnectorError(
        "config",
        "posting to X needs the brand account's OAuth 1.0a keys: appKey, appSecret, accessToken, accessSecret",
      );
    }
    if (!/^\d+$/.test(request.target))
      throw new ConnectorError("config", `"${request.target}" is not an X post id`);
    if ([...request.text].length > 280) {
      throw new ConnectorError("config", `the reply is ${[...request.text].length} characters; X allows 280`);
    }
    const transport = transportFor(ctx);
    const body = { text: request.text, reply: { in_reply_to_tweet_id: request.target } };
    // Never retried: a second attempt could post the reply twice.
    const created = await guarded(
      policyFor(ctx),
      timeoutMs,
      "appKey / appSecret / accessToken / accessSecret",
      async () => {
        try {
          return await transport.post("tweets", body, { appKey, appSecret, accessToken, accessSecret });
        } catch (error) {
          throw refusedReply(error) ?? error;
        }
      },
      { retries: 0 },
    );
    const parsed = parsePayload(createdSchema, created, ORIGIN);
    return { externalId: parsed.data.id, url: `https://x.com/i/web/status/${parsed.data.id}` };
  }

  return {
    type: "x",
    label: "X (Twitter)",
    configSchema: xConfigSchema as z.ZodType<XConfig>,
    notice: "X recent search reaches back 7 days; a backfill cannot go further.",
    poll,
    reply,
    async testConnection(ctx) {
      const transport = transportFor(ctx);
      const response = await guarded(policyFor(ctx), timeoutMs, "bearerToken", () =>
        transport.get(
          "tweets/search/recent",
          { query: ctx.config.query, max_results: 10 },
          ctx.config.bearerToken,
        ),
      );
      const body = parsePayload(searchSchema, response.data, ORIGIN);
      const remaining = response.headers.get("x-rate-limit-remaining");
      const left = remaining !== null ? `; ${remaining} searches left in this window` : "";
      return `X accepted the bearer token: ${body.meta.result_count} recent posts match${left}`;
    },
  };
}

export const xConnector = createXConnector();
