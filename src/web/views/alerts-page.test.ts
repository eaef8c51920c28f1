import { describe, expect, it } from "vitest";
import { outboxMessage } from "./alerts-page.js";

describe("queued messages in words", () => {
  it("says what each message is, never its idempotency key", () => {
    const cases: [string, string, string][] = [
      ["slack", "urgent:12", "Slack alert: urgent mention 12"],
      ["slack", "urgent:12:brand:3", "Slack alert: urgent mention 12"],
      ["slack", "spike:7", "Slack alert: a spike in mentions"],
      ["slack", "test:3:1767000000000", "Slack test message"],
      ["email", "digest:3:2026-W12:dir@example.com", "Weekly digest for 2026-W12"],
      [
        "email",
        "digest:3:2026-W12:dir@example.com:on-demand:1767000000000",
        "Weekly digest for 2026-W12 (sent on request)",
      ],
      ["webhook", "rights_event:5", "Webhook: a consumer-rights event for the collections system"],
      ["webhook", "something-new:9", "Webhook message"],
    ];
    for (const [kind, key, words] of cases) {
      expect(outboxMessage(kind, key)).toBe(words);
      expect(outboxMessage(kind, key)).not.toContain(key);
    }
  });
});
