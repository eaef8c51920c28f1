// Google Business Profile reviews (My Business API v4): one location's reviews, newest update first, with the
// star rating and any existing owner reply; replies are PUT on the review's `reply` sub-resource.
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

const stripPrefix = (prefix: string) => (value: string) => value.replace(new RegExp(`^${prefix}/`), "");

export const googleConfigSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
  // Accept both "123" and "accounts/123" as people copy either from the API explorer.
  accountId: z.string().min(1).transform(stripPrefix("accounts")),
  locationId: z.string().min(1).transform(stripPrefix("locations")),
  baseUrl: z.url().default("https://mybusiness.googleapis.com/v4"),
  tokenUrl: z.url().default("https://oauth2.googleapis.com/token"),
  pageSize: z.number().int().min(1).max(50).default(50),
});
export type GoogleConfig = z.infer<typeof googleConfigSchema>;

export const STAR_RATINGS = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 } as const;

const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "is not a timestamp");

const reviewSchema = z.object({
  name: z.string().min(1),
  reviewId: z.string().min(1),
  reviewer: z
    .object({
      profilePhotoUrl: z.string().optional(),
      displayName: z.string().optional(),
      isAnonymous: z.boolean().optional(),
    })
    .optional(),
  starRating: z.enum(["STAR_RATING_UNSPECIFIED", "ONE", "TWO", "THREE", "FOUR", "FIVE"]),
  comment: z.string().optional(),
  createTime: timestamp,
  updateTime: timestamp,
  reviewReply: z.object({ comment: z.string(), updateTime: timestamp.optional() }).optional(),
});
export type GoogleReview = z.infer<typeof reviewSchema>;

export const googleReviewsResponse = z.object({
  reviews: z.array(reviewSchema).optional(),
  averageRating: z.number().optional(),
  totalReviewCount: z.number().optional(),
  nextPageToken: z.string().optional(),
});

const replyResponse = z.object({ comment: z.string(), updateTime: timestamp.optional() });

/** Google's JSON error: {"error": {"code", "message", "status": "PERMISSION_DENIED" | "NOT_FOUND" | …}}. */
const interpretGoogleError: ErrorInterpreter = ({ status, json, original }) => {
  const googleStatus = errorField(json, "status");
  const message = errorField(json, "message");
  const detail = typeof message === "string" ? `: ${message}` : "";
  if (status === 404 || googleStatus === "NOT_FOUND") {
    return upstreamError(
      "config",
      `Google does not know this location${detail}. Check accountId and locationId.`,
      original,
    );
  }
  if (googleStatus === "PERMISSION_DENIED" || status === 403) {
    return upstreamError(
      "auth",
      `Google refused access to this location${detail}. The account behind refreshToken must manage the location (accountId, locationId) and the project must be approved for the Business Profile API.`,
      original,
    );
  }
  if (status === 401) {
    return upstreamError("auth", `Google refused the access token${detail}: check refreshToken.`, original);
  }
  if (status === 429 && hasZeroQuota(json)) {
    // A quota of 0 is Google's way of saying the project was never approved for this API: waiting won't help.
    return upstreamError(
      "auth",
      "Google has not granted this project access to the Business Profile APIs (its quota is 0). Request access for the project behind clientId, then test the connection again.",
      original,
    );
  }
  return null;
};

function hasZeroQuota(json: unknown): boolean {
  const details = errorField(json, "details");
  if (!Array.isArray(details)) return false;
  return details.some((detail) => {
    const metadata =
      detail && typeof detail === "object" ? (detail as { metadata?: unknown }).metadata : undefined;
    return (
      !!metadata &&
      typeof metadata === "object" &&
      (metadata as Record<string, unknown>).quota_limit_value === "0"
    );
  });
}

export function normalizeGoogleReview(review: GoogleReview): NormalizedMention {
  const anonymous = review.reviewer?.isAnonymous === true;
  const rating = review.starRating === "STAR_RATING_UNSPECIFIED" ? null : STAR_RATINGS[review.starRating];
  return {
    externalId: review.reviewId,
    url: null, // the v4 resource carries no public link
    authorName: anonymous ? null : (review.reviewer?.displayName ?? null),
    text: review.comment ?? "",
    createdAt: new Date(review.createTime),
    rating,
    threadId: review.reviewId,
    replyTarget: review.name,
    meta: {
      updatedAt: review.updateTime,
      ownerReply: review.reviewReply
        ? { comment: review.reviewReply.comment, updatedAt: review.reviewReply.updateTime ?? null }
        : null,
      ...(review.comment === undefined ? { ratingOnly: true } : {}),
    },
    raw: review,
  };
}

