// npm run train [-- --data <dir>] [--out <file>] [--seed <n>] [--no-write] [--splits <n>] [--labels <file>]…
// --labels: reviewer corrections exported by `rapport export-labels` (JSONL {"id","text","category"}); training only.
// --splits n: also train on n other seeded splits and print the mean held-out scores (the fixed split is small:
// 48 labelled rows, so one split's macro-F1 moves by ±0.05 with the luck of the draw).
// Trains the local classifier from ../shared/data, prints held-out metrics, writes the committed weights.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { contentHash } from "../src/classifier/cache.js";
import { escalationReason } from "../src/classifier/hybrid.js";
import { LocalEngine, MODEL_PATH } from "../src/classifier/local.js";
import { computeMetrics, formatReport } from "../src/classifier/metrics.js";
import {
  DEFAULT_TRAIN_CONFIG,
  evaluateHeldOut,
  loadDataset,
  loadJsonlRows,
  MEASURED_CODES,
  SOCIAL_TEST_PATH,
  trainModels,
} from "../src/classifier/training.js";
import { CATEGORIES } from "../src/domain/taxonomy.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data" },
    out: { type: "string" },
    seed: { type: "string" },
    "no-write": { type: "boolean", default: false },
    splits: { type: "string", default: "0" },
    labels: { type: "string", multiple: true, default: [] },
  },
});

const config = { ...DEFAULT_TRAIN_CONFIG, ...(values.seed ? { seed: Number(values.seed) } : {}) };
const started = Date.now();
const dataset = {
  ...loadDataset(resolve(values.data)),
  reviewed: values.labels.flatMap((path) => loadJsonlRows(resolve(path))),
};
const { bundle, model, split } = trainModels(dataset, config);
const report = evaluateHeldOut(model, split);

const f = (v: number) => v.toFixed(3);
console.log(
  `trained ${bundle.version} in ${((Date.now() - started) / 1000).toFixed(1)}s on`,
  bundle.trainedOn,
);
console.log(
  `\nheld-out relevance: F1 ${f(report.relevance.f1)} (precision ${f(report.relevance.precision)}, recall ${f(report.relevance.recall)}, n=${report.relevance.n})`,
);
console.log(formatReport("held-out relevance", report.relevanceReport));
console.log(
  `\nheld-out category macro-F1 over ${MEASURED_CODES.join(", ")}: ${f(report.categoryMacroF1)} (category stage), ${f(report.endToEndMacroF1)} (end to end)`,
);
console.log(formatReport("held-out category (category stage)", report.category));
console.log(formatReport("held-out category (end to end)", report.endToEnd));

const social = loadJsonlRows(SOCIAL_TEST_PATH);
const socialReport = computeMetrics(
  social.map((r) => r.category as string),
  social.map((r) => model.predict(r.text).category),
  CATEGORIES,
);
console.log(`\n${formatReport("hand-written short social posts (never trained on)", socialReport)}`);

// How much of a feed the hybrid engine would send to Claude: every held-out row (narratives and short posts),
// one call per distinct text. Narratives are complaint-heavy, so this is a pessimistic mix.
const engine = new LocalEngine(model);
function claudeShare(texts: string[]) {
  const reasons = new Map<string, number>();
  const sent = new Set<string>();
  for (const [i, text] of texts.entries()) {
    const reason = escalationReason(engine.classifyOne({ id: String(i), text }));
    if (!reason) continue;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    sent.add(contentHash(text));
  }
  return { share: sent.size / texts.length, reasons: Object.fromEntries(reasons) };
}
const heldOutTexts = [...split.labelledTest, ...split.unlabelledTest, ...split.otherTest].map((r) => r.text);
const mixed = claudeShare([...heldOutTexts, ...social.map((r) => r.text)]);
const socialOnly = claudeShare(social.map((r) => r.text));
console.log(
  `\nhybrid: ${(mixed.share * 100).toFixed(1)}% of held-out rows would reach Claude (n=${heldOutTexts.length + social.length})`,
  mixed.reasons,
);
console.log(
  `hybrid: ${(socialOnly.share * 100).toFixed(1)}% of the held-out short posts (n=${social.length})`,
  socialOnly.reasons,
);

const extraSplits = Number(values.splits);
if (extraSplits > 0) {
  const rel: number[] = [];
  const cat: number[] = [];
  for (let i = 1; i <= extraSplits; i++) {
    const run = trainModels(dataset, { ...config, seed: config.seed + i * 1000 });
    const r = evaluateHeldOut(run.model, run.split);
    rel.push(r.relevance.f1);
    cat.push(r.categoryMacroF1);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `\nover ${extraSplits} more seeded splits: relevance F1 mean ${f(mean(rel))} [${rel.map(f).join(" ")}], category macro-F1 mean ${f(mean(cat))} [${cat.map(f).join(" ")}]`,
  );
}

if (!values["no-write"]) {
  const out = resolve(values.out ?? MODEL_PATH);
  writeFileSync(out, `${JSON.stringify(bundle)}\n`);
  console.log(`\nwrote ${out}`);
}
