// The blind label audit (src/classifier/data/label-audit/): how well a careful reader who sees only the text
// agrees with the dataset's labels, the product and the issue the consumer picked. It bounds what any model that
// reads the text can score against those labels, so it says whether a target is a modelling problem or a data one.
// Pure: the script (scripts/label-audit.ts) loads the rows and prints what this computes.

import { MEASURED_CODES } from "./training.js";

/** The reader's answer to "is this complaint about debt collection?", from the text alone. */
export type ReaderRelevance = "collections" | "not" | "unclear";

export interface RelevanceJudgement {
  /** The dataset's label: filed as debt collection (true) or as another product (false). */
  relevant: boolean;
  reader: ReaderRelevance;
}

export interface RelevanceAudit {
  /** Rows per (label, reader answer). */
  table: Record<"relevant" | "notRelevant", Record<ReaderRelevance, number>>;
  /** The reader's precision, recall and F1 against the labels, each label's rows weighted to its share of `mix`. */
  readerCallsUnclearNot: { precision: number; recall: number; f1: number };
  readerCallsUnclearRelevant: { precision: number; recall: number; f1: number };
  /** The best F1 over every share of the unclear rows called relevant (the reader's ceiling). */
  best: { f1: number; unclearCalledRelevant: number };
}

const prf = (tp: number, fp: number, fn: number) => {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return {
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
};

/**
 * `mix` is how many rows of each label the measured set holds (the audit samples both labels equally; the
 * evaluation's clear rows do not), so the reader is scored on the same class balance as the model.
 */
export function relevanceAudit(
  rows: readonly RelevanceJudgement[],
  mix: { relevant: number; notRelevant: number },
): RelevanceAudit {
  const empty = (): Record<ReaderRelevance, number> => ({ collections: 0, not: 0, unclear: 0 });
  const table = { relevant: empty(), notRelevant: empty() };
  for (const row of rows) table[row.relevant ? "relevant" : "notRelevant"][row.reader]++;
  const size = (t: Record<ReaderRelevance, number>) => t.collections + t.not + t.unclear;
  const wPos = mix.relevant / Math.max(1, size(table.relevant));
  const wNeg = mix.notRelevant / Math.max(1, size(table.notRelevant));
  // q: the share of unclear rows the reader calls relevant.
  const at = (q: number) => {
    const tp = wPos * (table.relevant.collections + q * table.relevant.unclear);
    const fn = wPos * (table.relevant.not + (1 - q) * table.relevant.unclear);
    const fp = wNeg * (table.notRelevant.collections + q * table.notRelevant.unclear);
    return prf(tp, fp, fn);
  };
  let best = { f1: -1, unclearCalledRelevant: 0 };
  for (let step = 0; step <= 100; step++) {
    const { f1 } = at(step / 100);
    if (f1 > best.f1) best = { f1, unclearCalledRelevant: step / 100 };
  }
  return { table, readerCallsUnclearNot: at(0), readerCallsUnclearRelevant: at(1), best };
}

export interface CodeJudgement {
  /** The issue the consumer picked, as a taxonomy code. */
  gold: string;
  reader: string;
  second: string | null;
}

export interface CodeAudit {
  rows: number;
  accuracy: number;
  /** Gold is the reader's first or second choice. */
  topTwo: number;
  /** F1 per measured code, each gold code's rows weighted to its share of `mix`. */
  perCode: Record<string, number>;
  macroF1: number;
}

/** The reader's codes against the consumer's, over the six CFPB-mapped codes, weighted to `mix` (rows per code). */
export function codeAudit(rows: readonly CodeJudgement[], mix: Record<string, number>): CodeAudit {
  const sampled: Record<string, number> = {};
  for (const row of rows) sampled[row.gold] = (sampled[row.gold] ?? 0) + 1;
  const weight = (gold: string) => (mix[gold] ?? 0) / Math.max(1, sampled[gold] ?? 0);
  const perCode: Record<string, number> = {};
  for (const code of MEASURED_CODES) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const row of rows) {
      const w = weight(row.gold);
      if (row.reader === code && row.gold === code) tp += w;
      else if (row.reader === code) fp += w;
      else if (row.gold === code) fn += w;
    }
    perCode[code] = prf(tp, fp, fn).f1;
  }
  const n = rows.length;
  return {
    rows: n,
    accuracy: rows.filter((r) => r.reader === r.gold).length / Math.max(1, n),
    topTwo: rows.filter((r) => r.reader === r.gold || r.second === r.gold).length / Math.max(1, n),
    perCode,
    macroF1: MEASURED_CODES.reduce((a, c) => a + (perCode[c] ?? 0), 0) / MEASURED_CODES.length,
  };
}

export interface ModelOnAuditRow extends RelevanceJudgement {
  /** The local engine's held-out answer for the row (its source left out of training). */
  modelRelevant: boolean;
}

/**
 * The model's held-out precision, recall and F1 on the audited rows whose label the reader confirms (a debt-collection
 * complaint read as collections, an other-product one read as not), weighted to `mix` like the reader's own figures:
 * what the model scores where the label is clear from the text.
 */
export function modelOnConfirmedRows(
  rows: readonly ModelOnAuditRow[],
  mix: { relevant: number; notRelevant: number },
): { precision: number; recall: number; f1: number; rows: number } {
  const sampled = { relevant: 0, notRelevant: 0 };
  for (const row of rows) sampled[row.relevant ? "relevant" : "notRelevant"]++;
  const wPos = mix.relevant / Math.max(1, sampled.relevant);
  const wNeg = mix.notRelevant / Math.max(1, sampled.notRelevant);
  const confirmed = rows.filter((r) => (r.relevant ? r.reader === "collections" : r.reader === "not"));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const row of confirmed) {
    if (row.relevant && row.modelRelevant) tp += wPos;
    else if (row.relevant) fn += wPos;
    else if (row.modelRelevant) fp += wNeg;
  }
  return { ...prf(tp, fp, fn), rows: confirmed.length };
}
