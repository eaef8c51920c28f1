// Hostile and broken files: one stray quote, byte-order marks, Latin-1 exports, script URLs; and forged cursors.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileConnector } from "../../connectors/file.js";
import { sources } from "../../src/db/schema/index.js";
import { loadIngestContext } from "../../src/pipeline/context.js";
import { pollSource } from "../../src/pipeline/poll.js";
import { prepareMentions } from "../../src/pipeline/prepare.js";
import { storePage } from "../../src/pipeline/store.js";
import { createHttpClient } from "../../src/platform/http/index.js";
import { runCli } from "../helpers/cli.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";
import { startHttpServer } from "../helpers/http-server.js";
import { authed, createWebTestContext, insertMention, login, type WebTestContext } from "../web/helpers.js";

let deps: TestDeps;
let env: Record<string, string>;

beforeEach(async () => {
  deps = await createTestDeps();
  env = {
    DATABASE_URL: deps.env.DATABASE_URL,
    RAPPORT_DEMO: "0",
    LOG_LEVEL: "silent",
    RAPPORT_SECRET: deps.env.RAPPORT_SECRET,
  };
});
afterEach(async () => {
  await deps.cleanup();
});

async function stored() {
  const { rows } = await (
    deps.database as { client: { execute(sql: string): Promise<{ rows: unknown[] }> } }
  ).client.execute("SELECT external_id, text, url FROM mentions ORDER BY external_id");
  return rows as unknown as { external_id: string; text: string; url: string | null }[];
}

function write(name: string, content: string | Buffer): string {
  const file = join(deps.dir, name);
  writeFileSync(file, content);
  return file;
}

const noStackTrace = (output: string) => expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("CSV with an unbalanced quote", () => {
  it("reports the bad row by its line and keeps the rows before and after it", async () => {
    const file = write(
      "reviews.csv",
      [
        "id,text,author",
        'r1,"Called my boss, twice",pat', // line 2
        'r2,"They said ""final notice""",sam', // line 3
        'r3,"unclosed quote here,lee', // line 4: the stray quote
        'r4,"Kind on the phone",kim', // line 5
        "r5,plain text,ana", // line 6
        'r6,"spans', // line 7
        'two lines",bo', // line 8
        "r7,last one,cy", // line 9
      ].join("\r\n"),
    );
    const run = await runCli(["import", file, "--source", "reviews"], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/line 4: unbalanced quote/);
    expect(run.stderr.match(/^line \d+:/gm)).toHaveLength(1);
    noStackTrace(run.stderr + run.stdout);
    expect(run.stdout).toContain("Imported 6 new mentions");
    const rows = await stored();
    expect(rows.map((r) => r.external_id)).toEqual(["r1", "r2", "r4", "r5", "r6", "r7"]);
    expect(rows.find((r) => r.external_id === "r2")!.text).toBe('They said "final notice"');
    expect(rows.find((r) => r.external_id === "r6")!.text).toBe("spans\ntwo lines");
  });

  it("keeps the rows after a quote that never closes", async () => {
    const lines = ["id,text", "a1,first"];
    lines.push('a2,"never closed');
    for (let i = 3; i <= 40; i++) lines.push(`a${i},row ${i}`);
    const run = await runCli(["import", write("open.csv", lines.join("\n")), "--source", "open"], { env });
    expect(run.stderr).toMatch(/line 3: unbalanced quote: the quoted field opened on line 3 never closes/);
    expect((await stored()).length).toBe(39);
  });

  it("is linear: 20,000 stray quotes in a row cost one pass per line, not one per pair", async () => {
    const lines = ["id,text"];
    for (let i = 0; i < 20_000; i++) lines.push(`q${i},"stray`);
    lines.push("last,kept");
    const run = await runCli(["import", write("stray.csv", lines.join("\n")), "--source", "stray"], { env });
    expect(run.stdout).toContain("Imported 1 new mentions");
    expect(run.stdout).toContain("20000 rejected");
  });
});

describe("a file source read in pages", () => {
  it("resumes after the last row taken, a bad row and a multi-line row included, and takes each row once", async () => {
    const file = write(
      "drop.csv",
      ["id,text", "d1,one", 'd2,"two', 'lines"', 'd3,"stray', "d4,four", "d5,five"].join("\n"),
    );
    const ids: string[] = [];
    let cursor: { line: number } | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await fileConnector.poll({
        config: { path: file, pageSize: 1 },
        cursor,
        now: new Date(),
      } as unknown as Parameters<typeof fileConnector.poll>[0]);
      ids.push(...result.mentions.map((m) => m.externalId));
      cursor = result.cursor as { line: number };
      if (!result.hasMore) break;
    }
    expect(ids).toEqual(["d1", "d2", "d4", "d5"]);
  });
});

describe("encodings", () => {
  it("drops a UTF-8 byte-order mark from JSONL line 1 and the CSV header", async () => {
    const bom = "\uFEFF";
    const jsonl = write("bom.jsonl", `${bom}${JSON.stringify({ id: "j1", text: "first line" })}\n`);
    const csv = write("bom.csv", `${bom}id,text\nc1,first row\n`);
    expect((await runCli(["import", jsonl, "--source", "bom-jsonl"], { env })).code).toBe(0);
    expect((await runCli(["import", csv, "--source", "bom-csv"], { env })).code).toBe(0);
    expect((await stored()).map((r) => r.external_id)).toEqual(["c1", "j1"]);
  });

  it("reads a Latin-1 file as Latin-1 and says so", async () => {
    const latin1 = Buffer.from("id,text\nl1,Caf\xe9 cr\xe8me: \xe0 d\xe9plorer\n", "latin1");
    expect(latin1.includes(0xe9)).toBe(true);
    const run = await runCli(["import", write("latin1.csv", latin1), "--source", "latin"], { env });
    expect(run.stderr).toMatch(/not valid UTF-8: read as Latin-1/);
    const [row] = await stored();
    expect(row!.text).toBe("Café crème: à déplorer");
    expect(row!.text).not.toContain("\uFFFD");
  });
});

