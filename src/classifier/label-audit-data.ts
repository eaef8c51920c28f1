// Loads the blind label audit (src/classifier/data/label-audit/) and joins it, by row id, with the labels in
// ../shared/data. The judgements hold no complaint text: that stays in the shared data.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CodeJudgement, ReaderRelevance, RelevanceJudgement } from "./label-audit.js";
import { isAmbiguous, loadJsonlRows, type TextRow } from "./training.js";

export const AUDIT_DIR = new URL("./data/label-audit/", import.meta.url);

interface AuditLine {
  id: string;
  reader: string;
  second?: string | null;
}

const readLines = (file: string): AuditLine[] =>
  readFileSync(new URL(file, AUDIT_DIR), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as AuditLine);

export interface AuditRows {
  relevance: (RelevanceJudgement & { id: string })[];
  codes: CodeJudgement[];
  /** The measured set's class mix: all debt-collection rows, and the clear other-product rows. */
  relevanceMix: { relevant: number; notRelevant: number };
  /** Labelled rows per code. */
  codeMix: Record<string, number>;
}

export function loadAuditRows(dataDir: string): AuditRows {
  const dedupe = (rows: TextRow[]) => [...new Map(rows.map((r) => [r.id, r])).values()];
  const labelled = dedupe(loadJsonlRows(join(dataDir, "cfpb_debt_collection_labelled.jsonl")));
  const collections = dedupe([
    ...labelled,
    ...loadJsonlRows(join(dataDir, "cfpb_debt_collection_unlabelled.jsonl")),
  ]);
  const clearOther = dedupe(loadJsonlRows(join(dataDir, "cfpb_other_products.jsonl"))).filter(
    (r) => !isAmbiguous(r),
  );
  const relevantIds = new Set(collections.map((r) => r.id));
  const clearOtherIds = new Set(clearOther.map((r) => r.id));
  const relevance = readLines("relevance.jsonl").map((line) => {
    const relevant = relevantIds.has(line.id);
    if (!relevant && !clearOtherIds.has(line.id))
      throw new Error(
        `label audit: ${line.id} is neither a debt-collection row nor a clear other-product row`,
      );
    return { id: line.id, relevant, reader: line.reader as ReaderRelevance };
  });
  const goldCode = new Map(labelled.map((r) => [r.id, r.category]));
  const codes = readLines("codes.jsonl").map((line) => {
    const gold = goldCode.get(line.id);
    if (!gold) throw new Error(`label audit: ${line.id} has no labelled issue in ${dataDir}`);
    return { gold, reader: line.reader, second: line.second ?? null };
  });
  const codeMix: Record<string, number> = {};
  for (const row of labelled) if (row.category) codeMix[row.category] = (codeMix[row.category] ?? 0) + 1;
  return {
    relevance,
    codes,
    relevanceMix: { relevant: collections.length, notRelevant: clearOther.length },
    codeMix,
  };
}
