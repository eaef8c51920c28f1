import { describe, expect, it } from "vitest";
import {
  answerCorrect,
  assertNoSourceOnBothSides,
  chooseEscalationPolicy,
  computeFigures,
  escalatesUnder,
  groupedFolds,
  hybridFigures,
  nestedBandFigures,
  randomFolds,
  type Scored,
} from "./evaluation.js";
import { extractFeatures } from "./features.js";
import { expectedCalibrationError } from "./model.js";
import {
  AMBIGUOUS_PATTERN,
  buildItems,
  type Dataset,
  DEFAULT_TRAIN_CONFIG,
  type Item,
  isAmbiguous,
  SMALL_SOURCES,
  sourceGroups,
  type TextRow,
} from "./training.js";

const rows = (source: string, n: number, extra: Partial<TextRow> = {}): TextRow[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${source}-${extra.relevant}-${extra.category}-${i}`,
    text: `text ${i} from ${source}`,
    source,
    ...extra,
  }));

function dataset(): Dataset {
  return {
    labelled: [
      ...rows("big/a", 120, { category: "debt_not_owed", relevant: true }),
      ...rows("tiny/x", 10, { category: "privacy", relevant: true }),
    ],
    unlabelled: [...rows("big/b", 150, { relevant: true }), ...rows("tiny/y", 30, { relevant: true })],
    otherProducts: [
      ...rows("big/a", 60, { relevant: false }),
      ...rows("big/c", 200, { relevant: false }),
      ...rows("tiny/z", 20, { relevant: false }),
    ],
    rulemakingComments: [],
    socialSeed: [{ id: "s1", text: "stop calling me", category: "communication_tactics" }],
    everyday: rows("brown", 40, { relevant: false, category: "not_collections", source: undefined }),
  };
}

describe("source groups", () => {
  it("keeps each large copy of the database apart and pools the small ones", () => {
    const ds = dataset();
    const groups = sourceGroups([...ds.labelled, ...ds.unlabelled, ...ds.otherProducts]);
    expect(Object.fromEntries(groups)).toEqual({
      "big/a": "big/a",
      "big/b": "big/b",
      "big/c": "big/c",
      "tiny/x": SMALL_SOURCES,
      "tiny/y": SMALL_SOURCES,
      "tiny/z": SMALL_SOURCES,
    });
  });

  it("never puts a source on both sides of a leave-one-source-out fold, and says so if asked to", () => {
    const items = buildItems(dataset(), { ...DEFAULT_TRAIN_CONFIG, bits: 10 });
    const folds = groupedFolds(items);
    expect(folds.map((f) => f.name)).toEqual(["big/a", "big/b", "big/c", SMALL_SOURCES]);
    const heldOutOnce = new Map<string, number>();
    for (const fold of folds) {
      expect(() => assertNoSourceOnBothSides(items, fold)).not.toThrow();
      const test = items.filter((it) => fold.test(it));
      const train = items.filter((it) => !fold.test(it));
      const testSources = new Set(test.flatMap((it) => (it.group ? [it.group] : [])));
      expect(train.some((it) => it.group && testSources.has(it.group))).toBe(false);
      for (const it of test) heldOutOnce.set(it.id, (heldOutOnce.get(it.id) ?? 0) + 1);
    }
    // Every CFPB row and every everyday sentence is held out exactly once; seeds are never held out.
    for (const it of items.filter((i) => i.group || i.kind === "everyday"))
      expect(heldOutOnce.get(it.id)).toBe(1);
    expect(heldOutOnce.has("s1")).toBe(false);
    // A random split mixes sources, and the guard catches it.
    const random = randomFolds(3);
    expect(() => assertNoSourceOnBothSides(items, random[0]!)).toThrow(/on both sides/);
    const everyday = items.filter((i) => i.kind === "everyday");
    for (const it of everyday) expect(random.filter((f) => f.test(it))).toHaveLength(1);
  });

  it("scores other-product rows that talk about a collection account apart, and only those", () => {
    const other = (text: string): TextRow => ({ id: "o", text, relevant: false, source: "big/c" });
    expect(isAmbiguous(other("A collection account from XXXX is on my credit report"))).toBe(true);
    expect(isAmbiguous(other("The debt collector reported it to Equifax"))).toBe(true);
    expect(isAmbiguous(other("My mortgage servicer lost my payment"))).toBe(false);
    expect(isAmbiguous(other("I collect coins and my card was declined"))).toBe(false);
    expect(isAmbiguous(other("A collections account appeared on my credit report"))).toBe(true);
    expect(isAmbiguous(other("Payment Status Collection/Chargeoff, date reported"))).toBe(true);
    expect(isAmbiguous(other("They keep trying to collect a debt I paid"))).toBe(true);
    expect(isAmbiguous(other("The representative collected my information and my payment"))).toBe(false);
    expect(isAmbiguous({ ...other("sent to collections"), relevant: true })).toBe(false);
    expect(AMBIGUOUS_PATTERN.flags).not.toContain("g"); // stateless: .test() must not remember lastIndex
  });
});

describe("figures", () => {
  const item = (over: Partial<Item>): Item => ({
    id: Math.random().toString(36),
    text: "t",
    kind: "narrative",
    x: extractFeatures("t", { bits: 8 }),
    relevanceWeight: 1,
    ambiguous: false,
    group: "g",
    ...over,
  });
  const scored = (it: Item, over: Partial<Scored>): Scored => ({
    item: it,
    fold: "f",
    relevantProbability: 0.9,
    relevant: true,
    category: "debt_not_owed",
    categoryOnly: it.category,
    categoryProbability: 0.9,
    confidence: 0.81,
    severity: "medium",
    escalated: false,
    ...over,
  });

  it("counts relevance on clear rows only, and the band's catch of wrong answers", () => {
    const rows: Scored[] = [
      // right, relevant, right code
      scored(item({ relevant: true, category: "debt_not_owed" }), {}),
      // right relevance, wrong code, escalated
      scored(item({ relevant: true, category: "privacy" }), {
        escalated: true,
        confidence: 0.3,
        categoryOnly: "debt_not_owed",
      }),
      // false positive on a clear negative, not escalated
      scored(item({ kind: "other", relevant: false }), { confidence: 0.6 }),
      // an ambiguous negative called relevant: not in the clear figures
      scored(item({ kind: "other", relevant: false, ambiguous: true }), {}),
      // a missed positive, escalated
      scored(item({ kind: "unlabelled", relevant: true }), {
        relevant: false,
        category: "not_collections",
        relevantProbability: 0.45,
        confidence: 0.55,
        escalated: true,
      }),
    ];
    const f = computeFigures(rows);
    // Clear rows: TP 2 (the two labelled), FP 1, FN 1.
    expect(f.relevanceClear).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, n: 4 });
    expect(f.ambiguousCalledRelevant).toEqual({ share: 1, n: 1 });
    // All rows, the ambiguous one by its product label (not relevant): TP 2, FP 2, FN 1.
    expect(f.relevanceAll.precision).toBeCloseTo(1 / 2, 10);
    expect(f.relevanceAll.recall).toBeCloseTo(2 / 3, 10);
    expect(f.relevanceAll.n).toBe(5);
    expect(rows.map(answerCorrect)).toEqual([true, false, false, false, false]);
    // Wrong answers among rows whose whole answer can be checked: the wrong code (escalated) and the false positive;
    // the miss has no gold code (it could not be counted had it been found), so it is counted among the misses.
    expect(f.hybrid.wrongN).toBe(2);
    expect(f.hybrid.wrongCaught).toBeCloseTo(1 / 2, 10);
    expect(f.hybrid).toMatchObject({ missesN: 1, missesCaught: 1 });
    expect(f.categoryStage.accuracy).toBe(0.5);
    // Confidence against rightness where it is known (the ambiguous row is not): 0.81 right, 0.3, 0.6 and 0.55 wrong,
    // one per bin: (0.19 + 0.3 + 0.6 + 0.55) / 4.
    expect(f.confidenceEce).toBeCloseTo((0.19 + 0.3 + 0.6 + 0.55) / 4, 10);
  });

  // A feed where the wrong answers are the ones with a doubtful code: 10 everyday rows (1 wrong, critical),
  // 5 other-product rows (1 wrong: a false positive at 0.55), 5 collections rows (3 wrong codes at 0.4–0.6).
  function feed(fold: string): Scored[] {
    const rows: Scored[] = [];
    for (let i = 0; i < 10; i++) {
      const wrong = i === 0;
      rows.push(
        scored(item({ kind: "everyday", relevant: false, group: undefined }), {
          fold,
          relevant: wrong,
          relevantProbability: wrong ? 0.7 : 0.02,
          severity: wrong ? "critical" : "low",
        }),
      );
    }
    for (let i = 0; i < 5; i++) {
      const wrong = i === 0;
      rows.push(
        scored(item({ kind: "other", relevant: false, group: fold }), {
          fold,
          relevant: wrong,
          relevantProbability: wrong ? 0.55 : 0.1,
        }),
      );
    }
    for (let i = 0; i < 5; i++) {
      const wrong = i < 3;
      rows.push(
        scored(item({ relevant: true, category: "privacy", group: fold }), {
          fold,
          category: wrong ? "debt_not_owed" : "privacy",
          categoryProbability: wrong ? 0.4 + 0.1 * i : 0.9,
        }),
      );
    }
    return rows;
  }

  it("measures a band's catch and cost on the realistic feed's weights", () => {
    const rows = feed("a");
    const policy = {
      relevanceBand: [0.5, 0.6] as [number, number],
      minCategoryProbability: 0.55,
      criticalMinRelevance: 0,
    };
    const h = hybridFigures(rows, (s) => escalatesUnder(s, policy));
    // Sent: the critical everyday row (1/10), the 0.55 false positive (1/5), codes at 0.4 and 0.5 (2/5).
    expect(h.sentEveryday).toBeCloseTo(0.1, 10);
    expect(h.sentRealisticFeed).toBeCloseTo(0.6 * 0.1 + 0.2 * 0.2 + 0.2 * 0.4, 10);
    // Wrong: 1 + 1 + 3 = 5, caught 1 + 1 + 2.
    expect(h.wrongN).toBe(5);
    expect(h.wrongCaught).toBeCloseTo(4 / 5, 10);
    const weightedWrong = 0.6 * 0.1 + 0.2 * 0.2 + 0.2 * 0.6;
    const weightedCaught = 0.6 * 0.1 + 0.2 * 0.2 + 0.2 * 0.4;
    expect(h.wrongCaughtRealisticFeed).toBeCloseTo(weightedCaught / weightedWrong, 10);
  });

  it("chooses the band within the budget, and out of fold without the fold's own rows", () => {
    const rows = [...feed("a"), ...feed("b")];
    const loose = chooseEscalationPolicy(rows, 1);
    expect(loose.figures.wrongCaughtRealisticFeed).toBeCloseTo(1, 10);
    const tight = chooseEscalationPolicy(rows, 0.15);
    expect(tight.figures.sentRealisticFeed).toBeLessThanOrEqual(0.15);
    expect(tight.figures.wrongCaughtRealisticFeed).toBeLessThan(1);
    const nested = nestedBandFigures(rows, 0.15);
    expect(nested.policies.map((p) => p.fold)).toEqual(["a", "b"]);
    for (const { fold, policy } of nested.policies)
      expect(policy).toEqual(
        chooseEscalationPolicy(
          rows.filter((s) => s.fold !== fold),
          0.15,
        ).policy,
      );
  });
});

describe("expectedCalibrationError", () => {
  it("is the size-weighted gap between confidence and accuracy per bin", () => {
    // Bin 0.9–1.0: confidences 0.95, 0.95, right 1 of 2 → gap 0.45; bin 0.6–0.7: 0.65, right → gap 0.35.
    expect(expectedCalibrationError([0.95, 0.95, 0.65], [true, false, true])).toBeCloseTo(
      (2 / 3) * 0.45 + (1 / 3) * 0.35,
      10,
    );
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false])).toBeCloseTo(0, 10);
    expect(expectedCalibrationError([], [])).toBe(0);
  });
});
