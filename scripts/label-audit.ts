// npx tsx scripts/label-audit.ts [--data ../shared/data] [--with-model]
//   The blind label audit's figures (src/classifier/data/label-audit/README.md): how a careful reader who sees
//   only the text scores against the labels the local engine is measured on. With --with-model, also the local
//   engine's leave-one-source-out answers (as `npm run eval -- --cross-source` trains them, about 2 minutes) on the
//   audited rows whose label the reader confirms. See the model card in the README.
import { parseArgs } from "node:util";
import { crossValidate, groupedFolds } from "../src/classifier/evaluation.js";
import { codeAudit, modelOnConfirmedRows, relevanceAudit } from "../src/classifier/label-audit.js";
import { loadAuditRows } from "../src/classifier/label-audit-data.js";
import { buildItems, DEFAULT_TRAIN_CONFIG, loadDataset } from "../src/classifier/training.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "../shared/data" },
    "with-model": { type: "boolean", default: false },
  },
});
const rows = loadAuditRows(values.data!);
const f = (x: number) => x.toFixed(3);

const rel = relevanceAudit(rows.relevance, rows.relevanceMix);
console.log(
  `Relevance: ${rows.relevance.length} clear rows read blind (reader's answer by label; scored on the data's mix of ${rows.relevanceMix.relevant} debt-collection and ${rows.relevanceMix.notRelevant} clear other-product rows)`,
);
for (const [label, t] of Object.entries(rel.table))
  console.log(`  ${label.padEnd(12)} collections ${t.collections}  not ${t.not}  unclear ${t.unclear}`);
const show = (name: string, m: { precision: number; recall: number; f1: number }) =>
  console.log(`  ${name.padEnd(40)} P ${f(m.precision)}  R ${f(m.recall)}  F1 ${f(m.f1)}`);
show("reader, unclear called not relevant", rel.readerCallsUnclearNot);
show("reader, unclear called relevant", rel.readerCallsUnclearRelevant);
console.log(
  `  reader's best F1 ${f(rel.best.f1)} (calling ${(100 * rel.best.unclearCalledRelevant).toFixed(0)}% of the unclear rows relevant); target 0.92`,
);

const codes = codeAudit(rows.codes, rows.codeMix);
console.log(
  `\nCategory: ${codes.rows} labelled narratives read blind (20 per code), F1 weighted to the data's mix of codes`,
);
for (const [code, value] of Object.entries(codes.perCode)) console.log(`  ${code.padEnd(22)} ${f(value)}`);
console.log(
  `  reader's macro-F1 ${f(codes.macroF1)} (target 0.55); accuracy ${f(codes.accuracy)}, consumer's issue in the reader's top two ${f(codes.topTwo)}`,
);

if (values["with-model"]) {
  const items = buildItems(loadDataset(values.data!), DEFAULT_TRAIN_CONFIG);
  const heldOut = new Map<string, boolean>();
  for (const s of crossValidate(items, groupedFolds(items), DEFAULT_TRAIN_CONFIG, { grouped: true }))
    if (s.item.kind === "narrative" || s.item.kind === "unlabelled" || s.item.kind === "other")
      if (!heldOut.has(s.item.id)) heldOut.set(s.item.id, s.relevant);
  const withModel = rows.relevance.map((row) => {
    const modelRelevant = heldOut.get(row.id);
    if (modelRelevant === undefined) throw new Error(`no held-out answer for ${row.id}`);
    return { ...row, modelRelevant };
  });
  const model = modelOnConfirmedRows(withModel, rows.relevanceMix);
  console.log(
    `\nThe local engine, held out by source, on the ${model.rows} audited rows whose label the reader confirms: P ${f(model.precision)}  R ${f(model.recall)}  F1 ${f(model.f1)}`,
  );
}
