import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpikeExplanation } from "../domain/spikes/explain.js";
import {
  buildSpikeMessage,
  buildUrgentMentionMessage,
  maskForSlack,
  parseRetryAfter,
  type SlackPayload,
  sendSlack,
  slackNotifier,
} from "./slack.js";

const explanation: SpikeExplanation = {
  mentions: 42,
  baselineMentions: 120,
  terms: [
    { value: "payment portal", count: 30, share: 0.71, baselineShare: 0.02, score: 9.1 },
    { value: "error <script>", count: 12, share: 0.3, baselineShare: 0, score: 4.2 },
  ],
  sources: [{ value: "X", count: 35, share: 0.83, baselineShare: 0.5, score: 3 }],
  authors: [],
  links: [{ value: "status.example.com/incident/42", count: 5, share: 0.1, baselineShare: 0, score: 2.5 }],
  categories: [{ value: "payment_service", count: 38, share: 0.9, baselineShare: 0.3, score: 6 }],
  examples: [
    {
      id: 1,
      text: "Portal down again, call me at 555-123-4567 or jo@example.com <!channel>",
      source: "X",
      url: "https://x.com/a/status/1",
    },
    {
      id: 2,
      text: "My account 12345678 payment failed & nobody answers",
      source: "X",
      url: "javascript:alert(1)",
    },
    { id: 3, text: "error 500 on the payment portal", source: "Reddit", url: null },
  ],
};

const spikeInput = {
  brand: "Acme Recovery",
  subject: "payment service complaints on X",
  ts: "2026-11-23T14:00:00Z",
  count: 42,
  expected: 6.3,
  score: 12.4,
  explanation,
  feedUrl:
    "https://rapport.example.com/mentions?brand=acme&category=payment_service&since=2026-11-23T14:00:00Z",
};

