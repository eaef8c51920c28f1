// npm run train [-- --data <dir>] [--out <file>] [--seed <n>] [--no-write] [--splits <n>] [--labels <file>]…
// Trains the local classifier on ALL of ../shared/data (debt-collection narratives, labelled and not; other
// products as hard negatives), the everyday sentences and the social seed in src/classifier/data, calibrates it on
// out-of-fold scores grouped by source, and writes the committed weights (the same bytes on every run).
// --labels: reviewer corrections exported by `rapport export-labels` (JSONL {"id","text","category"}); training only.
// --splits n: also print figures from n random folds (the cross-source figures: `npm run eval -- --cross-source`).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { computeFigures, crossValidate, randomFolds } from "../src/classifier/evaluation.js";
import { LocalEngine, MODEL_PATH } from "../src/classifier/local.js";
import { computeMetrics, formatReport } from "../src/classifier/metrics.js";
import {
  DEFAULT_TRAIN_CONFIG,
  HOMONYM_TEST_PATH,
  loadDataset,
  loadJsonlRows,
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
if (!Number.isInteger(config.seed)) {
  console.error(`--seed must be an integer, got ${values.seed}`);
  process.exit(2);
}
const started = Date.now();
const dataset = {
  ...loadDataset(resolve(values.data)),
  reviewed: values.labels.flatMap((path) => loadJsonlRows(resolve(path))),
};
const { bundle, model, items } = trainModels(dataset, config);
console.log(
  `trained ${bundle.version} in ${((Date.now() - started) / 1000).toFixed(1)}s on`,
  bundle.trainedOn,
);
console.log(
  `calibration: relevance Platt slope ${bundle.relevance.calibration.slope.toFixed(3)} intercept ${bundle.relevance.calibration.intercept.toFixed(3)}; category temperature ${bundle.category.temperature.toFixed(3)}`,
);

const engine = new LocalEngine(model);
for (const [name, path] of [
  ["hand-written short social posts (never trained on)", SOCIAL_TEST_PATH],
  ["homonym table (never trained on)", HOMONYM_TEST_PATH],
] as const) {
  const rows = loadJsonlRows(path);
  const report = computeMetrics(
    rows.map((r) => r.category as string),
    rows.map((r) => engine.classifyOne({ id: r.id, text: r.text }).category),
    CATEGORIES,
  );
  console.log(`\n${formatReport(name, report)}`);
}

const folds = Number(values.splits);
if (folds > 1) {
  const figures = computeFigures(crossValidate(items, randomFolds(folds), config, { grouped: false }));
  const f = (v: number) => v.toFixed(3);
  console.log(
    `\nrandom ${folds}-fold split (same sources on both sides; not the headline): relevance F1 ${f(figures.relevanceClear.f1)} (P ${f(figures.relevanceClear.precision)}, R ${f(figures.relevanceClear.recall)}), category macro-F1 ${f(figures.categoryStageMacroF1)}`,
  );
}

if (!values["no-write"]) {
  const out = resolve(values.out ?? MODEL_PATH);
  writeFileSync(out, `${JSON.stringify(bundle)}\n`);
  console.log(`\nwrote ${out}`);
}
