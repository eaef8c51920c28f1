// Evaluation of the local engine on text it never saw: leave-one-source-out (whole copies of the CFPB database
// held out, small copies pooled) beside a random split, with the figures the issue asks for — relevance on clear
// rows, category macro-F1 over the six CFPB-mapped codes, calibration (ECE), and what the hybrid band catches.
import { type EscalationPolicy, escalationReason } from "./hybrid.js";
import { LocalEngine } from "./local.js";
import { LocalModel } from "./local-model.js";
import { binaryF1, computeMetrics, type MetricsReport, macroF1 } from "./metrics.js";
import { expectedCalibrationError } from "./model.js";
import { type Item, MEASURED_CODES, SMALL_SOURCES, type TrainConfig, trainOnItems } from "./training.js";

/** One evaluation fold: the items it holds out (everything else trains, except the other folds' everyday rows). */
export interface Fold {
  name: string;
  test: (item: Item) => boolean;
}

/**
 * Leave-one-source-out: one fold per source group. Everyday sentences have no source, so fold k < EVERYDAY_FOLDS
 * also holds out the everyday sentences of hash bucket k (each one is held out exactly once, like every CFPB row).
 */
export function groupedFolds(items: readonly Item[]): Fold[] {
  const groups = [...new Set(items.flatMap((it) => (it.group ? [it.group] : [])))].sort((a, b) =>
    a === SMALL_SOURCES ? 1 : b === SMALL_SOURCES ? -1 : a < b ? -1 : 1,
  );
  return groups.map((group, k) => ({
    name: group,
    test: (it: Item) => it.group === group || everydayHeldOut(it, k, groups.length),
  }));
}

/** A random split of the same rows, for comparison only: the same sources sit on both sides. */
export function randomFolds(folds: number): Fold[] {
  return Array.from({ length: folds }, (_, k) => ({
    name: `random ${k + 1}/${folds}`,
    test: (it: Item) =>
      (it.group !== undefined && hashId(it.id) % folds === k) || everydayHeldOut(it, k, folds),
  }));
}

/** Everyday bucket k goes to fold k (buckets past the last fold to the last fold): each sentence held out once. */
function everydayHeldOut(it: Item, k: number, folds: number): boolean {
  if (it.kind !== "everyday" || it.fold === undefined) return false;
  return it.fold === k || (k === folds - 1 && it.fold >= folds);
}