describe("Slack message builders", () => {
  it("builds a spike message: what, how far above normal, explanation, examples, feed link", () => {
    const message = buildSpikeMessage(spikeInput);
    const json = JSON.stringify(message);
    expect(message.text).toContain("payment service complaints on X");
    expect(message.text).toContain("42 mentions in one hour vs about 6 normally (6.7× normal)");
    expect(message.blocks[0]).toMatchObject({ type: "header" });
    expect(json).toContain("payment portal");
    expect(json).toContain("status.example.com/incident/42");
    expect(json).toContain('"url":"https://rapport.example.com/mentions?brand=acme');
    expect(message.blocks.at(-1)).toMatchObject({ type: "actions" });
  });

  it("masks PII and neutralizes markup in every message", () => {
    const json = JSON.stringify(buildSpikeMessage(spikeInput));
    expect(json).not.toContain("555-123-4567");
    expect(json).not.toContain("jo@example.com");
    expect(json).not.toContain("12345678");
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<script>");
    expect(json).not.toContain("javascript:");
    expect(json).toContain("&lt;!channel&gt;");
    expect(json).toContain("[PHONE]");
    expect(json).toContain("[EMAIL]");

    const urgent = buildUrgentMentionMessage({
      brand: "Acme Recovery",
      source: "X",
      text: "My lawyer will sue. SSN 123-45-6789, card 4111 1111 1111 1111, call 212 555 0100, ref 99887766",
      author: "@angry",
      category: "legal_threats",
      flags: ["attorney"],
      reasons: ["lawsuit threat"],
      reach: 120_000,
      createdAt: "2026-11-23T14:05:00Z",
      postUrl: "https://x.com/angry/status/9",
      mentionUrl: "https://rapport.example.com/mentions/77",
    });
    const urgentJson = JSON.stringify(urgent);
    for (const secret of ["123-45-6789", "4111 1111 1111 1111", "212 555 0100", "99887766"]) {
      expect(urgentJson).not.toContain(secret);
    }
    expect(urgent.text).toMatch(/^Urgent: X post about Acme Recovery/);
    expect(urgentJson).toContain("*Severity*\\ncritical");
    expect(urgentJson).toContain("represented by or consulting an attorney");
    expect(urgentJson).toContain("120,000");
    expect(urgentJson).toContain("https://rapport.example.com/mentions/77");
  });

  it("re-masks long digit runs the PII masker does not know", () => {
    expect(maskForSlack("ticket 1234 5678 90 and 2026")).toBe("ticket [NUMBER] and 2026");
  });

  it("stays within Block Kit limits for huge input", () => {
    const long = "word ".repeat(2000);
    const message = buildUrgentMentionMessage({
      brand: long,
      source: "X",
      text: long,
      category: "other_collections",
      flags: [],
      reasons: [],
      createdAt: "2026-11-23T14:05:00Z",
      mentionUrl: "https://rapport.example.com/mentions/1",
    });
    const header = message.blocks[0] as { text: { text: string } };
    expect([...header.text.text].length).toBeLessThanOrEqual(150);
    for (const block of message.blocks) {
      if (block.type === "section" && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe("sendSlack against a local webhook", () => {
  let server: Server;
  let base: string;
  const received: { path: string; contentType: string | undefined; body: SlackPayload }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = "";
      req.on("data", (c) => {
        raw += c;
      });
      req.on("end", () => {
        const path = req.url ?? "";
        if (path === "/slow") return; // never answers
        if (path === "/ok")
          received.push({ path, contentType: req.headers["content-type"], body: JSON.parse(raw) });
        const replies: Record<string, [number, string, Record<string, string>?]> = {
          "/ok": [200, "ok"],
          "/rate-limited": [429, "rate_limited", { "retry-after": "30" }],
          "/down": [503, "service unavailable"],
          "/rollup": [500, "rollup_error"],
          "/invalid": [400, "invalid_payload"],
          "/archived": [410, "channel_is_archived"],
          "/gone": [404, "channel_not_found"],
          "/revoked": [404, "no_service"],
          "/token": [403, "invalid_token"],
          "/prohibited": [403, "action_prohibited"],
        };
        const [status, body, headers] = replies[path] ?? [404, "no_service"];
        res.writeHead(status, { "content-type": "text/plain", ...headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const payload = buildSpikeMessage(spikeInput);

  it("posts JSON and reports ok on 200 ok", async () => {
    expect(await sendSlack(`${base}/ok`, payload)).toEqual({ status: "ok" });
    expect(received[0]?.contentType).toBe("application/json");
    expect(received[0]?.body.text).toBe(payload.text);
    const notifier = slackNotifier(`${base}/ok`);
    expect(notifier.kind).toBe("slack");
    expect(await notifier.send(payload)).toEqual({ status: "ok" });
  });

  it("retries a 429 after Retry-After, and 5xx", async () => {
    expect(await sendSlack(`${base}/rate-limited`, payload)).toEqual({
      status: "retry",
      afterMs: 30_000,
      reason: "rate limited by Slack (429)",
    });
    expect(await sendSlack(`${base}/down`, payload)).toMatchObject({
      status: "retry",
      reason: "Slack answered 503",
    });
    expect(await sendSlack(`${base}/rollup`, payload)).toMatchObject({
      status: "retry",
      reason: "Slack answered 500 rollup_error",
    });
  });

  it("retries timeouts and unreachable hosts", async () => {
    expect(await sendSlack(`${base}/slow`, payload, { timeoutMs: 200 })).toMatchObject({
      status: "retry",
      reason: expect.stringContaining("200 ms"),
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await sendSlack(`http://127.0.0.1:${port}/x`, payload)).toMatchObject({
      status: "retry",
      reason: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("reports permanent errors with a plain-English fix", async () => {
    const cases: [string, string, RegExp][] = [
      ["/invalid", "Slack answered 400 invalid_payload", /Rapport bug/],
      ["/archived", "Slack answered 410 channel_is_archived", /Unarchive/],
      ["/gone", "Slack answered 404 channel_not_found", /no longer exists/],
      ["/revoked", "Slack answered 404 no_service", /revoked/],
      ["/token", "Slack answered 403 invalid_token", /no longer valid/],
      ["/prohibited", "Slack answered 403 action_prohibited", /admin/],
    ];
    for (const [path, reason, fix] of cases) {
      const result = await sendSlack(`${base}${path}`, payload);
      expect(result).toMatchObject({ status: "permanent", reason });
      expect(result.status === "permanent" && result.fix).toMatch(fix);
    }
  });

  it("parses Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("12")).toBe(12_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 08:01:00 GMT", Date.parse("2026-11-23T08:00:00Z"))).toBe(60_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
