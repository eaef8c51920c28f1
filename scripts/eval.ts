// npm run eval -- --input <labelled.jsonl> [--engine local|claude|hybrid]
//   Rows carry "text" and a gold "category" (and/or "relevant"). Prints accuracy, per-class precision/recall/F1
//   and the confusion matrix, for relevance and for category.
// npm run eval -- --cross-source [--data <dir>] [--random-folds <n>] [--json <file>]
//   Trains the local engine once per held-out source group (leave-one-source-out; sources under 100 rows pooled)
//   and once per random fold, with the same fixed training settings as `npm run train`, and prints relevance on
//   clear rows, category macro-F1 over the six CFPB-mapped codes, calibration (ECE) and the hybrid band's catch,
//   per class and per source; then the short hand-written posts (social_test, homonym_test) on the shipped model.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  CLAUDE_BUDGET,
  chooseEscalationPolicy,
  computeFigures,
  crossValidate,
  DEFAULT_POLICY,
  type Figures,
  groupedFolds,
  type HybridFigures,
  nestedBandFigures,
  REALISTIC_FEED,
  randomFolds,
  type Scored,
} from "../src/classifier/evaluation.js";
import { LocalEngine } from "../src/classifier/local.js";
import { binaryF1, computeMetrics, formatReport, macroF1 } from "../src/classifier/metrics.js";
import {
  buildItems,
  DEFAULT_TRAIN_CONFIG,
  HOMONYM_TEST_PATH,
  loadDataset,
  loadJsonlRows,
  MEASURED_CODES,
  SMALL_SOURCE_ROWS,
  SMALL_SOURCES,
  SOCIAL_TEST_PATH,
  sourceGroups,
} from "../src/classifier/training.js";
import type { EngineName } from "../src/classifier/types.js";
import { CATEGORIES, type Category } from "../src/domain/taxonomy.js";
import { loadEnv } from "../src/env.js";
import { buildClassifier } from "../src/platform/classifier.js";

const { values } = parseArgs({
  options: {
    input: { type: "string" },
    engine: { type: "string", default: "local" },
    "cross-source": { type: "boolean", default: false },
    data: { type: "string", default: "../shared/data" },
    "random-folds": { type: "string", default: "5" },
    json: { type: "string" },
  },
});
const f = (v: number) => v.toFixed(3);

if (values["cross-source"]) {
  await crossSource();
} else {
  if (!values.input) {
    console.error(
      "usage: npm run eval -- --input <labelled.jsonl> [--engine local|claude|hybrid]\n" +
        "   or: npm run eval -- --cross-source [--data <dir>] [--random-folds <n>] [--json <file>]",
    );
    process.exit(2);
  }
  await evalFile(values.input);
}

