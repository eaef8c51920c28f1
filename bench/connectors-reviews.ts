// Review-platform connectors benchmark: the recorded payloads in test/fixtures/<source>/ scaled up to N
// mentions (unique ids, descending times, the platform's own page size) and served by an in-process fetch,
// so the numbers measure the connector (JSON parse, zod validation, cursor sweep, normalize) and then the
// pipeline's prepare + store of the same pages (one transaction per page with its cursor), not the network.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { facebookConfigSchema, facebookConnector } from "../connectors/facebook.js";
import { createGoogleConnector, googleConfigSchema } from "../connectors/google.js";
import type { AnyConnector } from "../connectors/index.js";
import { instagramConfigSchema, instagramConnector } from "../connectors/instagram.js";
import { createTrustpilotConnector, trustpilotConfigSchema } from "../connectors/trustpilot.js";
import type { Cursor, NormalizedMention } from "../connectors/types.js";
import { yelpConfigSchema, yelpConnector } from "../connectors/yelp.js";
import { createHttpClient } from "../src/platform/http/index.js";
import { benchDeps, measureConnector } from "./connector-harness.js";

const BASE = "http://bench.invalid";
const NOW = new Date("2026-11-22T12:00:00Z");

// biome-ignore lint/suspicious/noExplicitAny: recorded payloads are plain JSON objects, cloned and edited here
type Json = any;

function recorded(source: string, name: string): Json {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../test/fixtures/${source}/${name}`, import.meta.url)), "utf8"),
  );
}

/** `n` copies of the recorded items, each with a unique id and a time one minute older than the last. */
function scale<T>(items: T[], n: number, edit: (item: T, i: number, time: Date) => T): T[] {
  return Array.from({ length: n }, (_, i) =>
    edit(structuredClone(items[i % items.length] as T), i, new Date(NOW.getTime() - (i + 1) * 60_000)),
  );
}

function chunk<T>(items: T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
}

interface Scenario {
  name: string;
  connector: AnyConnector;
  config: unknown;
  /** Answers one request of the connector from the scaled pages. */
  answer(url: URL): string;
  pages: number;
}

function googleScenario(n: number): Scenario {
  const reviews = [
    ...recorded("google", "reviews-page1.json").reviews,
    ...recorded("google", "reviews-page2.json").reviews,
  ];
  const pages = chunk(
    scale(reviews, n, (review: Json, i, time) => ({
      ...review,
      reviewId: `bench-${i}`,
      name: `accounts/1/locations/2/reviews/bench-${i}`,
      createTime: time.toISOString(),
      updateTime: time.toISOString(),
    })),
    50,
  ).map((page, k, all) =>
    JSON.stringify({
      reviews: page,
      totalReviewCount: n,
      ...(k < all.length - 1 ? { nextPageToken: `p${k + 1}` } : {}),
    }),
  );
  const token = JSON.stringify(recorded("google", "token.json"));
  return {
    name: "google",
    connector: createGoogleConnector(),
    config: googleConfigSchema.parse({
      clientId: "id",
      clientSecret: "secret",
      refreshToken: "refresh",
      accountId: "1",
      locationId: "2",
      baseUrl: `${BASE}/v4`,
      tokenUrl: `${BASE}/token`,
    }),
    answer: (url) =>
      url.pathname === "/token"
        ? token
        : (pages[Number(url.searchParams.get("pageToken")?.slice(1) ?? 0)] as string),
    pages: pages.length,
  };
}

function yelpScenario(n: number): Scenario {
  const reviews = recorded("yelp", "reviews.json").reviews;
  const pad = (v: number) => String(v).padStart(2, "0");
  const pages = chunk(
    scale(reviews, n, (review: Json, i, time) => ({
      ...review,
      id: `bench-${i}`,
      time_created: `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}-${pad(time.getUTCDate())} ${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:00`,
    })),
    3,
  ).map((page) => JSON.stringify({ reviews: page, total: n, possible_languages: ["en"] }));
  let call = 0;
  return {
    name: "yelp",
    connector: yelpConnector,
    config: yelpConfigSchema.parse({ apiKey: "key", businessId: "biz", baseUrl: `${BASE}/v3` }),
    // Yelp serves one page of three per call; each call of the bench sees the next three.
    answer: () => pages[call++ % pages.length] as string,
    pages: pages.length,
  };
}

function trustpilotScenario(n: number): Scenario {
  const reviews = [
    ...recorded("trustpilot", "reviews-page1.json").reviews,
    ...recorded("trustpilot", "reviews-page2.json").reviews,
  ];
  const pages = chunk(
    scale(reviews, n, (review: Json, i, time) => ({
      ...review,
      id: `bench-${i}`,
      createdAt: time.toISOString(),
    })),
    100,
  ).map((page, k, all) =>
    JSON.stringify({
      reviews: page,
      links: k < all.length - 1 ? [{ href: `${BASE}/next`, method: "GET", rel: "next-page" }] : [],
    }),
  );
  return {
    name: "trustpilot",
    connector: createTrustpilotConnector(),
    config: trustpilotConfigSchema.parse({ apiKey: "key", businessUnitId: "bu", baseUrl: `${BASE}/v1` }),
    answer: (url) => pages[Number(url.searchParams.get("page")) - 1] as string,
    pages: pages.length,
  };
}

function graphPages(items: Json[], size: number, path: string): string[] {
  return chunk(items, size).map((page, k, all) =>
    JSON.stringify({
      data: page,
      paging: {
        cursors: { before: `c${k}`, after: `c${k + 1}` },
        ...(k < all.length - 1
          ? { next: `https://graph.facebook.com/v24.0/${path}?after=c${k + 1}&access_token=x` }
          : {}),
      },
    }),
  );
}

