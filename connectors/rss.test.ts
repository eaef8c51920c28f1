import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient } from "../src/platform/http/index.js";
import { startHttpServer, type TestServer } from "../test/helpers/http-server.js";
import { ConnectorError } from "./errors.js";
import { rssConnector, unwrapLink } from "./rss.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../test/fixtures/rss/${name}`, import.meta.url), "utf8");
const now = new Date("2026-11-22T09:00:00Z");
const fastHttp = () =>
  createHttpClient({
    allow: "127.0.0.1,localhost",
    retries: 2,
    baseDelayMs: 1,
    timeoutMs: 300,
    maxWaitMs: 2_000,
  });

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(body: string, contentType = "application/xml", status = 200) {
  server = await startHttpServer((_req, res) => {
    res.writeHead(status, { "content-type": contentType });
    res.end(body);
  });
  return server.url;
}

async function poll(url: string, cursor: Record<string, unknown> | null = null) {
  return rssConnector.poll({
    config: rssConnector.configSchema.parse({ url }),
    cursor,
    http: fastHttp(),
    now,
  });
}

describe("RSS connector: real-world feed shapes", () => {
  it("reads RSS 2.0, strips markup, keeps the guid, skips entries without text", async () => {
    const page = await poll(await serve(fixture("rss2.xml")));
    expect(page.mentions).toHaveLength(2);
    const [first] = page.mentions;
    expect(first).toMatchObject({
      externalId: "news-example-48213",
      url: "https://news.example.com/2026/11/acme-calls",
      authorName: "Jane Reporter",
    });
    expect(first!.text).toBe(
      "Readers report aggressive calls from Acme Recovery\nSeveral readers say Acme Recovery called them at work & at night.",
    );
    expect(first!.createdAt.toISOString()).toBe("2026-11-20T14:05:00.000Z");
    expect(page.hasMore).toBe(false);
  });

  it("reads Atom entries by their id", async () => {
    const page = await poll(await serve(fixture("atom.xml")));
    expect(page.mentions).toHaveLength(1);
    expect(page.mentions[0]).toMatchObject({
      externalId: "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
      url: "https://blog.example.org/posts/acme-settlement",
      authorName: "Sam Writer",
      text: "Acme Recovery reached a settlement with me\nThe agent was patient and kind.",
    });
  });

  it("unwraps Google Alerts redirect links and drops highlight tags", async () => {
    const page = await poll(await serve(fixture("google-alerts.xml")));
    expect(page.mentions.map((m) => m.externalId)).toEqual([
      "tag:google.com,2013:googlealerts/feed:12501224780620368192",
      "tag:google.com,2013:googlealerts/feed:9912837465102938475",
    ]);
    expect(page.mentions[0]!.url).toBe("https://news.example.com/2026/11/21/acme-robocalls?ref=rss");
    expect(page.mentions[0]!.text).toBe(
      "Acme Recovery sued over robocalls\nConsumers say Acme Recovery called them dozens of times a day ...",
    );
    expect(page.mentions[0]!.authorName).toBeNull();
  });

  it("reads Reddit's Atom search feed without its 'submitted by' chrome", async () => {
    const page = await poll(await serve(fixture("reddit.xml")));
    expect(page.mentions[0]).toMatchObject({
      externalId: "t3_1h2x3y4",
      authorHandle: "tired_of_calls",
      url: "https://www.reddit.com/r/Debt/comments/1h2x3y4/acme_recovery_calling_work/",
      text: "Acme Recovery calling my work\nAcme Recovery keeps calling my work even after I told them to stop. Is that legal?",
    });
  });

  it("sends the stored ETag and treats 304 as no news", async () => {
    server = await startHttpServer((req, res) => {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/xml", etag: '"v1"' });
      res.end(fixture("atom.xml"));
    });
    const first = await poll(server.url);
    expect(first.cursor).toEqual({ etag: '"v1"' });
    const second = await poll(server.url, first.cursor);
    expect(second.mentions).toEqual([]);
    expect(server.requests[1]!.headers["if-none-match"]).toBe('"v1"');
  });
});

describe("RSS connector: bad upstreams", () => {
  const expectFailure = async (promise: Promise<unknown>, failure: string, message: RegExp) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).failure).toBe(failure);
    expect((error as ConnectorError).message).toMatch(message);
  };

  it("names malformed XML", async () => {
    await expectFailure(
      poll(await serve(fixture("atom.xml").slice(0, 400))),
      "payload",
      /not return a valid RSS\/Atom feed/,
    );
  });
  it("explains an HTML page", async () => {
    await expectFailure(
      poll(await serve("<!DOCTYPE html><html><body>Login</body></html>", "text/html")),
      "payload",
      /HTML page/,
    );
  });
  it("names an empty body", async () => {
    await expectFailure(poll(await serve("")), "payload", /empty body/);
  });
  it("retries a 429 after Retry-After and then succeeds", async () => {
    let calls = 0;
    server = await startHttpServer((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "1" });
        res.end("slow down");
        return;
      }
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(fixture("atom.xml"));
    });
    const page = await poll(server.url);
    expect(calls).toBe(2);
    expect(page.mentions).toHaveLength(1);
  });
  it("gives up on a long Retry-After with a rate-limit error carrying when to come back", async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(429, { "retry-after": "3600" });
      res.end();
    });
    const error = (await poll(server.url).catch((e: unknown) => e)) as ConnectorError;
    expect(error.failure).toBe("rate_limited");
    expect(error.options.retryAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
  });
  it("retries 500s and reports a transient failure when they persist", async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(500);
      res.end("boom");
    });
    await expectFailure(poll(server.url), "transient", /HTTP 500/);
    expect(server.requests).toHaveLength(3);
  });
  it("times out a slow server", async () => {
    server = await startHttpServer((_req, res) => {
      setTimeout(() => res.end(fixture("atom.xml")), 2_000).unref();
    });
    await expectFailure(poll(server.url), "transient", /did not answer within 300 ms/);
  });
  it("rejects a non-http URL in the configuration", () => {
    expect(rssConnector.configSchema.safeParse({ url: "ftp://example.com/feed" }).success).toBe(false);
  });
});

describe("unwrapLink", () => {
  it("leaves ordinary links alone", () => {
    expect(unwrapLink("https://example.com/a?url=b")).toBe("https://example.com/a?url=b");
  });
});
