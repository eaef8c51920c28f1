// Fault schedule for the review-platform connectors: 1,000 seeded runs (200 per connector) against a local
// server that answers each request with a seeded mix of rate limits, server errors, timeouts and truncated
// bodies. The poll loop keeps the cursor only from successful polls, as the pipeline stores it; at the end of
// every run each mention has been returned exactly once and a second round returns nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../src/platform/http/index.js";
import {
  fixture,
  type LocalServer,
  type RecordedRequest,
  startLocalServer,
} from "../test/fixtures/local-server.js";
import { ConnectorError } from "./errors.js";
import { facebookConfigSchema, facebookConnector } from "./facebook.js";
import { createGoogleConnector, googleConfigSchema } from "./google.js";
import type { AnyConnector } from "./index.js";
import { instagramConfigSchema, instagramConnector } from "./instagram.js";
import { createTrustpilotConnector, trustpilotConfigSchema } from "./trustpilot.js";
import type { Cursor } from "./types.js";
import { yelpConfigSchema, yelpConnector } from "./yelp.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const RUNS_PER_CONNECTOR = 200;
const TIMEOUT_MS = 150;

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

interface Scenario {
  name: string;
  connector: () => AnyConnector;
  config: (baseUrl: string) => unknown;
  /** The healthy answer to a request. */
  route: (request: RecordedRequest) => Answer;
  /** The source's own way of saying "slow down". */
  throttle: Answer;
  expected: string[];
}

const json = (body: string, status = 200, headers: Record<string, string> = {}): Answer => ({
  status,
  body,
  headers,
});

const scenarios: Scenario[] = [
  {
    name: "google",
    connector: () => createGoogleConnector(),
    config: (baseUrl) =>
      googleConfigSchema.parse({
        clientId: "id",
        clientSecret: "secret",
        refreshToken: "refresh",
        accountId: "1234567890",
        locationId: "9876543210",
        baseUrl: `${baseUrl}/v4`,
        tokenUrl: `${baseUrl}/token`,
      }),
    route: (req) =>
      req.path === "/token"
        ? json(fixture("google", "token.json"))
        : json(
            fixture(
              "google",
              req.url.searchParams.get("pageToken") ? "reviews-page2.json" : "reviews-page1.json",
            ),
          ),
    throttle: json(fixture("google", "error-429.json"), 429),
    expected: ["AbFvOqmX3kPq1", "AbFvOqmX3kPq2", "AbFvOqmX3kPq3", "AbFvOqmX3kPq4", "AbFvOqmX3kPq5"],
  },
  {
    name: "yelp",
    connector: () => yelpConnector,
    config: (baseUrl) =>
      yelpConfigSchema.parse({ apiKey: "key", businessId: "biz", baseUrl: `${baseUrl}/v3` }),
    route: () => json(fixture("yelp", "reviews.json"), 200, { "RateLimit-Remaining": "200" }),
    throttle: json(fixture("yelp", "error-429-qps.json"), 429, { "RateLimit-Remaining": "199" }),
    expected: ["xAG4O7l-t1ubbwVAlPnDKg", "1JgpVtsVGQYfc2ybB9ejrg", "Fe5ZlB8pyjZQE9w3T7v5DA"],
  },
  {
    name: "trustpilot",
    connector: () => createTrustpilotConnector(),
    config: (baseUrl) =>
      trustpilotConfigSchema.parse({
        apiKey: "key",
        businessUnitId: "bu",
        baseUrl: `${baseUrl}/v1`,
        perPage: 2,
      }),
    route: (req) =>
      json(
        fixture(
          "trustpilot",
          req.url.searchParams.get("page") === "2" ? "reviews-page2.json" : "reviews-page1.json",
        ),
      ),
    throttle: json("", 429, { "retry-after": "0" }),
    expected: ["6640d1c4e2a1b7f3a9c01234", "6640d1c4e2a1b7f3a9c01235", "6640d1c4e2a1b7f3a9c01236"],
  },
  {
    name: "facebook",
    connector: () => facebookConnector,
    config: (baseUrl) =>
      facebookConfigSchema.parse({ pageId: "104839201234567", pageAccessToken: "token", baseUrl }),
    route: (req) => {
      if (req.path.endsWith("/feed")) return json(fixture("facebook", "feed-comments.json"));
      return json(
        fixture("facebook", req.url.searchParams.get("after") ? "tagged-page2.json" : "tagged-page1.json"),
      );
    },
    throttle: json(fixture("facebook", "error-4-throttled.json"), 403, {
      "x-app-usage": JSON.stringify({ call_count: 100, total_cputime: 10, total_time: 10 }),
    }),
    expected: [
      "100071234567890_122145678901234",
      "100081112223334_122145600000001",
      "100091231231231_122145500000002",
      "104839201234567_122149500000004",
      "122150000000001_1029384756",
      "122150000000001_1029384758",
    ],
  },
  {
    name: "instagram",
    connector: () => instagramConnector,
    config: (baseUrl) =>
      instagramConfigSchema.parse({ igUserId: "17841400008460056", pageAccessToken: "token", baseUrl }),
    route: (req) => {
      if (req.path.endsWith("/media")) return json(fixture("instagram", "media-comments.json"));
      return json(
        fixture("instagram", req.url.searchParams.get("after") ? "tags-page2.json" : "tags-page1.json"),
      );
    },
    throttle: json(fixture("facebook", "error-80001-throttled.json"), 400),
    expected: ["18027939643230671", "18027939643230672", "18027939643230673", "17858893269000001"],
  },
];

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());

