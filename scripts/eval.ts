// npm run eval -- --input <labelled.jsonl> [--engine local|claude|hybrid]
// Rows carry "text" and a gold "category" (and/or "relevant"). Prints accuracy, per-class precision/recall/F1
// and the confusion matrix, for relevance and for category.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createClassifier } from "../src/classifier/index.js";
import { binaryF1, computeMetrics, formatReport, macroF1 } from "../src/classifier/metrics.js";
import { MEASURED_CODES } from "../src/classifier/training.js";
import { CATEGORIES, type Category } from "../src/domain/taxonomy.js";
import { loadEnv } from "../src/env.js";

const { values } = parseArgs({
  options: { input: { type: "string" }, engine: { type: "string", default: "local" } },
});
if (!values.input) {
  console.error("usage: npm run eval -- --input <labelled.jsonl> [--engine local|claude|hybrid]");
  process.exit(2);
}

const rows = readFileSync(values.input, "utf8")
  .split("\n")
  .map((line, i) => ({ line, n: i + 1 }))
  .filter(({ line }) => line.trim() !== "")
  .map(({ line, n }) => {
    const raw = JSON.parse(line) as { id?: unknown; text?: unknown; category?: unknown; relevant?: unknown };
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
const engine = createClassifier({
  engine: values.engine as "local" | "claude" | "hybrid",
  anthropicApiKey: env.ANTHROPIC_API_KEY,
  anthropicBaseUrl: env.ANTHROPIC_BASE_URL,
  model: env.CLAUDE_MODEL,
});
const started = performance.now();
const predictions = await engine.classify(rows.map((r) => ({ id: r.id, text: r.text })));
const seconds = (performance.now() - started) / 1000;
console.log(`${engine.name} ${engine.version}: ${rows.length} rows in ${seconds.toFixed(2)}s`);

const f = (v: number) => v.toFixed(3);
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
