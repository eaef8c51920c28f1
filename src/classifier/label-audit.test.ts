import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type CodeJudgement,
  codeAudit,
  modelOnConfirmedRows,
  type RelevanceJudgement,
  relevanceAudit,
} from "./label-audit.js";
import { loadAuditRows } from "./label-audit-data.js";

const rep = <T>(n: number, row: T): T[] => Array.from({ length: n }, () => row);

describe("relevance audit", () => {
  // 10 relevant rows: 6 read as collections, 1 as not, 3 unclear; 10 not relevant: 1 collections, 7 not, 2 unclear.
  const rows: RelevanceJudgement[] = [
    ...rep(6, { relevant: true, reader: "collections" as const }),
    ...rep(1, { relevant: true, reader: "not" as const }),
    ...rep(3, { relevant: true, reader: "unclear" as const }),
    ...rep(1, { relevant: false, reader: "collections" as const }),
    ...rep(7, { relevant: false, reader: "not" as const }),
    ...rep(2, { relevant: false, reader: "unclear" as const }),
  ];

  it("counts the table and scores the reader on the measured set's class mix", () => {
    // Measured set: 100 relevant, 300 not: each relevant row weighs 10, each other row 30.
    const audit = relevanceAudit(rows, { relevant: 100, notRelevant: 300 });
    expect(audit.table.relevant).toEqual({ collections: 6, not: 1, unclear: 3 });
    expect(audit.table.notRelevant).toEqual({ collections: 1, not: 7, unclear: 2 });
    // Unclear called not: tp 60, fp 30, fn 40 → P 2/3, R 0.6.
    expect(audit.readerCallsUnclearNot.precision).toBeCloseTo(2 / 3, 10);
    expect(audit.readerCallsUnclearNot.recall).toBeCloseTo(0.6, 10);
    expect(audit.readerCallsUnclearNot.f1).toBeCloseTo((2 * (2 / 3) * 0.6) / (2 / 3 + 0.6), 10);
    // Unclear called relevant: tp 90, fp 90, fn 10 → P 0.5, R 0.9.
    expect(audit.readerCallsUnclearRelevant.precision).toBeCloseTo(0.5, 10);
    expect(audit.readerCallsUnclearRelevant.recall).toBeCloseTo(0.9, 10);
    // Calling a share q of the unclear rows relevant: F1 = 2tp / (2tp + fp + fn) = (120 + 60q) / (190 + 90q), which
    // rises with q (its derivative's numerator is 60·190 − 90·120 = 600 > 0): the best is at q = 1, 180/280.
    expect(audit.best.unclearCalledRelevant).toBe(1);
    expect(audit.best.f1).toBeCloseTo(9 / 14, 10);
  });
});

describe("the model on the rows the reader confirms", () => {
  it("scores only confirmed rows, each label weighted by the whole sample's share", () => {
    const rows = [
      // Relevant: 2 confirmed (model right on 1), 1 read as not, 1 unclear (both left out).
      { relevant: true, reader: "collections" as const, modelRelevant: true },
      { relevant: true, reader: "collections" as const, modelRelevant: false },
      { relevant: true, reader: "not" as const, modelRelevant: false },
      { relevant: true, reader: "unclear" as const, modelRelevant: true },
      // Not relevant: 2 confirmed (the model calls one relevant), 2 unclear (left out).
      { relevant: false, reader: "not" as const, modelRelevant: true },
      { relevant: false, reader: "not" as const, modelRelevant: false },
      { relevant: false, reader: "unclear" as const, modelRelevant: true },
      { relevant: false, reader: "unclear" as const, modelRelevant: true },
    ];
    // Weights: relevant 40/4 = 10, not relevant 80/4 = 20 → tp 10, fn 10, fp 20: P 1/3, R 1/2, F1 0.4.
    const figures = modelOnConfirmedRows(rows, { relevant: 40, notRelevant: 80 });
    expect(figures.rows).toBe(4);
    expect(figures.precision).toBeCloseTo(1 / 3, 10);
    expect(figures.recall).toBeCloseTo(0.5, 10);
    expect(figures.f1).toBeCloseTo(0.4, 10);
  });
});

describe("code audit", () => {
  it("weights each gold code to the data's mix and averages F1 over the six measured codes", () => {
    const rows: CodeJudgement[] = [
      ...rep(2, { gold: "debt_not_owed", reader: "debt_not_owed", second: null }),
      { gold: "debt_not_owed", reader: "written_notice", second: "debt_not_owed" },
      ...rep(2, { gold: "written_notice", reader: "written_notice", second: null }),
      { gold: "privacy", reader: "privacy", second: null },
    ];
    // debt_not_owed: 3 sampled of 30 (weight 10); written_notice 2 of 2 (1); privacy 1 of 1 (1).
    const audit = codeAudit(rows, { debt_not_owed: 30, written_notice: 2, privacy: 1 });
    expect(audit.accuracy).toBeCloseTo(5 / 6, 10);
    expect(audit.topTwo).toBe(1);
    // debt_not_owed: tp 20, fn 10 → P 1, R 2/3, F1 0.8. written_notice: tp 2, fp 10 → P 1/6, R 1, F1 2/7.
    expect(audit.perCode.debt_not_owed).toBeCloseTo(0.8, 10);
    expect(audit.perCode.written_notice).toBeCloseTo(2 / 7, 10);
    expect(audit.perCode.privacy).toBe(1);
    expect(audit.perCode.legal_threats).toBe(0);
    expect(audit.macroF1).toBeCloseTo((0.8 + 2 / 7 + 1) / 6, 10);
  });
});

const SHARED = fileURLToPath(new URL("../../../shared/data", import.meta.url));

describe.skipIf(!existsSync(SHARED))("the committed audit against ../shared/data", () => {
  it("every judged row is in the data, with the label the audit was sampled on", () => {
    const { relevance, codes } = loadAuditRows(SHARED);
    expect(relevance).toHaveLength(240);
    expect(relevance.filter((r) => r.relevant)).toHaveLength(120);
    expect(codes).toHaveLength(120);
    // Privacy has 24 rows in all; the other five codes 20 each.
    const perGold = new Map<string, number>();
    for (const row of codes) perGold.set(row.gold, (perGold.get(row.gold) ?? 0) + 1);
    expect([...perGold.values()].every((n) => n === 20)).toBe(true);
    expect(perGold.size).toBe(6);
  });

  it("gives the figures the model card quotes, from the committed answers", () => {
    const { relevance, codes, relevanceMix, codeMix } = loadAuditRows(SHARED);
    expect(relevanceMix).toEqual({ relevant: 1899, notRelevant: 4754 });
    const rel = relevanceAudit(relevance, relevanceMix);
    expect(rel.table).toEqual({
      relevant: { collections: 89, not: 12, unclear: 19 },
      notRelevant: { collections: 4, not: 92, unclear: 24 },
    });
    // By hand from that table: tp 89·1899/120, fn 31·1899/120, fp 4·4754/120.
    const tp = (89 * 1899) / 120;
    const fn = (31 * 1899) / 120;
    const fp = (4 * 4754) / 120;
    expect(rel.readerCallsUnclearNot.f1).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 10);
    expect(rel.best.f1).toBeCloseTo(0.813, 3);
    expect(codeAudit(codes, codeMix).macroF1).toBeCloseTo(0.568, 3);
  });
});
