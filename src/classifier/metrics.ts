// Classification metrics for `npm run train` and `npm run eval`.

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface MetricsReport {
  labels: string[];
  accuracy: number;
  perClass: ClassMetrics[];
  /** confusion[gold][predicted] over `labels`. */
  confusion: number[][];
  total: number;
}

export function computeMetrics(
  gold: readonly string[],
  predicted: readonly string[],
  labelOrder?: readonly string[],
): MetricsReport {
  if (gold.length !== predicted.length) throw new Error("gold and predicted differ in length");
  const seen = new Set([...gold, ...predicted]);
  const labels = labelOrder ? labelOrder.filter((l) => seen.has(l)) : [...seen].sort();
  for (const l of seen) if (!labels.includes(l)) labels.push(l);
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = index.get(gold[i] as string) as number;
    const p = index.get(predicted[i] as string) as number;
    (confusion[g] as number[])[p] = ((confusion[g] as number[])[p] as number) + 1;
    if (g === p) correct++;
  }
  const perClass = labels.map((label, i) => {
    const tp = (confusion[i] as number[])[i] as number;
    const support = (confusion[i] as number[]).reduce((a, v) => a + v, 0);
    const predictedCount = confusion.reduce((a, row) => a + (row[i] as number), 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  return {
    labels,
    accuracy: gold.length ? correct / gold.length : 0,
    perClass,
    confusion,
    total: gold.length,
  };
}

export function macroF1(report: MetricsReport, over: readonly string[]): number {
  const rows = report.perClass.filter((c) => over.includes(c.label));
  return rows.length ? rows.reduce((a, c) => a + c.f1, 0) / rows.length : 0;
}

export function binaryF1(
  gold: readonly boolean[],
  predicted: readonly boolean[],
): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < gold.length; i++) {
    if (predicted[i] && gold[i]) tp++;
    else if (predicted[i]) fp++;
    else if (gold[i]) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

const pct = (v: number) => v.toFixed(3);

export function formatReport(title: string, report: MetricsReport): string {
  const width = Math.max(12, ...report.labels.map((l) => l.length));
  const lines = [`${title}: accuracy ${pct(report.accuracy)} (n=${report.total})`];
  lines.push(`  ${"class".padEnd(width)}  precision  recall  f1     support`);
  for (const c of report.perClass) {
    lines.push(
      `  ${c.label.padEnd(width)}  ${pct(c.precision).padEnd(9)}  ${pct(c.recall).padEnd(6)}  ${pct(c.f1).padEnd(5)}  ${c.support}`,
    );
  }
  const abbrev = report.labels.map((l) => l.slice(0, 6));
  lines.push("  confusion (rows = gold, columns = predicted)");
  lines.push(`  ${"".padEnd(width)}  ${abbrev.map((a) => a.padStart(6)).join(" ")}`);
  report.confusion.forEach((row, i) => {
    lines.push(
      `  ${(report.labels[i] as string).padEnd(width)}  ${row.map((v) => String(v).padStart(6)).join(" ")}`,
    );
  });
  return lines.join("\n");
}