async function crossSource() {
  const started = Date.now();
  const config = DEFAULT_TRAIN_CONFIG;
  const ds = loadDataset(resolve(values.data));
  const items = buildItems(ds, config);
  const groups = sourceGroups([...ds.labelled, ...ds.unlabelled, ...ds.otherProducts]);
  const pooled = [...groups].filter(([, g]) => g === SMALL_SOURCES).map(([s]) => s);
  console.log(
    `${items.length} rows; ${new Set(groups.values()).size} source groups (sources under ${SMALL_SOURCE_ROWS} rows pooled as "${SMALL_SOURCES}": ${pooled.sort().join(", ")})`,
  );
  const progress = (name: string) =>
    console.error(`  fold ${name} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const grouped = crossValidate(items, groupedFolds(items), config, { grouped: true, onFold: progress });
  const random = crossValidate(items, randomFolds(Number(values["random-folds"])), config, {
    grouped: false,
    onFold: progress,
  });
  const g = computeFigures(grouped);
  const r = computeFigures(random);
  printComparison(g, r);
  const band = printBand(grouped);
  printPerGroup(g);
  console.log(formatReport("\ncategory stage, held-out sources (gold relevance)", g.categoryStage));
  console.log(formatReport("\nend to end, held-out sources", g.endToEnd));
  const short = shortPosts();
  console.log(`\ncross-source evaluation took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (values.json) {
    const strip = (x: Figures) => ({
      ...x,
      categoryStage: x.categoryStage.perClass,
      endToEnd: x.endToEnd.perClass,
    });
    writeFileSync(
      values.json,
      `${JSON.stringify({ grouped: strip(g), random: strip(r), band, short }, null, 1)}\n`,
    );
    console.log(`wrote ${values.json}`);
  }
  return { grouped, random };
}

function printComparison(g: Figures, r: Figures) {
  const rows: [string, (x: Figures) => string, string][] = [
    ["relevance precision, clear rows", (x) => f(x.relevanceClear.precision), "≥ 0.90"],
    ["relevance recall, clear rows", (x) => f(x.relevanceClear.recall), ""],
    ["relevance F1, clear rows", (x) => `${f(x.relevanceClear.f1)} (n=${x.relevanceClear.n})`, "≥ 0.92"],
    [
      "relevance P / R / F1, all rows (ambiguous ones as labelled)",
      (x) =>
        `${f(x.relevanceAll.precision)} / ${f(x.relevanceAll.recall)} / ${f(x.relevanceAll.f1)} (n=${x.relevanceAll.n})`,
      "",
    ],
    [
      "ambiguous rows called relevant",
      (x) => `${f(x.ambiguousCalledRelevant.share)} (n=${x.ambiguousCalledRelevant.n})`,
      "scored apart",
    ],
    [
      "everyday sentences called relevant",
      (x) => `${f(x.everydayFalsePositive.share)} (n=${x.everydayFalsePositive.n})`,
      "",
    ],
    ["category macro-F1, six codes, category stage", (x) => f(x.categoryStageMacroF1), "≥ 0.55"],
    ["category macro-F1, six codes, end to end", (x) => f(x.endToEndMacroF1), ""],
    ["ECE, relevance confidence", (x) => f(x.relevanceEce), "≤ 0.05"],
    ["ECE, output confidence vs whole answer", (x) => f(x.confidenceEce), "≤ 0.05"],
    ["wrong answers caught, realistic feed", (x) => f(x.hybrid.wrongCaughtRealisticFeed), "≥ 0.70"],
    [
      "wrong answers inside the band, checkable rows unweighted",
      (x) => `${f(x.hybrid.wrongCaught)} (n=${x.hybrid.wrongN})`,
      "",
    ],
    [
      "debt-collection rows missed, share sent",
      (x) => `${f(x.hybrid.missesCaught)} (n=${x.hybrid.missesN})`,
      "",
    ],
    ["share sent to Claude, realistic feed", (x) => f(x.hybrid.sentRealisticFeed), "≤ 0.20"],
    ["share sent, CFPB narratives as they come", (x) => f(x.hybrid.sentNarratives), ""],
    ["share sent, everyday sentences", (x) => f(x.hybrid.sentEveryday), ""],
  ];
  console.log(
    "\n| measure | held-out sources (headline) | random split (same sources both sides) | target |",
  );
  console.log("|---|---|---|---|");
  for (const [name, get, target] of rows) console.log(`| ${name} | ${get(g)} | ${get(r)} | ${target} |`);
  console.log(
    `\nrealistic feed = ${REALISTIC_FEED.everyday} everyday sentences + ${REALISTIC_FEED.other} other-product complaints + ${REALISTIC_FEED.collections} debt-collection complaints (by weight)`,
  );
}

/**
 * The hybrid band: the shipped DEFAULT_POLICY, the band this run would choose on all held-out scores (what
 * DEFAULT_POLICY should be set to), and the honest figure: the band chosen without each held-out source.
 */
function printBand(grouped: Scored[]) {
  const chosen = chooseEscalationPolicy(grouped);
  const nested = nestedBandFigures(grouped);
  const show = (p: typeof DEFAULT_POLICY) =>
    `relevance ${p.relevanceBand[0]}–${p.relevanceBand[1]}, code below ${p.minCategoryProbability}, critical unless relevance below ${p.criticalMinRelevance}`;
  const line = (name: string, h: HybridFigures) =>
    console.log(
      `| ${name} | ${f(h.wrongCaughtRealisticFeed)} | ${f(h.sentRealisticFeed)} | ${f(h.wrongCaught)} | ${f(h.missesCaught)} | ${f(h.sentEveryday)} |`,
    );
  console.log(`\nhybrid band (budget: at most ${CLAUDE_BUDGET} of a realistic feed sent to Claude)`);
  console.log(`  shipped DEFAULT_POLICY: ${show(DEFAULT_POLICY)}`);
  console.log(`  chosen on all held-out scores: ${show(chosen.policy)}`);
  console.log(
    "| band | wrong answers caught, realistic feed | share sent, realistic feed | caught, checkable rows | misses sent | everyday sent |",
  );
  console.log("|---|---|---|---|---|---|");
  line("chosen without the held-out source (headline)", nested.figures);
  line("chosen on all held-out scores", chosen.figures);
  const shipped = computeFigures(grouped).hybrid;
  line("shipped DEFAULT_POLICY", shipped);
  return { chosen, nested, shipped };
}

function printPerGroup(g: Figures) {
  console.log(
    "\n| held-out source | clear rows | called relevant | relevance P | R | F1 | labelled | category macro-F1 |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of g.perGroup) {
    console.log(
      `| ${row.group} | ${row.relevance.n} | ${f(row.calledRelevant)} | ${f(row.relevance.precision)} | ${f(row.relevance.recall)} | ${f(row.relevance.f1)} | ${row.labelled} | ${row.categoryMacroF1 === undefined ? "–" : f(row.categoryMacroF1)} |`,
    );
  }
}

function shortPosts() {
  const engine = new LocalEngine();
  const out: Record<string, { n: number; relevanceAccuracy: number; categoryAccuracy: number }> = {};
  for (const [name, path] of [
    ["social_test", SOCIAL_TEST_PATH],
    ["homonym_test", HOMONYM_TEST_PATH],
  ] as const) {
    const rows = loadJsonlRows(path);
    const results = rows.map((row) => engine.classifyOne({ id: row.id, text: row.text }));
    const rel = rows.filter((row, i) => (row.category !== "not_collections") === results[i]?.relevant).length;
    const cat = rows.filter((row, i) => row.category === results[i]?.category).length;
    out[name] = { n: rows.length, relevanceAccuracy: rel / rows.length, categoryAccuracy: cat / rows.length };
    console.log(
      `\n${name} (shipped model, never trained on): relevance accuracy ${f(rel / rows.length)}, category accuracy ${f(cat / rows.length)} (n=${rows.length})`,
    );
    for (const [i, row] of rows.entries()) {
      const res = results[i];
      if (res?.category !== row.category)
        console.log(`  ✗ ${row.text} → ${res?.category} (gold ${row.category})`);
    }
  }
  return out;
}

async function evalFile(input: string) {
  const rows = readFileSync(input, "utf8")
    .split("\n")
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() !== "")
    .map(({ line, n }) => {
      const raw = JSON.parse(line) as {
        id?: unknown;
        text?: unknown;
        category?: unknown;
        relevant?: unknown;
      };
      if (typeof raw.text !== "string") throw new Error(`line ${n}: no "text"`);
      const category =
        typeof raw.category === "string" && (CATEGORIES as readonly string[]).includes(raw.category)
          ? (raw.category as Category)
          : undefined;
      const relevant =
        typeof raw.relevant === "boolean"
          ? raw.relevant
          : category
            ? category !== "not_collections"
            : undefined;
      return { id: String(raw.id ?? n), text: raw.text, category, relevant };
    });

  const env = loadEnv();
  const { engine } = buildClassifier(env, { engine: values.engine as EngineName });
  const started = performance.now();
  const predictions = await engine.classify(rows.map((r) => ({ id: r.id, text: r.text })));
  const seconds = (performance.now() - started) / 1000;
  console.log(`${engine.name} ${engine.version}: ${rows.length} rows in ${seconds.toFixed(2)}s`);

  const withRelevance = rows
    .map((r, i) => ({ gold: r.relevant, predicted: predictions[i]?.relevant ?? false }))
    .filter((r) => r.gold !== undefined);
  if (withRelevance.length > 0) {
    const rel = binaryF1(
      withRelevance.map((r) => r.gold as boolean),
      withRelevance.map((r) => r.predicted),
    );
    console.log(
      `\nrelevance: F1 ${f(rel.f1)} precision ${f(rel.precision)} recall ${f(rel.recall)} (n=${withRelevance.length})`,
    );
    const label = (v: boolean) => (v ? "collections" : "not_collections");
    console.log(
      formatReport(
        "relevance",
        computeMetrics(
          withRelevance.map((r) => label(r.gold as boolean)),
          withRelevance.map((r) => label(r.predicted)),
          ["collections", "not_collections"],
        ),
      ),
    );
  }
  const withCategory = rows
    .map((r, i) => ({ gold: r.category, predicted: predictions[i]?.category ?? "not_collections" }))
    .filter((r) => r.gold !== undefined);
  if (withCategory.length > 0) {
    const report = computeMetrics(
      withCategory.map((r) => r.gold as string),
      withCategory.map((r) => r.predicted),
      CATEGORIES,
    );
    console.log(
      `\ncategory: accuracy ${f(report.accuracy)}, macro-F1 over ${MEASURED_CODES.join(", ")}: ${f(macroF1(report, MEASURED_CODES))}`,
    );
    console.log(formatReport("category", report));
  }
}

export type { Scored };