function hashId(s: string): number {
  let h = 2166136261 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Throws if any evaluated row's source group also trained the model that scored it. */
export function assertNoSourceOnBothSides(items: readonly Item[], fold: Fold): void {
  const testGroups = new Set(items.filter((it) => fold.test(it) && it.group).map((it) => it.group));
  for (const it of items) {
    if (!fold.test(it) && it.group && testGroups.has(it.group))
      throw new Error(`fold ${fold.name}: source group ${it.group} is on both sides`);
  }
}

export interface Scored {
  item: Item;
  fold: string;
  relevantProbability: number;
  relevant: boolean;
  category: string;
  /** The category stage's own answer (as if relevance were known), for the category-only figure. */
  categoryOnly?: string;
  categoryProbability: number;
  confidence: number;
  escalated: boolean;
}

/** Trains one model per fold (calibration nested inside the fold's training part) and scores the held-out rows. */
export function crossValidate(
  items: readonly Item[],
  folds: readonly Fold[],
  config: TrainConfig,
  options: { grouped: boolean; policy?: EscalationPolicy; onFold?: (name: string) => void },
): Scored[] {
  const out: Scored[] = [];
  for (const [k, fold] of folds.entries()) {
    if (options.grouped) assertNoSourceOnBothSides(items, fold);
    const train = items.filter((it) => !fold.test(it));
    const test = items.filter((it) => fold.test(it));
    if (test.length === 0) continue;
    const { model } = trainOnItems(train, config, config.seed + 1009 * (k + 1));
    out.push(...scoreItems(model, test, fold.name, options.policy));
    options.onFold?.(fold.name);
  }
  return out;
}

export function scoreItems(
  model: LocalModel,
  test: readonly Item[],
  fold: string,
  policy?: EscalationPolicy,
): Scored[] {
  const engine = new LocalEngine(model);
  return test.map((item) => {
    // The same path `rapport classify` takes (flags and severity included), since escalation depends on them.
    const local = engine.classifyOne({ id: item.id, text: item.text });
    const p = local.prediction;
    let categoryOnly: string | undefined;
    if (item.category) {
      const scores = model.categoryScoresOf(item.x);
      categoryOnly = scores.reduce((a, b) => (b.probability > a.probability ? b : a)).label;
    }
    return {
      item,
      fold,
      relevantProbability: p.relevantProbability,
      relevant: local.relevant,
      category: local.category,
      categoryOnly,
      categoryProbability: p.categoryProbability,
      confidence: p.confidence,
      escalated: escalationReason(local, policy) !== null,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

export interface RelevanceFigures {
  precision: number;
  recall: number;
  f1: number;
  n: number;
}

function relevanceOf(rows: readonly Scored[]): RelevanceFigures {
  const r = binaryF1(
    rows.map((s) => s.item.relevant as boolean),
    rows.map((s) => s.relevant),
  );
  return { ...r, n: rows.length };
}

/** Is the engine's whole answer right, where the gold says enough to tell (undefined: cannot tell)? */
export function answerCorrect(s: Scored): boolean | undefined {
  const gold = s.item.relevant;
  if (gold === undefined) return undefined;
  if (gold !== s.relevant) return false;
  if (!gold) return true;
  if (!s.item.category) return undefined; // relevant, right, but no gold code to check the code against
  return s.item.category === s.category;
}

export interface Figures {
  /** CFPB narratives of the held-out folds whose label is clear (see isAmbiguous). */
  relevanceClear: RelevanceFigures;
  /** Share of ambiguous rows called relevant (no right answer; shown apart). */
  ambiguousCalledRelevant: { share: number; n: number };
  /** Everyday sentences called relevant (all are negatives). */
  everydayFalsePositive: { share: number; n: number };
  categoryStage: MetricsReport;
  categoryStageMacroF1: number;
  endToEnd: MetricsReport;
  endToEndMacroF1: number;
  /** ECE of max(p, 1 − p) of relevance against relevance being right, clear CFPB rows and everyday sentences. */
  relevanceEce: number;
  /** ECE of the output confidence against the whole answer being right, rows where that is known. */
  confidenceEce: number;
  hybrid: HybridFigures;
  perGroup: {
    group: string;
    relevance: RelevanceFigures;
    /** Share of the group's clear rows called relevant (for a group of negatives only, all false positives). */
    calledRelevant: number;
    categoryMacroF1?: number;
    labelled: number;
  }[];
}

export interface HybridFigures {
  /** Share of the local engine's wrong answers (where known) that the band sends to Claude. */
  wrongCaught: number;
  wrongN: number;
  /** Share of each kind of text sent. */
  sentNarratives: number;
  sentEveryday: number;
  /** A realistic social feed, by weight (REALISTIC_FEED): the share of it sent to Claude. */
  sentRealisticFeed: number;
  /** Share of the realistic feed's wrong answers caught (same weights). */
  wrongCaughtRealisticFeed: number;
}

/**
 * What a brand's social feed looks like, as weights over the kinds of held-out text: mostly everyday chatter that
 * shares a word with collections, some other financial grievances, a minority of collections complaints.
 */
export const REALISTIC_FEED = { everyday: 0.6, other: 0.2, collections: 0.2 } as const;

function share(rows: readonly Scored[], pick: (s: Scored) => boolean): number {
  return rows.length ? rows.filter(pick).length / rows.length : 0;
}

export function computeFigures(scored: readonly Scored[]): Figures {
  const cfpb = scored.filter((s) => s.item.group !== undefined);
  const clear = cfpb.filter((s) => !s.item.ambiguous);
  const ambiguous = cfpb.filter((s) => s.item.ambiguous);
  const everyday = scored.filter((s) => s.item.kind === "everyday");
  const labelled = cfpb.filter((s) => s.item.category && s.categoryOnly);
  const codes = MEASURED_CODES as string[];
  const categoryStage = computeMetrics(
    labelled.map((s) => s.item.category as string),
    labelled.map((s) => s.categoryOnly as string),
  );
  const endToEnd = computeMetrics(
    labelled.map((s) => s.item.category as string),
    labelled.map((s) => s.category),
  );
  const relevanceRows = [...clear, ...everyday];
  const relevanceEce = expectedCalibrationError(
    relevanceRows.map((s) => Math.max(s.relevantProbability, 1 - s.relevantProbability)),
    relevanceRows.map((s) => s.relevant === s.item.relevant),
  );
  const known = [...clear, ...everyday].filter((s) => answerCorrect(s) !== undefined);
  const confidenceEce = expectedCalibrationError(
    known.map((s) => s.confidence),
    known.map((s) => answerCorrect(s) as boolean),
  );

  const wrong = known.filter((s) => answerCorrect(s) === false);
  const collections = cfpb.filter((s) => s.item.relevant);
  const other = cfpb.filter((s) => !s.item.relevant);
  const sent = (rows: readonly Scored[]) => share(rows, (s) => s.escalated);
  const caught = (rows: readonly Scored[]) => {
    const w = rows.filter((s) => answerCorrect(s) === false);
    return {
      caught: w.filter((s) => s.escalated).length,
      n: w.length,
      total: rows.filter((s) => answerCorrect(s) !== undefined).length,
    };
  };
  // Wrong answers per known answer, by kind, weighted like the feed.
  const kinds = [
    [REALISTIC_FEED.everyday, everyday],
    [REALISTIC_FEED.other, other],
    [REALISTIC_FEED.collections, collections],
  ] as const;
  let feedWrong = 0;
  let feedCaught = 0;
  for (const [weight, rows] of kinds) {
    const c = caught(rows);
    if (c.total === 0) continue;
    feedWrong += (weight * c.n) / c.total;
    feedCaught += (weight * c.caught) / c.total;
  }

  const groups = [...new Set(cfpb.map((s) => s.item.group as string))].sort();
  const perGroup = groups.map((group) => {
    const rows = clear.filter((s) => s.item.group === group);
    const lab = labelled.filter((s) => s.item.group === group);
    const report = lab.length
      ? computeMetrics(
          lab.map((s) => s.item.category as string),
          lab.map((s) => s.categoryOnly as string),
        )
      : undefined;
    return {
      group,
      relevance: relevanceOf(rows),
      calledRelevant: share(rows, (s) => s.relevant),
      categoryMacroF1: report
        ? macroF1(
            report,
            codes.filter((c) => report.labels.includes(c)),
          )
        : undefined,
      labelled: lab.length,
    };
  });

  return {
    relevanceClear: relevanceOf(clear),
    ambiguousCalledRelevant: { share: share(ambiguous, (s) => s.relevant), n: ambiguous.length },
    everydayFalsePositive: { share: share(everyday, (s) => s.relevant), n: everyday.length },
    categoryStage,
    categoryStageMacroF1: macroF1(categoryStage, codes),
    endToEnd,
    endToEndMacroF1: macroF1(endToEnd, codes),
    relevanceEce,
    confidenceEce,
    hybrid: {
      wrongCaught: wrong.length ? wrong.filter((s) => s.escalated).length / wrong.length : 0,
      wrongN: wrong.length,
      sentNarratives: sent(cfpb),
      sentEveryday: sent(everyday),
      sentRealisticFeed:
        REALISTIC_FEED.everyday * sent(everyday) +
        REALISTIC_FEED.other * sent(other) +
        REALISTIC_FEED.collections * sent(collections),
      wrongCaughtRealisticFeed: feedWrong > 0 ? feedCaught / feedWrong : 0,
    },
    perGroup,
  };
}

export { LocalModel };
