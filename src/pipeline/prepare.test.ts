import { describe, expect, it } from "vitest";
import type { NormalizedMention } from "../../connectors/types.js";
import { limitMentionSize, MAX_MENTION_CHARS, type PrepareContext, prepareMentions } from "./prepare.js";

const mention = (text: string): NormalizedMention => ({
  externalId: "1",
  text,
  createdAt: new Date("2026-12-01T08:00:00Z"),
  raw: { text },
});

const ctx: PrepareContext = {
  secret: "s".repeat(32),
  sourceType: "rss",
  sourceBrandId: null,
  matchBrands: () => [],
};

describe("mention size limit", () => {
  it("keeps a post up to the limit whole", () => {
    const text = "x".repeat(MAX_MENTION_CHARS);
    expect(limitMentionSize(mention(text)).text).toBe(text);
  });

  it("cuts a longer post, says so in its text, and drops the raw copy", () => {
    const cut = limitMentionSize(mention(`${"word ".repeat(400_000)}end`));
    expect(cut.text.startsWith("word word")).toBe(true);
    expect(cut.text).toContain(
      "[cut by Rapport: the post has 2,000,003 characters; the first 32,000 are kept]",
    );
    expect(cut.text.length).toBeLessThan(MAX_MENTION_CHARS + 200);
    expect(JSON.stringify(cut.raw).length).toBeLessThan(200);
  });

  it("is applied on the way in, before masking and hashing", async () => {
    const [prepared] = await prepareMentions([mention(`jo@x.io ${"a".repeat(1_000_000)}`)], ctx);
    expect(prepared!.mention.text.length).toBeLessThan(MAX_MENTION_CHARS + 200);
    expect(prepared!.textMasked.startsWith("[EMAIL] aaa")).toBe(true);
  });
});

describe("what the classifier is given to mask for Claude", () => {
  it("the poster's name and handle and the workspace's clients", async () => {
    const seen: unknown[] = [];
    const classifier = {
      classify: async (items: { id: string; maskContext?: unknown }[]) => {
        seen.push(...items.map((i) => i.maskContext));
        return [];
      },
    };
    await prepareMentions(
      [{ ...mention("Midland keeps calling"), authorHandle: "@jk88", authorName: "Jane K" }],
      {
        ...ctx,
        classifier: classifier as never,
        clientNames: ["Midland"],
      },
    );
    expect(seen).toEqual([{ names: ["Jane K", "@jk88"], clients: ["Midland"] }]);
  });
});
