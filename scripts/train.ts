// npm run train [-- --data <dir>] [--out <file>] [--seed <n>] [--no-write]
// Trains the local classifier from ../shared/data, prints held-out metrics, writes the committed weights.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { MODEL_PATH } from "../src/classifier/local.js";
import { formatReport } from "../src/classifier/metrics.js";
import {
  DEFAULT_TRAIN_CONFIG,
  evaluateHeldOut,
  loadDataset,
  loadJsonlRows,
  MEASURED_CODES,
  SOCIAL_TEST_PATH,
  trainModels,
} from "../src/classifier/training.js";
import { computeMetrics } from "../src/classifier/metrics.js";
import { CATEGORIES } from "../src/domain/taxonomy.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data" },
    out: { type: "string" },
    seed: { type: "string" },
    "no-write": { type: "boolean", default: false },
  },
});

const config = { ...DEFAULT_TRAIN_CONFIG, ...(values.seed ? { seed: Number(values.seed) } : {}) };
const started = Date.now();
const dataset = loadDataset(resolve(values.data));
const { bundle, model, split } = trainModels(dataset, config);
const report = evaluateHeldOut(model, split);

const f = (v: number) => v.toFixed(3);
console.log(`trained ${bundle.version} in ${((Date.now() - started) / 1000).toFixed(1)}s on`, bundle.trainedOn);
console.log(
  `\nheld-out relevance: F1 ${f(report.relevance.f1)} (precision ${f(report.relevance.precision)}, recall ${f(report.relevance.recall)}, n=${report.relevance.n})`,
);
console.log(formatReport("held-out relevance", report.relevanceReport));
console.log(`\nheld-out category macro-F1 over ${MEASURED_CODES.join(", ")}: ${f(report.categoryMacroF1)} (category stage), ${f(report.endToEndMacroF1)} (end to end)`);
console.log(formatReport("held-out category (category stage)", report.category));
console.log(formatReport("held-out category (end to end)", report.endToEnd));

const social = loadJsonlRows(SOCIAL_TEST_PATH);
const socialReport = computeMetrics(
  social.map((r) => r.category as string),
  social.map((r) => model.predict(r.text).category),
  CATEGORIES,
);
console.log(`\n${formatReport("hand-written short social posts (never trained on)", socialReport)}`);

if (!values["no-write"]) {
  const out = resolve(values.out ?? MODEL_PATH);
  writeFileSync(out, `${JSON.stringify(bundle)}\n`);
  console.log(`\nwrote ${out}`);
}
