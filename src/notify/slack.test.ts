import { describe, expect, it } from "vitest";
import type { SpikeExplanation } from "../domain/spikes/explain.js";
import { buildSpikeMessage, buildUrgentMentionMessage } from "./slack.js";

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

  it("says when a second, bigger wave broke into an episode already under way", () => {
    const message = buildSpikeMessage({ ...spikeInput, count: 420, grewFrom: 42 });
    expect(JSON.stringify(message.blocks[0])).toContain(
      "Second, bigger wave: payment service complaints on X",
    );
    expect(JSON.stringify(message.blocks[1])).toContain(
      "The episode already under way peaked at 42 mentions in an hour; this hour has 420.",
    );
    expect(JSON.stringify(buildSpikeMessage(spikeInput))).not.toContain("already under way");
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
    const message = buildUrgentMentionMessage({
      brand: "Acme Recovery",
      source: "X",
      text: "ticket 1234 5678 90 and 2026",
      author: null,
      category: "other_collections",
      flags: [],
      reasons: [],
      reach: null,
      createdAt: "2026-11-23T14:05:00Z",
      postUrl: null,
      mentionUrl: "https://rapport.example.com/mentions/78",
    });
    const json = JSON.stringify(message);
    expect(json).toContain("ticket [NUMBER] and 2026");
    expect(json).not.toContain("5678");
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
