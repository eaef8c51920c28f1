// Trustpilot business-unit reviews (public API, `apikey` header), newest first, with any company reply kept.
// Replies need a business-user OAuth token (private API), so posting works only when those credentials are set.
import { z } from "zod";
import {
  type ErrorInterpreter,
  forgetAccessToken,
  getAccessToken,
  type TokenCache,
  type TokenGrant,
} from "../src/platform/http/index.js";
import { ConnectorError } from "./errors.js";
import { advanceSweep, errorField, joinUrl, readSweep, upstreamError } from "./sweep.js";
import type {
  Connector,
  NormalizedMention,
  PollContext,
  PollPage,
  ReplyRequest,
  ReplyResult,
} from "./types.js";

export const trustpilotConfigSchema = z.object({
  apiKey: z.string().min(1),
  businessUnitId: z.string().min(1),
  baseUrl: z.url().default("https://api.trustpilot.com/v1"),
  perPage: z.number().int().min(1).max(100).default(100),
  // Posting replies: the API secret plus the replying business user's id (client credentials) or login.
  apiSecret: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  authorBusinessUserId: z.string().min(1).optional(),
  /** Defaults to `<baseUrl>/oauth/oauth-business-users-for-applications/accesstoken`. */
  tokenUrl: z.url().optional(),
});
export type TrustpilotConfig = z.infer<typeof trustpilotConfigSchema>;

const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "is not a timestamp");

const reviewSchema = z.object({
  id: z.string().min(1),
  consumer: z.object({
    id: z.string().optional(),
    displayName: z.string().nullish(),
    numberOfReviews: z.number().optional(),
  }),
  stars: z.number().int().min(1).max(5),
  title: z.string().nullish(),
  text: z.string().nullish(),
  language: z.string().nullish(),
  createdAt: timestamp,
  updatedAt: timestamp.nullish(),
  isVerified: z.boolean().optional(),
  status: z.string().optional(),
  companyReply: z
    .object({ text: z.string(), createdAt: timestamp.nullish(), updatedAt: timestamp.nullish() })
    .nullish(),
});
export type TrustpilotReview = z.infer<typeof reviewSchema>;

export const trustpilotReviewsResponse = z.object({
  reviews: z.array(reviewSchema),
  links: z.array(z.object({ href: z.string(), rel: z.string(), method: z.string().optional() })).optional(),
  // Some generated clients read a `pagination` object instead of links; accept either.
  pagination: z.object({ hasMore: z.boolean().optional() }).partial().optional(),
});

const trustpilotErrors =
  (credential: string): ErrorInterpreter =>
  ({ status, json, body, original }) => {
    const message = trustpilotErrorMessage(json) ?? (body.length > 0 && body.length < 200 ? body : undefined);
    const detail = message ? ` (${message})` : "";
    if (status === 404) {
      return upstreamError(
        "config",
        `Trustpilot does not know this business unit or review${detail}: check businessUnitId.`,
        original,
      );
    }
    if (status === 401 || status === 403) {
      return upstreamError(
        "auth",
        `Trustpilot refused the credentials (HTTP ${status})${detail}: check ${credential}.`,
        original,
      );
    }
    return null;
  };

/** Trustpilot answers either `{"message"}`, `{"error": {"message"}}` or, from its gateway, `{"fault": {"faultstring"}}`. */
function trustpilotErrorMessage(json: unknown): string | undefined {
  if (!json || typeof json !== "object") return undefined;
  const record = json as { message?: unknown; fault?: { faultstring?: unknown } };
  const candidates = [record.message, errorField(json, "message"), record.fault?.faultstring];
  return candidates.find((value): value is string => typeof value === "string");
}

export function trustpilotReviewUrl(reviewId: string): string {
  return `https://www.trustpilot.com/reviews/${encodeURIComponent(reviewId)}`;
}

export function normalizeTrustpilotReview(review: TrustpilotReview): NormalizedMention {
  const text = [review.title?.trim(), review.text?.trim()].filter(Boolean).join("\n\n");
  return {
    externalId: review.id,
    url: trustpilotReviewUrl(review.id),
    authorName: review.consumer.displayName ?? null,
    authorId: review.consumer.id ?? null,
    text,
    createdAt: new Date(review.createdAt),
    rating: review.stars,
    language: review.language ?? null,
    threadId: review.id,
    replyTarget: review.id,
    meta: {
      title: review.title ?? null,
      verified: review.isVerified ?? null,
      companyReply: review.companyReply
        ? { text: review.companyReply.text, createdAt: review.companyReply.createdAt ?? null }
        : null,
    },
    raw: review,
  };
}

function hasNextPage(body: z.infer<typeof trustpilotReviewsResponse>, perPage: number): boolean {
  if (body.links) return body.links.some((link) => link.rel === "next-page");
  if (body.pagination?.hasMore !== undefined) return body.pagination.hasMore;
  return body.reviews.length === perPage;
}

