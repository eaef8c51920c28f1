// X, Reddit and CFPB connectors benchmark: the recorded payloads in test/fixtures/<source>/ scaled up to N
// mentions (unique ids, descending times, the platform's page size). Reddit and CFPB are served by an
// in-process fetch; X (twitter-api-v2 speaks only https to api.x.com) by msw intercepting the real host.
// "normalize" is the connector alone (parse, zod validation, cursor, normalize); "normalize+store" adds the
// pipeline's prepare + store of the same pages (one transaction per page with its cursor), no classifier.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HttpResponse, http as mswHttp } from "msw";
import { setupServer } from "msw/node";
import { cfpbConfigSchema, cfpbConnector } from "../connectors/cfpb.js";
import type { AnyConnector } from "../connectors/index.js";
import { redditConfigSchema, redditConnector } from "../connectors/reddit.js";
import type { Cursor, NormalizedMention } from "../connectors/types.js";
import { createXConnector, xConfigSchema } from "../connectors/x.js";
import { createHttpClient } from "../src/platform/http/index.js";
import { benchDeps, measureConnector } from "./connector-harness.js";

const BASE = "http://bench.invalid";
const NOW = new Date("2026-11-20T12:00:00Z");

// biome-ignore lint/suspicious/noExplicitAny: recorded payloads are plain JSON objects, cloned and edited here
type Json = any;

function recordedText(source: string, name: string): string {
  return readFileSync(fileURLToPath(new URL(`../test/fixtures/${source}/${name}`, import.meta.url)), "utf8");
}
const recorded = (source: string, name: string): Json => JSON.parse(recordedText(source, name));

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
  pages: number;
  /** Answers one request (Reddit/CFPB): body and content type. */
  answer?(url: URL): { body: string; type: string };
  /** Installs msw handlers (X). */
  intercept?(): () => void;
}

function redditScenario(n: number): Scenario {
  const posts = [
    ...recorded("reddit", "search-page1.json").data.children,
    ...recorded("reddit", "search-page2.json").data.children,
  ];
  const all = scale(posts, n, (child: Json, i, time) => {
    child.data.id = `b${i.toString(36)}`;
    child.data.name = `t3_b${i.toString(36)}`;
    child.data.created_utc = time.getTime() / 1000;
    return child;
  });
  const pages = chunk(all, 100);
  const byAfter = new Map<string, number>([["", 0]]);
  const bodies = pages.map((page, k) => {
    const after = k < pages.length - 1 ? (page.at(-1) as Json).data.name : null;
    if (after) byAfter.set(after, k + 1);
    return JSON.stringify({
      kind: "Listing",
      data: { after, dist: page.length, modhash: "", children: page, before: null },
    });
  });
  const token = recordedText("reddit", "token-app.json");
  return {
    name: "reddit",
    connector: redditConnector,
    config: redditConfigSchema.parse({
      query: '"Acme Recovery"',
      clientId: "id",
      clientSecret: "secret",
      userAgent: "node:rapport-bench:v0.1.0 (by /u/bench)",
      baseUrl: BASE,
      wwwBaseUrl: BASE,
      initialDays: 60,
    }),
    pages: pages.length,
    answer: (url) =>
      url.pathname === "/api/v1/access_token"
        ? { body: token, type: "application/json" }
        : {
            body: bodies[byAfter.get(url.searchParams.get("after") ?? "") ?? 0] as string,
            type: "application/json",
          },
  };
}

function redditAtomScenario(n: number): Scenario {
  const xml = recordedText("reddit", "search.rss");
  const head = xml.slice(0, xml.indexOf("<entry>"));
  const entries = xml
    .slice(xml.indexOf("<entry>"), xml.lastIndexOf("</feed>"))
    .split("</entry>")
    .filter((e) => e.trim());
  const all = scale(entries, n, (entry, i, time) =>
    entry
      .replace(/<id>t3_[a-z0-9]+<\/id>/, `<id>t3_b${i.toString(36)}</id>`)
      .replace(/<published>[^<]+<\/published>/, `<published>${time.toISOString()}</published>`)
      .replace(/<updated>[^<]+<\/updated>/, `<updated>${time.toISOString()}</updated>`),
  );
  const pages = chunk(all, 100);
  const byAfter = new Map<string, number>([["", 0]]);
  const bodies = pages.map((page, k) => {
    const last = page.at(-1)?.match(/<id>(t3_[a-z0-9]+)<\/id>/)?.[1];
    if (last && k < pages.length - 1) byAfter.set(last, k + 1);
    return `${head}${page.map((e) => `${e}</entry>`).join("")}</feed>`;
  });
  return {
    name: "reddit-atom",
    connector: redditConnector,
    config: redditConfigSchema.parse({ query: '"Acme Recovery"', wwwBaseUrl: BASE, initialDays: 60 }),
    pages: pages.length,
    answer: (url) => ({
      body: bodies[byAfter.get(url.searchParams.get("after") ?? "") ?? 0] as string,
      type: "application/atom+xml",
    }),
  };
}

