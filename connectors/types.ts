// The one Connector interface. Every source (X, Reddit, RSS, reviews, CFPB, file import) is one module that
// implements it; the pipeline knows nothing else about a source.
import type { z } from "zod";
import type { HttpClient } from "../src/platform/http/index.js";

export const SOURCE_TYPES = [
  "rss",
  "x",
  "reddit",
  "google",
  "yelp",
  "facebook",
  "instagram",
  "trustpilot",
  "cfpb",
  "file",
  "webhook",
  "demo",
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** A mention as every connector returns it, before dedup, brand matching and classification. */
export interface NormalizedMention {
  /** Stable id within the source: the dedup key together with the source. */
  externalId: string;
  url?: string | null;
  authorHandle?: string | null;
  authorName?: string | null;
  /** Platform's own author id where it has one (more stable than a handle). */
  authorId?: string | null;
  text: string;
  createdAt: Date;
  /** Reviews: stars 1–5 (Facebook recommendations map to 5 / 1). */
  rating?: number | null;
  /** Followers / likes / retweets where known: how many people saw it. */
  reach?: number | null;
  language?: string | null;
  /** Thread this mention belongs to (conversation id, post id a comment sits under, review id). */
  threadId?: string | null;
  /** The platform object a reply would answer (tweet id, review name, comment id). */
  replyTarget?: string | null;
  /** Source-specific facts kept for people and reports (e.g. CFPB issue/sub-issue, existing owner reply). */
  meta?: Record<string, unknown>;
  /** Flags a source knows for certain (e.g. every CFPB complaint is `regulator`). */
  flags?: string[];
  raw?: unknown;
}

export type Cursor = Record<string, unknown>;

export interface PollContext<Config> {
  config: Config;
  /** Where the last poll stopped; null on the first run. Opaque to everything but the connector. */
  cursor: Cursor | null;
  /** Only for backfills: fetch items created on or after this instant. */
  since?: Date;
  http: HttpClient;
  now: Date;
  signal?: AbortSignal;
}

export interface PollPage {
  mentions: NormalizedMention[];
  /** The cursor that covers exactly these mentions; stored in the same transaction as them. */
  cursor: Cursor | null;
  /** True when another page is ready now (the pipeline calls poll again with the new cursor). */
  hasMore: boolean;
  /** Items the connector could not use, each with the reason (logged and counted; the page still stores). */
  skipped?: string[];
}

export interface ReplyRequest {
  /** `NormalizedMention.replyTarget` of the mention being answered. */
  target: string;
  threadId?: string | null;
  text: string;
}

export interface ReplyResult {
  externalId: string;
  url?: string | null;
}

export interface Connector<Config = unknown> {
  type: SourceType;
  /** Plain words shown on the Sources page. */
  label: string;
  configSchema: z.ZodType<Config>;
  /** Fetches one page of new mentions after `cursor`. Throws ConnectorError for every expected failure. */
  poll(ctx: PollContext<Config>): Promise<PollPage>;
  /** A cheap authenticated call for the "test connection" button. */
  testConnection?(ctx: PollContext<Config>): Promise<string>;
  /** Posts a public reply where the platform has an API for it; absent where it has none (copy and mark posted). */
  reply?(ctx: PollContext<Config>, request: ReplyRequest): Promise<ReplyResult>;
  /** Shown on the Sources page, e.g. "Yelp returns only three review excerpts per call". */
  notice?: string;
}
