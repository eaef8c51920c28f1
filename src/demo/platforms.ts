// The demo's platform sources (X, Reddit, Google reviews, Trustpilot, CFPB): recorded API payloads
// (data/demo/platforms.json, built from test/fixtures by scripts/build-demo-data.ts) run through each connector's own
// zod validation and normaliser, then the pipeline's one way in (ingestPage), so their mentions carry the platform
// and its rules (X's 280 characters, one reply per review, the CFPB's regulator flag). The sources are seeded
// paused with settings but no credentials: nothing reaches the network until someone enters keys and resumes one.
import { readFile } from "node:fs/promises";
import { complaintId, normalizeComplaint, searchResultSchema } from "../../connectors/cfpb.js";
import { resolveDemoFile } from "../../connectors/demo.js";
import { googleReviewsResponse, normalizeGoogleReview } from "../../connectors/google.js";
import { listingSchema, normalizePost } from "../../connectors/reddit.js";
import { normalizeTrustpilotReview, trustpilotReviewsResponse } from "../../connectors/trustpilot.js";
import type { NormalizedMention } from "../../connectors/types.js";
import { normalizeTweet, searchSchema as xSearchSchema } from "../../connectors/x.js";
import type { Deps } from "../deps.js";
import { loadIngestContext } from "../pipeline/context.js";
import { ingestPage } from "../pipeline/ingest.js";
import type { SourceRow } from "../pipeline/poll.js";

export const DEMO_PLATFORMS_FILE = "data/demo/platforms.json";
export const DEMO_ACCOUNTS_FILE = "data/demo/accounts.csv";

export type DemoPlatform = "x" | "reddit" | "google" | "trustpilot" | "cfpb";

/** The platform sources as seeded: the company brand's, paused, settings without credentials. */
export const DEMO_PLATFORM_SOURCES: readonly {
  type: DemoPlatform;
  name: string;
  config: Record<string, unknown>;
}[] = [
  { type: "x", name: "x-summit", config: { query: '"Summit Recovery" OR @SummitRecovery -is:retweet' } },
  { type: "reddit", name: "reddit-summit", config: { query: '"Summit Recovery"' } },
  { type: "google", name: "google-summit", config: { accountId: "1234567890", locationId: "9876543210" } },
  { type: "trustpilot", name: "trustpilot-summit", config: { businessUnitId: "demo-business-unit" } },
  { type: "cfpb", name: "cfpb-summit", config: { company: "SUMMIT RECOVERY SERVICES" } },
];

/** Recorded pages as each connector reads them: its zod schema, then its normaliser. */
export function normalizeRecorded(type: DemoPlatform, pages: unknown[]): NormalizedMention[] {
  return pages.flatMap((raw): NormalizedMention[] => {
    switch (type) {
      case "x": {
        const page = xSearchSchema.parse(raw);
        const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
        return (page.data ?? []).map((tweet) =>
          normalizeTweet(tweet, tweet.author_id ? users.get(tweet.author_id) : undefined),
        );
      }
      case "reddit":
        return listingSchema.parse(raw).data.children.map((child) => normalizePost(child.data));
      case "google":
        return (googleReviewsResponse.parse(raw).reviews ?? []).map(normalizeGoogleReview);
      case "trustpilot":
        return trustpilotReviewsResponse.parse(raw).reviews.map(normalizeTrustpilotReview);
      case "cfpb":
        return searchResultSchema.parse(raw).hits.hits.flatMap((hit) => {
          const id = complaintId(hit);
          return id ? [normalizeComplaint({ ...hit, id })] : [];
        });
      default:
        throw new Error(`no recorded payloads are read for "${String(type)}" sources`);
    }
  });
}

const HOUR = 3_600_000;
/** The newest recorded item of a platform lands this long before the demo starts; the oldest within SPAN. */
const NEWEST_AGO = 2 * HOUR;
const SPAN = 5 * 24 * HOUR;

/**
 * The recording's times moved to the days before `now`, order and spacing kept (squeezed into SPAN when the
 * recording is longer: the CFPB pages are from 2019), so the demo's clocks and "due" badges are live.
 */
export function redate(mentions: NormalizedMention[], now: Date): NormalizedMention[] {
  if (mentions.length === 0) return [];
  const times = mentions.map((m) => m.createdAt.getTime());
  const newest = Math.max(...times);
  const span = newest - Math.min(...times);
  const scale = span > SPAN ? SPAN / span : 1;
  return mentions.map((m) => ({
    ...m,
    createdAt: new Date(now.getTime() - NEWEST_AGO - Math.round((newest - m.createdAt.getTime()) * scale)),
  }));
}

interface PlatformFile {
  type: DemoPlatform;
  from: string[];
  pages: unknown[];
}

export async function loadPlatformPayloads(): Promise<PlatformFile[]> {
  return JSON.parse(await readFile(resolveDemoFile(DEMO_PLATFORMS_FILE), "utf8")) as PlatformFile[];
}

/** Stores each platform source's recorded mentions once; returns how many were stored per source name. */
export async function ingestRecordedPlatforms(
  deps: Deps,
  platformSources: SourceRow[],
  now: Date,
): Promise<Record<string, number>> {
  const files = await loadPlatformPayloads();
  const stored: Record<string, number> = {};
  for (const source of platformSources) {
    const file = files.find((f) => f.type === source.type);
    if (!file) continue;
    const mentions = redate(normalizeRecorded(file.type, file.pages), now);
    const result = await ingestPage(deps, await loadIngestContext(deps, source), mentions, {
      sourceId: source.id,
      now,
    });
    // The source itself stays "not polled yet": nothing was fetched, and its page should not say otherwise.
    stored[source.name] = result.inserted.length;
  }
  return stored;
}
