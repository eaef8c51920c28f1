// Real-world feeds that used to be rejected or cut short (issue 16 item 10), shaped like rss-parser's own test
// corpus (see test/fixtures/rss/corpus/README.md), through the whole poll path: fetched from a local server,
// paged by the cursor, stored; counts read back with plain SQL.
import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mentions } from "../src/db/schema/index.js";
import { pollSource } from "../src/pipeline/poll.js";
import { addSource } from "../src/services/sources/add-source.js";
import { type LocalServer, startLocalServer } from "../test/fixtures/local-server.js";
import { createTestDeps, type TestDeps } from "../test/helpers/deps.js";
import { decodeFeed } from "./rss.js";

let deps: TestDeps;
let server: LocalServer;
let body: Buffer = Buffer.alloc(0);
let contentType = "application/rss+xml";

beforeEach(async () => {
  deps = await createTestDeps();
  server = await startLocalServer((_req, res) => {
    res.writeHead(200, { "content-type": contentType, etag: '"v1"' }).end(body);
  });
});
afterEach(async () => {
  await server.close();
  await deps.cleanup();
});

async function pollFeed(name: string, config: Record<string, unknown> = {}) {
  const source = await addSource(deps, {
    workspaceId: deps.workspaceId,
    type: "rss",
    name,
    config: { url: `${server.baseUrl}/${name}.xml`, ...config },
  });
  const outcome = await pollSource(deps, source, { now: new Date("2026-11-22T12:00:00Z") });
  const rows = await deps.db
    .select({ externalId: mentions.externalId, text: mentions.text, url: mentions.url })
    .from(mentions)
    .where(eq(mentions.sourceId, source.id));
  return { source, outcome, rows };
}

function podcast(items: number): string {
  const entries = Array.from(
    { length: items },
    (_, i) => `    <item>
      <title>Episode ${items - i}: callers on Acme Recovery</title>
      <link>https://pod.example.net/ep/${items - i}</link>
      <guid isPermaLink="false">pod-ep-${items - i}</guid>
      <pubDate>${new Date(Date.UTC(2026, 10, 20) - i * 86_400_000).toUTCString()}</pubDate>
      <description>Listener mail about collections, part ${items - i}.</description>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel><title>Money Talk</title><link>https://pod.example.net/</link>
${entries.join("\n")}
  </channel>
</rss>`;
}

describe("feeds from the wild", () => {
  it("ingests an <rss> without a version attribute", async () => {
    body = readFileSync("test/fixtures/rss/corpus/no-version.rss");
    const { outcome, rows } = await pollFeed("board");
    expect(outcome.status).toBe("ok");
    expect(rows.map((r) => r.externalId).sort()).toEqual([
      "https://board.example.org/t/8807",
      "https://board.example.org/t/8812",
    ]);
  });

  it("decodes a Latin-1 feed that declares no encoding (invalid UTF-8 → windows-1252)", async () => {
    const xml = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Forum</title>
<item><title>Acme Recovery m'a appelé à 7h</title><guid>fr-1</guid><link>https://forum.example.fr/1</link>
<description>Très désagréable, ça fait déjà trois fois – «assez».</description></item>
</channel></rss>`;
    body = Buffer.from(xml, "latin1");
    // The bytes really are Latin-1: é is one byte, which UTF-8 rejects.
    expect(body.includes(Buffer.from([0xe9]))).toBe(true);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(body)).toThrow();
    contentType = "application/rss+xml"; // no charset either
    const { rows } = await pollFeed("forum");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toContain("m'a appelé à 7h");
    expect(rows[0]?.text).toContain("Très désagréable");
    expect(rows[0]?.text).not.toContain("\uFFFD");
  });

  it("honours a declared charset and keeps UTF-8 as UTF-8", () => {
    const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><x>café</x></rss>', "latin1");
    expect(decodeFeed(latin, null)).toContain("café");
    const utf8 = Buffer.from('<?xml version="1.0"?><rss><x>café – ok</x></rss>', "utf8");
    expect(decodeFeed(utf8, "text/xml")).toContain("café – ok");
    expect(decodeFeed(Buffer.from("caf\xe9", "latin1"), "text/xml; charset=iso-8859-1")).toBe("café");
  });

  it("stores all 730 items of a first poll, page by page, and nothing twice on the next", async () => {
    contentType = "application/rss+xml; charset=utf-8";
    body = Buffer.from(podcast(730));
    const { source, outcome } = await pollFeed("podcast");
    const [count] = await deps.db
      .select({ n: sql<number>`count(*)` })
      .from(mentions)
      .where(eq(mentions.sourceId, source.id));
    expect(count?.n).toBe(730);
    expect(outcome.inserted).toBe(730);
    expect(outcome.pages).toBe(2); // 500 + 230 with the default page size
    const distinct = await deps.db.all<{ n: number }>(
      sql`select count(distinct external_id) as n from mentions where source_id = ${source.id}`,
    );
    expect(distinct[0]?.n).toBe(730);
    // The finished run keeps the validator for the next conditional request, not a position.
    expect(server.requests).toHaveLength(2); // one fetch per page
    const again = await pollSource(
      deps,
      { ...source, cursor: (await reload(source.id)).cursor },
      { force: true },
    );
    expect(again.inserted).toBe(0);
    // This server ignores the validator, so the feed is read again (all duplicates); the request carried it.
    expect(server.requests[2]?.headers["if-none-match"]).toBe('"v1"');
    expect(server.requests[3]?.headers["if-none-match"]).toBeUndefined(); // mid-feed: never a conditional request
  });

  it("stores only http(s) links: javascript: and data: URLs are dropped, the mention kept", async () => {
    body = Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><title>Acme Recovery one</title><guid>a</guid><link>javascript:alert(document.cookie)</link></item>
<item><title>Acme Recovery two</title><guid>b</guid><link>data:text/html;base64,PHNjcmlwdD4=</link></item>
<item><title>Acme Recovery three</title><guid>c</guid><link>https://ok.example/3</link></item>
</channel></rss>`);
    const { rows } = await pollFeed("links");
    const byId = Object.fromEntries(rows.map((r) => [r.externalId, r.url]));
    expect(byId).toEqual({ a: null, b: null, c: "https://ok.example/3" });
  });
});

async function reload(id: number) {
  const { sources } = await import("../src/db/schema/index.js");
  const [row] = await deps.db.select().from(sources).where(eq(sources.id, id));
  return row!;
}
