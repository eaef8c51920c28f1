import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRetryAfter, type SlackPayload, sendSlack, slackNotifier } from "./slack.js";

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

  const payload: SlackPayload = {
    text: "Complaint spike: 42 mentions in an hour",
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: "*Complaint spike* — 42 mentions, about 6 expected" },
      },
    ],
  };

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

  it("calls a timeout unknown (it may have been posted) and retries unreachable hosts", async () => {
    expect(await sendSlack(`${base}/slow`, payload, { timeoutMs: 200 })).toMatchObject({
      status: "unknown",
      reason: expect.stringContaining("may have been posted"),
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