interface Run {
  scenario: Scenario;
  random: () => number;
  faultsOn: boolean;
}

// Runs go in parallel against one server; each run has its own path prefix, so its own seeded schedule.
const runs = new Map<string, Run>();

function serveRuns() {
  server.handle((recorded, res) => {
    const [, runId = "", ...rest] = recorded.path.split("/");
    const run = runs.get(runId);
    if (!run) {
      res.writeHead(404).end();
      return;
    }
    const path = `/${rest.join("/")}`;
    const url = new URL(recorded.url);
    url.pathname = path;
    const healthy = run.scenario.route({ ...recorded, path, url });
    const roll = run.faultsOn ? run.random() : 1;
    let answer = healthy;
    if (roll < 0.03) {
      // Timeout: hold the request past the client's limit, then drop it.
      setTimeout(() => res.destroy(), TIMEOUT_MS * 3);
      return;
    }
    if (roll < 0.07) {
      // Truncated: half the body, then the connection is cut (a network failure: transient, retried).
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(healthy.body)),
      });
      res.write(healthy.body.slice(0, Math.floor(healthy.body.length / 2)));
      setTimeout(() => res.destroy(), 1);
      return;
    }
    if (roll < 0.11) {
      // Garbled: half the body sent as if it were all of it (a proxy cut it): complete, but not JSON (payload).
      const half = healthy.body.slice(0, Math.floor(healthy.body.length / 2));
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(half)),
      });
      res.end(half);
      return;
    }
    if (roll < 0.19) answer = run.scenario.throttle;
    else if (roll < 0.27)
      answer = json("upstream unavailable", [500, 502, 503][Math.floor(run.random() * 3)] ?? 500);
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body);
  });
}

async function runOnce(scenario: Scenario, seed: number, failures: Map<string, number>): Promise<void> {
  const runId = `${scenario.name}-${seed}`;
  const run: Run = { scenario, random: seeded(seed * 7919 + scenario.name.length), faultsOn: true };
  runs.set(runId, run);
  try {
    const connector = scenario.connector();
    const config = scenario.config(`${server.baseUrl}/${runId}`);
    const http = createHttpClient({
      allow: "127.0.0.1,localhost",
      sleep: async () => {},
      timeoutMs: TIMEOUT_MS,
      retries: 1,
      random: run.random,
    });
    const poll = (cursor: Cursor | null) => connector.poll({ config, cursor, http, now: NOW });

    const returned: string[] = [];
    let cursor: Cursor | null = null;
    let roundOver = false;
    for (let attempt = 0; attempt < 100 && !roundOver; attempt++) {
      try {
        const page = await poll(cursor);
        returned.push(...page.mentions.map((m) => m.externalId));
        // Stored as JSON, exactly as the pipeline keeps it.
        cursor = JSON.parse(JSON.stringify(page.cursor));
        roundOver = !page.hasMore;
      } catch (error) {
        // Every failure is a typed connector error: never a crash, never a half page.
        expect(error, `seed ${seed}`).toBeInstanceOf(ConnectorError);
        const failure = (error as ConnectorError).failure;
        failures.set(failure, (failures.get(failure) ?? 0) + 1);
      }
    }
    expect(roundOver, `seed ${seed}: the round finished`).toBe(true);
    expect([...returned].sort(), `seed ${seed}`).toEqual([...scenario.expected].sort());

    run.faultsOn = false;
    // With the faults off, a slow answer on a busy machine is not what this round checks: wait for it.
    const patient = createHttpClient({
      allow: "127.0.0.1,localhost",
      sleep: async () => {},
      timeoutMs: 10_000,
      retries: 1,
      random: run.random,
    });
    const pollPatiently = (at: Cursor | null) =>
      connector.poll({ config, cursor: at, http: patient, now: NOW });
    let again = await pollPatiently(cursor);
    const repeat = [...again.mentions];
    while (again.hasMore) {
      again = await pollPatiently(again.cursor);
      repeat.push(...again.mentions);
    }
    expect(repeat, `seed ${seed}: second round`).toEqual([]);
  } finally {
    runs.delete(runId);
  }
}

const PARALLEL_RUNS = 8;

describe.each(scenarios)("$name under a fault schedule", (scenario) => {
  it(`returns every mention exactly once across ${RUNS_PER_CONNECTOR} seeded runs`, async () => {
    serveRuns();
    server.requests.length = 0;
    const failures = new Map<string, number>();
    for (let first = 1; first <= RUNS_PER_CONNECTOR; first += PARALLEL_RUNS) {
      const seeds = Array.from(
        { length: Math.min(PARALLEL_RUNS, RUNS_PER_CONNECTOR - first + 1) },
        (_, i) => first + i,
      );
      await Promise.all(seeds.map((seed) => runOnce(scenario, seed, failures)));
    }
    // The schedule really exercised the failure paths.
    expect(failures.get("transient") ?? 0).toBeGreaterThan(0);
    expect(failures.get("payload") ?? 0).toBeGreaterThan(0);
    expect(failures.get("rate_limited") ?? 0).toBeGreaterThan(0);
  });
});
