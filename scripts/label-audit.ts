// npx tsx scripts/label-audit.ts [--data ../shared/data]
//   The blind label audit's figures (src/classifier/data/label-audit/README.md): how a careful reader who sees
//   only the text scores against the labels the local engine is measured on. See the model card in the README.
import { parseArgs } from "node:util";
import { codeAudit, relevanceAudit } from "../src/classifier/label-audit.js";
import { loadAuditRows } from "../src/classifier/label-audit-data.js";

const { values } = parseArgs({ options: { data: { type: "string", default: "../shared/data" } } });
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