describe("URLs", () => {
  it("stores only http(s) URLs and warns about the rest, keeping the row", async () => {
    const file = write(
      "urls.jsonl",
      [
        { id: "u1", text: "ok", url: "https://bbb.example/r/1" },
        { id: "u2", text: "script", url: "javascript:alert(document.cookie)" },
        { id: "u3", text: "data", url: "data:text/html,<script>alert(1)</script>" },
        { id: "u4", text: "tab trick", url: "java\tscript:alert(1)" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const run = await runCli(["import", file, "--source", "urls"], { env });
    expect(run.stdout).toContain("Imported 4 new mentions");
    expect(run.stderr).toMatch(/line 2: warning: `url` "javascript:alert/);
    expect(run.stderr).toMatch(/line 3: warning: `url` "data:text/);
    expect(run.stderr).toMatch(/line 4: warning: `url`/);
    const rows = await stored();
    expect(rows.map((r) => r.url)).toEqual(["https://bbb.example/r/1", null, null, null]);
  });
});

describe("URLs from feeds", () => {
  it("the store drops a non-http(s) link whatever connector sent it", async () => {
    const [source] = await deps.db
      .insert(sources)
      .values({
        workspaceId: deps.workspaceId,
        brandId: deps.companyBrandId,
        name: "any",
        type: "rss",
        config: {},
      })
      .returning();
    const ingest = await loadIngestContext(deps, source!);
    const at = new Date("2026-11-22T08:00:00Z");
    const prepared = await prepareMentions(
      [
        { externalId: "s1", text: "Acme Recovery one", createdAt: at, url: "javascript:alert(1)" },
        { externalId: "s2", text: "Acme Recovery two", createdAt: at, url: " JaVaScRiPt:alert(1)" },
        { externalId: "s3", text: "Acme Recovery three", createdAt: at, url: "data:text/html,x" },
        { externalId: "s4", text: "Acme Recovery four", createdAt: at, url: "https://ok.example/4" },
      ],
      ingest.prepare,
    );
    await storePage(deps.database, prepared, {
      sourceId: source!.id,
      now: at,
      brandSla: ingest.brandSla,
      routers: [],
    });
    expect((await stored()).map((r) => r.url)).toEqual([null, null, null, "https://ok.example/4"]);
  });

  it("stores a feed item's javascript: or data: link as no link at all", async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><guid>f1</guid><title>Acme Recovery called my boss</title><link>javascript:alert(document.cookie)</link>
        <description>Acme Recovery called my boss</description><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate></item>
      <item><guid>f2</guid><title>Acme Recovery sent a letter</title><link>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</link>
        <description>Acme Recovery sent a letter</description><pubDate>Sun, 22 Nov 2026 08:01:00 GMT</pubDate></item>
      <item><guid>f3</guid><title>Acme Recovery was kind</title><link>https://news.example/acme</link>
        <description>Acme Recovery was kind</description><pubDate>Sun, 22 Nov 2026 08:02:00 GMT</pubDate></item>
    </channel></rss>`;
    const feed = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(rss);
    });
    try {
      const [source] = await deps.db
        .insert(sources)
        .values({
          workspaceId: deps.workspaceId,
          brandId: deps.companyBrandId,
          name: "hostile-feed",
          type: "rss",
          config: { url: `${feed.url}/feed` },
        })
        .returning();
      const http = createHttpClient({ allow: "127.0.0.1,localhost", retries: 0, timeoutMs: 2_000 });
      const outcome = await pollSource(deps, source!, { http, force: true });
      expect(outcome.inserted).toBe(3);
      const urls = (await stored()).map((r) => r.url);
      expect(urls.sort()).toEqual([null, null, "https://news.example/acme"].sort());
    } finally {
      await feed.close();
    }
  });
});

describe("forged cursors", () => {
  let ctx: WebTestContext;
  beforeEach(async () => {
    ctx = await createWebTestContext();
  });
  afterEach(async () => {
    await ctx.deps.cleanup();
  });

  it("answers 400 with a clear message to a `next` this server did not issue", async () => {
    for (let i = 0; i < 3; i++) await insertMention(ctx, { text: `mention ${i}` });
    const session = await login(ctx, "manager");
    const page = await ctx.app.request("/api/mentions?limit=1", authed(session));
    const { next } = (await page.json()) as { next: string };
    expect((await ctx.app.request(`/api/mentions?limit=1&next=${next}`, authed(session))).status).toBe(200);
    const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
    for (const forged of [
      forge(["not a number", 1]),
      forge([1e300, 1]),
      forge([-1.5, "x"]),
      forge([null, null]),
      forge([2 ** 64, 1]),
      "%%%",
      forge({ a: 1 }),
    ]) {
      for (const sort of ["newest", "sla"]) {
        const res = await ctx.app.request(
          `/api/mentions?sort=${sort}&next=${encodeURIComponent(forged)}`,
          authed(session),
        );
        expect(res.status, `${sort} ${forged}`).toBe(400);
        const body = (await res.json()) as { error: { message: string } };
        expect(body.error.message).toMatch(/`next` is not a cursor this server issued/);
      }
    }
  });
});
