// Yelp Fusion (Places) business reviews. Yelp hands out at most three review excerpts per call and has no
// reply API, so this source watches the newest three and links to the full review on Yelp.
import { z } from "zod";
import { type ErrorInterpreter, rateLimitResetAt } from "../src/platform/http/index.js";
import { errorField, joinUrl, upstreamError } from "./sweep.js";
import type { Connector, NormalizedMention, PollPage } from "./types.js";

export const yelpConfigSchema = z.object({
  apiKey: z.string().min(1),
  /** Business id or alias, e.g. "acme-collections-san-francisco". */
  businessId: z.string().min(1),
  baseUrl: z.url().default("https://api.yelp.com/v3"),
  locale: z
    .string()
    .regex(/^[a-z]{2}_[A-Z]{2}$/)
    .optional(),
});
export type YelpConfig = z.infer<typeof yelpConfigSchema>;

const yelpTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'is not "YYYY-MM-DD HH:MM:SS"');

const reviewSchema = z.object({
  id: z.string().min(1),
  url: z.string().optional(),
  text: z.string(),
  rating: z.number().min(0).max(5),
  time_created: yelpTime,
  user: z.object({
    id: z.string().optional(),
    profile_url: z.string().nullish(),
    image_url: z.string().nullish(),
    name: z.string().nullish(),
  }),
});
export type YelpReview = z.infer<typeof reviewSchema>;

export const yelpReviewsResponse = z.object({
  reviews: z.array(reviewSchema),
  total: z.number().optional(),
  possible_languages: z.array(z.string()).optional(),
});

// Yelp's daily cap resets at RateLimit-ResetTime (read by the HTTP client's one reset parser); its per-second
// cap clears within moments (plain backoff).
const interpretYelpError: ErrorInterpreter = ({ status, json, headers, original }) => {
  const code = errorField(json, "code");
  const description = errorField(json, "description");
  const detail = typeof description === "string" ? ` (${description})` : "";
  switch (code) {
    case "ACCESS_LIMIT_REACHED":
    case "DAILY_LIMIT_EXCEEDED": {
      // The daily cap's end, read from RateLimit-ResetTime by the client's one parser (even without remaining: 0).
      const when =
        rateLimitResetAt(
          new Headers({
            "ratelimit-remaining": "0",
            "ratelimit-resettime": headers.get("ratelimit-resettime") ?? "",
          }),
          429,
          new Date(),
        ) ?? original.options.retryAt;
      return upstreamError(
        "rate_limited",
        `Yelp's daily API limit is used up${when ? ` until ${when.toISOString()}` : ""}${detail}.`,
        original,
        when,
      );
    }
    case "TOO_MANY_REQUESTS_PER_SECOND":
      return upstreamError(
        "rate_limited",
        `Yelp asked us to slow down${detail}.`,
        original,
        original.options.retryAt,
      );
    case "TOKEN_INVALID":
    case "TOKEN_MISSING":
    case "UNAUTHORIZED_ACCESS_TOKEN":
    case "AUTHORIZATION_ERROR":
      return upstreamError("auth", `Yelp refused the API key${detail}: check apiKey.`, original);
    case "BUSINESS_NOT_FOUND":
      return upstreamError(
        "config",
        `Yelp has no business with that id${detail}: check businessId.`,
        original,
      );
    case "BUSINESS_UNAVAILABLE":
      return upstreamError(
        "unsupported",
        `Yelp does not serve reviews for this business${detail}.`,
        original,
      );
    case "VALIDATION_ERROR":
    case "NOT_FOUND":
      return upstreamError(
        "config",
        `Yelp rejected the request${detail}: check businessId and locale.`,
        original,
      );
    default:
      if (status === 401 || status === 403) {
        return upstreamError(
          "auth",
          `Yelp refused the API key (HTTP ${status})${detail}: check apiKey.`,
          original,
        );
      }
      return null;
  }
};

/** Yelp's `time_created` is Pacific time with no offset ("2024-05-12 11:41:13"). */
export function pacificToDate(value: string): Date {
  const [datePart = "", timePart = ""] = value.split(" ");
  const [y, mo, d] = datePart.split("-").map(Number);
  const [h, mi, s] = timePart.split(":").map(Number);
  const asUtc = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
  // Guess the offset at that instant, then correct once: right on either side of a DST change.
  let offset = pacificOffsetMs(new Date(asUtc));
  offset = pacificOffsetMs(new Date(asUtc - offset));
  return new Date(asUtc - offset);
}

const pacificFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Los_Angeles",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function pacificOffsetMs(instant: Date): number {
  const parts = Object.fromEntries(pacificFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Drops Yelp's tracking parameters so the link people open is the plain review link. */
function cleanYelpUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (key.startsWith("utm_") || key === "adjust_creative") parsed.searchParams.delete(key);
    }
    return parsed.toString();
  } catch {
    return url;
  }
}

export function normalizeYelpReview(review: YelpReview): NormalizedMention {
  return {
    externalId: review.id,
    url: cleanYelpUrl(review.url),
    authorName: review.user.name ?? null,
    authorId: review.user.id ?? null,
    text: review.text,
    createdAt: pacificToDate(review.time_created),
    rating: review.rating,
    threadId: review.id,
    replyTarget: null, // Yelp has no reply API: copy and mark posted
    meta: { excerpt: true },
    raw: review,
  };
}

// Yelp only ever shows the newest few, so remembering the last ids seen is the whole cursor.
const SEEN_LIMIT = 200;

export const yelpConnector: Connector<YelpConfig> = {
  type: "yelp",
  label: "Yelp reviews",
  notice:
    "Yelp's API returns only the three newest review excerpts per call (truncated text, no owner replies): open the link for the full review. Reply on Yelp itself and mark the reply posted.",
  configSchema: yelpConfigSchema,

  async poll(ctx): Promise<PollPage> {
    const url = joinUrl(
      ctx.config.baseUrl,
      `businesses/${encodeURIComponent(ctx.config.businessId)}/reviews`,
    );
    url.searchParams.set("sort_by", "newest");
    if (ctx.config.locale) url.searchParams.set("locale", ctx.config.locale);
    const body = await ctx.http.json(url, yelpReviewsResponse, {
      headers: { authorization: `Bearer ${ctx.config.apiKey}`, accept: "application/json" },
      credential: "apiKey",
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      interpretError: interpretYelpError,
    });
    const seen = Array.isArray(ctx.cursor?.seenIds)
      ? (ctx.cursor.seenIds as unknown[]).filter((id): id is string => typeof id === "string")
      : [];
    const seenSet = new Set(seen);
    const unseen = body.reviews.filter((review) => !seenSet.has(review.id));
    return {
      mentions: unseen
        .map(normalizeYelpReview)
        .filter((mention) => !ctx.since || mention.createdAt >= ctx.since),
      cursor: { seenIds: [...unseen.map((review) => review.id), ...seen].slice(0, SEEN_LIMIT) },
      hasMore: false,
    };
  },

  async testConnection(ctx) {
    const page = await yelpConnector.poll({ ...ctx, cursor: null });
    return `Connected to Yelp business ${ctx.config.businessId}: ${page.mentions.length} review excerpts visible (Yelp shows at most three).`;
  },
};