export function createTrustpilotConnector(deps: { tokens?: TokenCache } = {}): Connector<TrustpilotConfig> {
  // Tests may bring their own cache; otherwise the HTTP client's, shared with every OAuth connector.
  const cache = deps.tokens;

  // Trustpilot's recommended server-to-server grant is client credentials, replying on behalf of the business
  // user named by authorBusinessUserId; the password grant is legacy but still works for older apps.
  function grantFor(config: TrustpilotConfig): TokenGrant {
    const login =
      config.username && config.password ? { username: config.username, password: config.password } : null;
    if (!config.apiSecret || (!login && !config.authorBusinessUserId)) {
      throw new ConnectorError(
        "config",
        "Posting to Trustpilot needs apiSecret and authorBusinessUserId (client credentials), or apiSecret and a business user's username and password.",
      );
    }
    return {
      tokenUrl:
        config.tokenUrl ??
        joinUrl(config.baseUrl, "oauth/oauth-business-users-for-applications/accesstoken").toString(),
      clientId: config.apiKey,
      clientSecret: config.apiSecret,
      params: login ? { grant_type: "password", ...login } : { grant_type: "client_credentials" },
      clientAuth: "basic",
      credentials: {
        grant: login ? "username and password" : "apiKey and apiSecret",
        client: "apiKey and apiSecret",
      },
      platform: "Trustpilot",
    };
  }

  async function fetchPage(ctx: PollContext<TrustpilotConfig>, page: number, perPage: number) {
    const url = joinUrl(
      ctx.config.baseUrl,
      `business-units/${encodeURIComponent(ctx.config.businessUnitId)}/reviews`,
    );
    url.searchParams.set("orderBy", "createdat.desc");
    url.searchParams.set("perPage", String(perPage));
    url.searchParams.set("page", String(page));
    return ctx.http.json(url, trustpilotReviewsResponse, {
      headers: { apikey: ctx.config.apiKey, accept: "application/json" },
      credential: "apiKey",
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      interpretError: trustpilotErrors("apiKey"),
    });
  }

  return {
    type: "trustpilot",
    label: "Trustpilot reviews",
    configSchema: trustpilotConfigSchema,

    async poll(ctx): Promise<PollPage> {
      const state = readSweep(ctx.cursor?.reviews);
      const page = state.sweep ? Number(state.sweep.next) : 1;
      if (!Number.isInteger(page) || page < 1) {
        throw new ConnectorError(
          "config",
          `stored Trustpilot cursor has an invalid page "${state.sweep?.next}"`,
        );
      }
      const body = await fetchPage(ctx, page, ctx.config.perPage);
      const step = advanceSweep(
        state,
        body.reviews.map((review) => ({ id: review.id, time: new Date(review.createdAt) })),
        hasNextPage(body, ctx.config.perPage) && body.reviews.length > 0 ? String(page + 1) : null,
        ctx.since,
      );
      return {
        mentions: body.reviews.filter((review) => step.fresh.has(review.id)).map(normalizeTrustpilotReview),
        cursor: { reviews: step.state },
        hasMore: !step.done,
      };
    },

    async testConnection(ctx) {
      const body = await fetchPage(ctx, 1, 1);
      const posting = ctx.config.apiSecret
        ? " Reply credentials are set."
        : " No reply credentials: replies are copy-and-mark-posted.";
      return `Connected to Trustpilot business unit ${ctx.config.businessUnitId}: ${body.reviews.length ? "reviews visible" : "no reviews yet"}.${posting}`;
    },

    async reply(ctx, request: ReplyRequest): Promise<ReplyResult> {
      if (request.text.length > 5000) {
        throw new ConnectorError(
          "config",
          `Trustpilot replies are limited to 5000 characters; this one has ${request.text.length}.`,
        );
      }
      const grant = grantFor(ctx.config);
      const url = joinUrl(ctx.config.baseUrl, `private/reviews/${encodeURIComponent(request.target)}/reply`);
      const body = JSON.stringify({
        message: request.text,
        ...(ctx.config.authorBusinessUserId ? { authorBusinessUserId: ctx.config.authorBusinessUserId } : {}),
      });
      const send = async (token: string) =>
        ctx.http.request(url, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body,
          credential: grant.credentials.grant,
          // A POST that timed out may have been posted: never send it twice; the reply service decides.
          retries: 0,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          interpretError: trustpilotErrors(grant.credentials.grant),
        });
      const token = await getAccessToken(ctx.http, grant, ctx.now, { signal: ctx.signal, cache });
      let response: Response;
      try {
        response = await send(token);
      } catch (error) {
        // 401 is answered before anything is posted, so exchanging again and resending is safe.
        if (!(error instanceof ConnectorError) || error.options.status !== 401) throw error;
        await forgetAccessToken(ctx.http, grant, cache);
        response = await send(await getAccessToken(ctx.http, grant, ctx.now, { signal: ctx.signal, cache }));
      }
      await response.body?.cancel().catch(() => {});
      return { externalId: `${request.target}/reply`, url: trustpilotReviewUrl(request.target) };
    },
  };
}

export const trustpilotConnector = createTrustpilotConnector();
