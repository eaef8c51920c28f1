// Hostile text: every function that reads mention text, on a megabyte of each adversarial shape
// (test/hostile/hostile-texts.ts). Target: a megabyte in well under a second for each, in the worst shape.
// Ingest also cuts a mention to 32,000 characters before any of them runs (src/pipeline/prepare.ts).
import { detectFlags } from "../src/classifier/flags.js";
import { LocalEngine } from "../src/classifier/local.js";
import { sentimentScore } from "../src/classifier/sentiment.js";
import { compileBrandMatcher } from "../src/domain/brands.js";
import { lintReply } from "../src/domain/compliance/lint.js";
import { contentKey, stripMarkup } from "../src/domain/content.js";
import { maskFor } from "../src/domain/masking.js";
import { HOSTILE_TEXTS } from "../test/hostile/hostile-texts.js";

const MB = 1 << 20;

export async function runHostileBench(): Promise<void> {
  const brands = compileBrandMatcher([
    { id: 1, name: "Example Recovery", keywords: ["example recovery"], exclusions: ["garbage collection"] },
  ]);
  const local = new LocalEngine();
  const lintContext = {
    platform: "generic",
    brandName: "Example Co.",
    ownContacts: ["example.com/contact"],
    clients: [],
  };
  const readers: [string, number, (text: string) => unknown][] = [
    ["masking (stored)", MB, (t) => maskFor("stored", t)],
    ["masking (Claude)", MB, (t) => maskFor("claude", t, { clients: ["Acme Bank"], names: ["@jo"] })],
    ["masking (Slack/e-mail)", MB, (t) => maskFor("slack", t)],
    ["rights flags", MB, (t) => detectFlags(t)],
    ["sentiment", MB, (t) => sentimentScore(t)],
    ["brand match", MB, (t) => brands(t)],
    ["content key", MB, (t) => contentKey(t)],
    ["markup stripping (feeds)", MB, (t) => stripMarkup(t)],
    ["local classifier", MB, (t) => local.classifyOne({ id: "1", text: t })],
    ["reply linter (replies ≤ 20,000 chars)", 20_000, (t) => lintReply(t, lintContext as never)],
  ];
  console.log("reader                                   size      worst shape                   ms   target");
  for (const [name, size, read] of readers) {
    let worst = 0;
    let worstShape = "";
    for (const [shape, text] of Object.entries(HOSTILE_TEXTS(size))) {
      const started = performance.now();
      read(text);
      const ms = performance.now() - started;
      if (ms > worst) [worst, worstShape] = [ms, shape];
    }
    const sizeLabel = size === MB ? "1 MB" : `${(size / 1000).toFixed(0)} k`;
    console.log(
      `${name.padEnd(40)} ${sizeLabel.padEnd(9)} ${worstShape.padEnd(28)} ${worst.toFixed(0).padStart(5)}   < 1000 ${worst < 1000 ? "met" : "NOT MET"}`,
    );
  }
}
