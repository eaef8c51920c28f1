// Mention text is written by strangers: every function that reads it must take time in proportion to its length.
// A pattern that retries from every character (an e-mail pattern over a long word, white space in a lookbehind)
// turns one long post into minutes of a blocked server. Each function here reads a megabyte of each adversarial
// shape; a linear one takes well under a second (`npm run bench -- hostile` prints the figures), a quadratic one
// takes minutes and fails the generous per-test deadline.
import { describe, it } from "vitest";
import { detectFlags } from "../../src/classifier/flags.js";
import { sentimentScore } from "../../src/classifier/sentiment.js";
import { compileBrandMatcher } from "../../src/domain/brands.js";
import { lintReply } from "../../src/domain/compliance/lint.js";
import { contentKey, stripMarkup } from "../../src/domain/content.js";
import { maskFor } from "../../src/domain/masking.js";
import { HOSTILE_TEXTS } from "./hostile-texts.js";

const MB = 1 << 20;
const brands = compileBrandMatcher([
  { id: 1, name: "Example Recovery", keywords: ["example recovery"], exclusions: ["garbage collection"] },
]);

const readers: Record<string, (text: string) => unknown> = {
  "masking for storage": (t) => maskFor("stored", t),
  "masking for Claude": (t) => maskFor("claude", t, { clients: ["Acme Bank"], names: ["@jo"] }),
  "masking for Slack": (t) => maskFor("slack", t),
  "rights flags": (t) => detectFlags(t),
  sentiment: (t) => sentimentScore(t),
  "brand match": (t) => brands(t),
  "content key": (t) => contentKey(t),
  "markup stripping": (t) => stripMarkup(t),
};

describe("text handling is linear on a megabyte of hostile text", () => {
  for (const [name, read] of Object.entries(readers)) {
    it(name, { timeout: 20_000 }, () => {
      for (const text of Object.values(HOSTILE_TEXTS(MB))) read(text);
    });
  }

  // Replies are capped at 20,000 characters where they enter (API and forms); the linter still must not be quadratic.
  it("the reply linter, on 20,000 characters (the most a reply may have)", { timeout: 20_000 }, () => {
    const context = {
      platform: "generic",
      brandName: "Example Co.",
      ownContacts: ["example.com/contact"],
      clients: [],
    };
    for (const text of Object.values(HOSTILE_TEXTS(20_000))) lintReply(text, context as never);
  });
});