function cfpbScenario(n: number): Scenario {
  const hits = [
    ...recorded("cfpb", "search-page1.json").hits.hits,
    ...recorded("cfpb", "search-page2.json").hits.hits,
  ];
  const all = scale(hits, n, (hit: Json, i) => {
    const id = String(9_000_000 - i);
    const ms = Date.UTC(2019, 5, 1) - Math.floor(i / 100) * 86_400_000;
    hit._id = id;
    hit._source.complaint_id = id;
    hit._source.date_received = `${new Date(ms).toISOString().slice(0, 10)}T12:00:00-05:00`;
    hit.sort = [ms + 17 * 3_600_000, id];
    return hit;
  });
  const pages = chunk(all, 100);
  const byAfter = new Map<string, number>([["", 0]]);
  const meta = recorded("cfpb", "search-page1.json")._meta;
  const bodies = pages.map((page, k) => {
    const last = page.at(-1) as Json;
    byAfter.set(`${last.sort[0]}_${last.sort[1]}`, k + 1);
    return JSON.stringify({
      _meta: meta,
      hits: { total: { value: n, relation: "eq" }, max_score: null, hits: page },
    });
  });
  const empty = recordedText("cfpb", "search-empty.json");
  return {
    name: "cfpb",
    connector: cfpbConnector,
    config: cfpbConfigSchema.parse({
      company: "ENCORE CAPITAL GROUP INC.",
      baseUrl: BASE,
      initialDays: 3650,
    }),
    pages: pages.length + 1,
    answer: (url) => ({
      body: bodies[byAfter.get(url.searchParams.get("search_after") ?? "") ?? -1] ?? empty,
      type: "application/json",
    }),
  };
}

function xScenario(n: number, server: ReturnType<typeof setupServer>): Scenario {
  const page1 = recorded("x", "search-page1.json");
  const page2 = recorded("x", "search-page2.json");
  const tweets = [...page1.data, ...page2.data];
  const users = [...page1.includes.users, ...page2.includes.users];
  const all = scale(tweets, n, (tweet: Json, i, time) => ({
    ...tweet,
    id: String(2_123_750_000_000_000_000n - BigInt(i)),
    created_at: time.toISOString(),
  }));
  const pages = chunk(all, 100);
  const bodies = pages.map((page, k) =>
    JSON.stringify({
      data: page,
      includes: { users },
      meta: {
        newest_id: (page[0] as Json).id,
        oldest_id: (page.at(-1) as Json).id,
        result_count: page.length,
        ...(k < pages.length - 1 ? { next_token: `p${k + 1}` } : {}),
      },
    }),
  );
  return {
    name: "x",
    connector: createXConnector({ retries: 0 }),
    config: xConfigSchema.parse({ query: '"Acme Recovery"', bearerToken: "A".repeat(40) }),
    pages: pages.length,
    intercept() {
      server.use(
        mswHttp.get("https://api.x.com/2/tweets/search/recent", ({ request }) => {
          const token = new URL(request.url).searchParams.get("next_token");
          return new HttpResponse(bodies[token ? Number(token.slice(1)) : 0], {
            headers: {
              "content-type": "application/json",
              "x-rate-limit-limit": "450",
              "x-rate-limit-remaining": "449",
              "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 900),
            },
          });
        }),
      );
      return () => server.resetHandlers();
    },
  };
}

async function drain(
  scenario: Scenario,
  onPage: (mentions: NormalizedMention[], cursor: Cursor | null) => Promise<void>,
): Promise<number> {
  const http = createHttpClient({
    allow: "127.0.0.1,localhost",
    retries: 0,
    fetch: async (input) => {
      const answer = scenario.answer?.(new URL(String(input)));
      return new Response(answer?.body ?? "", {
        status: 200,
        headers: { "content-type": answer?.type ?? "text/plain" },
      });
    },
  });
  const release = scenario.intercept?.();
  let cursor: Cursor | null = null;
  let total = 0;
  try {
    for (let call = 0; call < scenario.pages; call++) {
      const page = await scenario.connector.poll({ config: scenario.config, cursor, http, now: NOW });
      total += page.mentions.length;
      await onPage(page.mentions, page.cursor);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
  } finally {
    release?.();
  }
  return total;
}

export async function runConnectorBenchXrc(n = 10_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rapport-bench-xrc-"));
  const bench = await benchDeps(dir, {
    name: "Acme Recovery",
    slug: "acme",
    keywords: ["Acme Recovery", "@AcmeRecovery"],
  });
  const { deps } = bench;
  const server = setupServer();
  server.listen({ onUnhandledRequest: "error" });
  try {
    console.log(
      `connectors (x, reddit, cfpb): ${n.toLocaleString("en-US")} mentions per connector from recorded payloads (X through msw, others in-process fetch)`,
    );
    const builders: Array<(count: number) => Scenario> = [
      (count) => xScenario(count, server),
      redditScenario,
      redditAtomScenario,
      cfpbScenario,
    ];
    for (const build of builders) {
      await measureConnector(bench, build, drain, n, 2_000, NOW);
    }
  } finally {
    server.close();
    deps.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runConnectorBenchXrc();