const graphTime = (time: Date) => time.toISOString().replace(".000Z", "+0000");

function facebookScenario(n: number): Scenario {
  const posts = [
    ...recorded("facebook", "tagged-page1.json").data,
    ...recorded("facebook", "tagged-page2.json").data,
  ];
  const pages = graphPages(
    scale(posts, n, (post: Json, i, time) => ({ ...post, id: `1_${i}`, created_time: graphTime(time) })),
    100,
    "page/tagged",
  );
  return {
    name: "facebook",
    connector: facebookConnector,
    config: facebookConfigSchema.parse({
      pageId: "page",
      pageAccessToken: "token",
      baseUrl: BASE,
      edges: ["tagged"],
    }),
    answer: (url) => pages[Number(url.searchParams.get("after")?.slice(1) ?? 0)] as string,
    pages: pages.length,
  };
}

function instagramScenario(n: number): Scenario {
  const media = [
    ...recorded("instagram", "tags-page1.json").data,
    ...recorded("instagram", "tags-page2.json").data,
  ];
  const pages = graphPages(
    scale(media, n, (item: Json, i, time) => ({ ...item, id: `${i}`, timestamp: graphTime(time) })),
    50,
    "ig/tags",
  );
  return {
    name: "instagram",
    connector: instagramConnector,
    config: instagramConfigSchema.parse({
      igUserId: "ig",
      pageAccessToken: "token",
      baseUrl: BASE,
      edges: ["tags"],
    }),
    answer: (url) => pages[Number(url.searchParams.get("after")?.slice(1) ?? 0)] as string,
    pages: pages.length,
  };
}

function inProcessHttp(scenario: Scenario) {
  return createHttpClient({
    allow: "127.0.0.1,localhost",
    retries: 0,
    fetch: async (input) =>
      new Response(scenario.answer(new URL(String(input))), {
        status: 200,
        headers: { "content-type": "application/json" },
      }),
  });
}

/** Polls until the connector has returned every page once; hands each page to `onPage`. */
async function drain(
  scenario: Scenario,
  onPage: (mentions: NormalizedMention[], cursor: Cursor | null) => Promise<void>,
): Promise<number> {
  const http = inProcessHttp(scenario);
  let cursor: Cursor | null = null;
  let total = 0;
  // Yelp never has "more": each poll is one call of three; the others say when their sweep is over.
  for (let call = 0; call < scenario.pages; call++) {
    const page = await scenario.connector.poll({ config: scenario.config, cursor, http, now: NOW });
    total += page.mentions.length;
    await onPage(page.mentions, page.cursor);
    cursor = page.cursor;
    if (!page.hasMore && scenario.name !== "yelp") break;
  }
  return total;
}

export async function runConnectorBenchReviews(n = 10_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rapport-bench-reviews-"));
  const bench = await benchDeps(dir, {
    name: "Example Recovery",
    slug: "example",
    keywords: ["Example Recovery"],
  });
  const { deps } = bench;
  try {
    console.log(
      `connectors (reviews): ${n.toLocaleString("en-US")} mentions per connector from recorded payloads, in-process fetch`,
    );
    const scenarios = [googleScenario, yelpScenario, trustpilotScenario, facebookScenario, instagramScenario];
    for (const build of scenarios) {
      // Warm-up, so the first connector does not pay for JIT and module loading.
      await measureConnector(bench, build, drain, n, 300, NOW);
    }
  } finally {
    deps.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runConnectorBenchReviews();