export function createGoogleConnector(deps: { tokens?: TokenCache } = {}): Connector<GoogleConfig> {
  // Tests may bring their own cache; otherwise the HTTP client's, shared with every OAuth connector.
  const cache = deps.tokens;

  const grantFor = (config: GoogleConfig): TokenGrant => ({
    tokenUrl: config.tokenUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    params: { grant_type: "refresh_token", refresh_token: config.refreshToken },
    clientAuth: "body",
    credentials: { grant: "refreshToken", client: "clientId and clientSecret" },
    platform: "Google",
  });

  /** Calls the API with a cached token; a 401 means the token was revoked early, so exchange once more. */
  async function authorized<T>(
    ctx: PollContext<GoogleConfig>,
    call: (token: string) => Promise<T>,
  ): Promise<T> {
    const grant = grantFor(ctx.config);
    const token = await getAccessToken(ctx.http, grant, ctx.now, { signal: ctx.signal, cache });
    try {
      return await call(token);
    } catch (error) {
      if (error instanceof ConnectorError && error.options.status === 401) {
        await forgetAccessToken(ctx.http, grant, cache);
        return call(await getAccessToken(ctx.http, grant, ctx.now, { signal: ctx.signal, cache }));
      }
      throw error;
    }
  }

  const reviewsUrl = (config: GoogleConfig) =>
    joinUrl(config.baseUrl, `accounts/${config.accountId}/locations/${config.locationId}/reviews`);

  async function fetchPage(ctx: PollContext<GoogleConfig>, pageToken: string | null, pageSize: number) {
    const url = reviewsUrl(ctx.config);
    url.searchParams.set("pageSize", String(pageSize));
    url.searchParams.set("orderBy", "updateTime desc");
    if (pageToken) url.searchParams.set("pageToken", pageToken);
    return authorized(ctx, (token) =>
      ctx.http.json(url, googleReviewsResponse, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        credential: "refreshToken",
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        interpretError: interpretGoogleError,
      }),
    );
  }

  return {
    type: "google",
    label: "Google Business Profile reviews",
    configSchema: googleConfigSchema,

    async poll(ctx): Promise<PollPage> {
      let state = readSweep(ctx.cursor?.reviews);
      let body: z.infer<typeof googleReviewsResponse>;
      try {
        body = await fetchPage(ctx, state.sweep?.next ?? null, ctx.config.pageSize);
      } catch (error) {
        // Page tokens do not live forever: after a long outage the stored one is refused with 400. Start the
        // sweep again from the top; the mark still stops it at known reviews, and storage dedups the rest.
        if (!(state.sweep && error instanceof ConnectorError && error.options.status === 400)) throw error;
        state = { ...state, sweep: null };
        body = await fetchPage(ctx, null, ctx.config.pageSize);
      }
      const reviews = body.reviews ?? [];
      const step = advanceSweep(
        state,
        reviews.map((review) => ({ id: review.reviewId, time: new Date(review.updateTime) })),
        body.nextPageToken ?? null,
        ctx.since,
      );
      return {
        mentions: reviews.filter((review) => step.fresh.has(review.reviewId)).map(normalizeGoogleReview),
        cursor: { reviews: step.state },
        hasMore: !step.done,
      };
    },

    async testConnection(ctx) {
      const body = await fetchPage(ctx, null, 1);
      const count = body.totalReviewCount ?? body.reviews?.length ?? 0;
      const average =
        body.averageRating === undefined ? "" : `, average ${body.averageRating.toFixed(1)} stars`;
      return `Connected to Google Business Profile location ${ctx.config.locationId}: ${count} reviews${average}.`;
    },

    async reply(ctx, request: ReplyRequest): Promise<ReplyResult> {
      const reviewName = request.target.includes("/")
        ? request.target
        : `accounts/${ctx.config.accountId}/locations/${ctx.config.locationId}/reviews/${request.target}`;
      if (!/^accounts\/[^/]+\/locations\/[^/]+\/reviews\/[^/]+$/.test(reviewName)) {
        throw new ConnectorError(
          "config",
          `"${request.target}" is not a Google review name (accounts/…/locations/…/reviews/…)`,
        );
      }
      const bytes = Buffer.byteLength(request.text, "utf8");
      if (bytes > 4096) {
        throw new ConnectorError(
          "config",
          `Google review replies are limited to 4096 bytes; this one has ${bytes}.`,
        );
      }
      const url = joinUrl(ctx.config.baseUrl, `${reviewName}/reply`);
      // PUT creates or replaces the one owner reply, so a retried request cannot post twice.
      await authorized(ctx, (token) =>
        ctx.http.json(url, replyResponse, {
          method: "PUT",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: JSON.stringify({ comment: request.text }),
          credential: "refreshToken",
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          interpretError: interpretGoogleError,
        }),
      );
      return { externalId: `${reviewName}/reply`, url: null };
    },
  };
}

export const googleConnector = createGoogleConnector();
