// The training pipeline behind `npm run train` and the cross-source evaluation behind `npm run eval`:
// load, featurize once, fit relevance and category models, calibrate them on out-of-fold scores grouped by source.
// Deterministic for a given data folder: seeded shuffles, fixed fold assignment, float64 sums in a fixed order.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATEGORIES, type Category } from "../domain/taxonomy.js";
import { extractFeatures, FEATURE_VERSION, type SparseVector } from "./features.js";
import { LocalModel, type ModelBundle } from "./local-model.js";
import {
  argmax,
  fitPlatt,
  fitTemperature,
  type LinearModel,
  linearScore,
  type PlattScaling,
  predictProbabilities,
  serializeModel,
  type TrainingExample,
  trainAveragedLinearModel,
  trainBinaryLogistic,
} from "./model.js";

export interface TextRow {
  id: string;
  text: string;
  category?: Category;
  relevant?: boolean;
  /** The public copy of the CFPB database (or other corpus) the row came from (`source_repo`). */
  source?: string;
  product?: string;
}

export interface Dataset {
  labelled: TextRow[];
  unlabelled: TextRow[];
  otherProducts: TextRow[];
  rulemakingComments: TextRow[];
  socialSeed: TextRow[];
  /** Everyday sentences (Brown Corpus) as negatives: see data/README in src/classifier/data. */
  everyday: TextRow[];
  /** Reviewer corrections (`rapport export-labels`): real feed posts, human-labelled, always training rows. */
  reviewed?: TextRow[];
}

export const COLLECTIONS_CODES = CATEGORIES.filter((c) => c !== "not_collections");
/** The six codes the CFPB issues map to: category macro-F1 is measured over these. */
export const MEASURED_CODES: Category[] = [
  "debt_not_owed",
  "written_notice",
  "communication_tactics",
  "false_statements",
  "legal_threats",
  "privacy",
];

// The taxonomy's own words: each CFPB issue and sub-issue is a tiny labelled document. They anchor codes that
// have few real rows, and carry the vocabulary a short post shares with a long narrative.
export const TAXONOMY_SEEDS: Record<string, string[]> = {
  debt_not_owed: [
    "Attempts to collect debt not owed. Debt is not yours.",
    "Attempts to collect debt not owed. Debt was paid.",
    "Attempts to collect debt not owed. Debt was result of identity theft.",
    "Attempts to collect debt not owed. Debt was already discharged in bankruptcy and is no longer owed.",
    "Continued attempts to collect debt not owed. Debt is not mine.",
    "Continued attempts to collect debt not owed. Debt resulted from identity theft.",
    "Continued attempts to collect debt not owed. Debt was paid.",
    "Not my debt, already paid, identity theft, discharged in bankruptcy.",
  ],
  written_notice: [
    "Written notification about debt. Didn't receive enough information to verify debt.",
    "Written notification about debt. Didn't receive notice of right to dispute.",
    "Written notification about debt. Notification didn't disclose it was an attempt to collect a debt.",
    "Disclosure verification of debt. Not given enough info to verify debt.",
    "Disclosure verification of debt. Right to dispute notice not received.",
    "Disclosure verification of debt. Not disclosed as an attempt to collect.",
    "No validation notice, not enough information to verify the debt, no notice of right to dispute.",
  ],
  communication_tactics: [
    "Communication tactics. Frequent or repeated calls.",
    "Communication tactics. Called before 8am or after 9pm.",
    "Communication tactics. Used obscene, profane, or other abusive language.",
    "Communication tactics. You told them to stop contacting you, but they keep trying.",
    "Communication tactics. Called after sent written cease of communication.",
    "Electronic communications. Contacted by email, text or social media without consent.",
    "Repeated calls and messages, calls at bad hours, abusive language, kept contacting after told to stop.",
  ],
  false_statements: [
    "False statements or representation. Attempted to collect wrong amount.",
    "False statements or representation. Indicated you were committing crime by not paying debt.",
    "False statements or representation. Impersonated attorney, law enforcement, or government official.",
    "False statements or representation. Told you not to respond to a lawsuit.",
    "Wrong amount, impersonating an attorney or police, saying not paying is a crime.",
  ],
  legal_threats: [
    "Took or threatened to take negative or legal action. Threatened or suggested your credit would be damaged.",
    "Took or threatened to take negative or legal action. Threatened to sue you for very old debt.",
    "Took or threatened to take negative or legal action. Threatened to arrest you or take you to jail if you do not pay.",
    "Took or threatened to take negative or legal action. Threatened to turn you in to immigration or deport you.",
    "Took or threatened to take negative or legal action. Sued you without properly notifying you of lawsuit.",
    "Took or threatened to take negative or legal action. Sued you in a state where you do not live or did not sign for the debt.",
    "Took or threatened to take negative or legal action. Seized or attempted to seize your property.",
    "Took or threatened to take negative or legal action. Collected or attempted to collect exempt funds.",
    "Taking or threatening an illegal action. Threatened to sue on too old debt.",
    "Threatened credit damage, lawsuit, wage garnishment, arrest.",
  ],
  privacy: [
    "Threatened to contact someone or share information improperly. Contacted your employer.",
    "Threatened to contact someone or share information improperly. Talked to a third-party about your debt.",
    "Threatened to contact someone or share information improperly. Contacted you after you asked them to stop.",
    "Improper contact or sharing of info. Contacted me at work.",
    "Improper contact or sharing of info. Talked to a third party about my debt.",
    "Told a third party, family, employer or neighbours about the debt.",
  ],
  payment_service: [
    "Payment portal not working, payment not applied, payment plan request, customer service unreachable or rude.",
  ],
  other_collections: ["About debt collection in general, none of the specific problems."],
  praise: ["A positive experience with the collections team: kind, helpful, respectful, thank you."],
};

function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${path} line ${i + 1}: not JSON; each line must be one JSON object`);
      }
    });
}

function toRow(raw: Record<string, unknown>): TextRow {
  return {
    id: String(raw.id),
    text: String(raw.text ?? ""),
    category: (raw.category ?? undefined) as Category | undefined,
    relevant: typeof raw.relevant === "boolean" ? raw.relevant : undefined,
    source: typeof raw.source_repo === "string" ? raw.source_repo : undefined,
    product: typeof raw.product === "string" ? raw.product : undefined,
  };
}

export const SOCIAL_SEED_PATH = new URL("./data/social_seed.jsonl", import.meta.url);
export const SOCIAL_TEST_PATH = new URL("./data/social_test.jsonl", import.meta.url);
export const HOMONYM_TEST_PATH = new URL("./data/homonym_test.jsonl", import.meta.url);
export const EVERYDAY_PATH = new URL("./data/everyday_brown.jsonl", import.meta.url);

export function loadJsonlRows(path: string | URL): TextRow[] {
  return readJsonl(path instanceof URL ? path.pathname : path).map(toRow);
}

export function loadDataset(
  dataDir: string,
  socialSeedPath: string | URL = SOCIAL_SEED_PATH,
  everydayPath: string | URL = EVERYDAY_PATH,
): Dataset {
  return {
    labelled: loadJsonlRows(join(dataDir, "cfpb_debt_collection_labelled.jsonl")),
    unlabelled: loadJsonlRows(join(dataDir, "cfpb_debt_collection_unlabelled.jsonl")),
    otherProducts: loadJsonlRows(join(dataDir, "cfpb_other_products.jsonl")),
    rulemakingComments: loadJsonlRows(join(dataDir, "cdcp_rulemaking_comments.jsonl")),
    socialSeed: loadJsonlRows(socialSeedPath),
    everyday: loadJsonlRows(everydayPath),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sources and groups

/** A source with fewer rows than this (over all three CFPB files) is pooled into SMALL_SOURCES for evaluation. */
export const SMALL_SOURCE_ROWS = 100;
export const SMALL_SOURCES = "small sources";

/** Source → evaluation group: each large copy of the database is its own group, the small ones one pooled group. */
export function sourceGroups(rows: readonly TextRow[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.source) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
  const groups = new Map<string, string>();
  for (const [source, n] of counts) groups.set(source, n < SMALL_SOURCE_ROWS ? SMALL_SOURCES : source);
  return groups;
}

/**
 * The scoring rule for "ambiguous" rows (issue 13: "other-product complaints that themselves talk about a collection
 * account are ambiguous"): an other-product complaint (labelled not_collections by its CFPB product) whose own text
 * talks about collections — the words collection(s) or collector(s) in any use ("a collection on my report", "a
 * collections account", "the collector"), or collecting a debt ("trying to collect a debt"). In a financial
 * complaint these words mean debt collection (the everyday senses do not occur there), so such a row is honestly
 * both (a credit-report dispute about a collection account). It is scored apart from the clear rows, and in
 * training it counts half as a negative. A rule on the text alone, applied before any model sees the row, the same
 * at training and at evaluation. ("collect" alone is left out: "collected my information", "collect payment".)
 */
export const AMBIGUOUS_PATTERN =
  /\b(?:collections?|collectors?)\b|\bcollect(?:s|ed|ing)? (?:on )?(?:a |an |the |this |that |my |your |their |its |said |any )?(?:alleged )?debts?\b/i;

export function isAmbiguous(row: TextRow): boolean {
  return row.relevant === false && row.source !== undefined && AMBIGUOUS_PATTERN.test(row.text);
}

/** FNV-1a of an id: a fold assignment that does not depend on row order. */
function stableHash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// The training corpus: every row featurized once, with its role in each model

export type ItemKind = "narrative" | "unlabelled" | "other" | "everyday" | "short" | "taxonomy" | "reviewed";

export interface Item {
  id: string;
  text: string;
  kind: ItemKind;
  x: SparseVector;
  /** Gold relevance where known. */
  relevant?: boolean;
  /** Gold code for the category model (collections codes only). */
  category?: Category;
  /** Weight in the relevance model (0: not a relevance example). */
  relevanceWeight: number;
  /** Evaluation group (CFPB rows) or undefined (always training: seeds, reviewer labels). */
  group?: string;
  /** Everyday sentences are split into folds by id, since they have no source of their own. */
  fold?: number;
  ambiguous: boolean;
}

export interface TrainConfig {
  seed: number;
  bits: number;
  epochs: number;
  relevanceRuns: number;
  relevanceLearningRate: number;
  relevanceL2: number;
  /**
   * Share of the relevance model's total training weight carried by the short posts (hand-written seed and
   * reviewer labels): a few hundred posts against ~9,500 long texts would otherwise leave short-post relevance to
   * word weights learned from narratives ("payment" there means a card or a mortgage).
   */
  shortPostShare: number;
  /** Weight of an ambiguous other-product row as a negative (see isAmbiguous). */
  ambiguousWeight: number;
  everydayWeight: number;
  categoryRuns: number;
  categoryEpochs: number;
  /** Per collections code, at most this many confident unlabelled narratives join as pseudo-labels. */
  pseudoLabelsPerClass: number;
  pseudoLabelMinProbability: number;
  pseudoLabelWeight: number;
  /** Folds (by source group) for the out-of-fold scores the calibration is fitted on. */
  calibrationFolds: number;
  /** Bytes per stored category weight (the relevance weights are always 2). */
  categoryBytes: 1 | 2;
}

// Fixed before measuring on held-out sources (the grouped evaluation never picks them): see the README model card.
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  seed: 20240601,
  bits: 17,
  epochs: 10,
  relevanceRuns: 1,
  relevanceLearningRate: 0.2,
  relevanceL2: 1e-6,
  shortPostShare: 0.2,
  ambiguousWeight: 0.5,
  everydayWeight: 1,
  categoryRuns: 2,
  categoryEpochs: 6,
  pseudoLabelsPerClass: 40,
  pseudoLabelMinProbability: 0.45,
  pseudoLabelWeight: 0.4,
  calibrationFolds: 4,
  categoryBytes: 1,
};

/** Folds for the everyday sentences (no source): by id hash. */
export const EVERYDAY_FOLDS = 5;

export function buildItems(ds: Dataset, config: TrainConfig): Item[] {
  const { bits } = config;
  const cfpb = [...ds.labelled, ...ds.unlabelled, ...ds.otherProducts];
  const groups = sourceGroups(cfpb);
  const feat = (text: string) => extractFeatures(text, { bits });
  const items: Item[] = [];
  const narrative = (r: TextRow, kind: ItemKind): Item => {
    const ambiguous = kind === "other" && isAmbiguous(r);
    return {
      id: r.id,
      text: r.text,
      kind,
      x: feat(r.text),
      relevant: kind !== "other",
      category:
        kind === "narrative" && r.category && r.category !== "not_collections" ? r.category : undefined,
      relevanceWeight: ambiguous ? config.ambiguousWeight : 1,
      group: r.source ? (groups.get(r.source) ?? r.source) : "unknown source",
      ambiguous,
    };
  };
  for (const r of ds.labelled) items.push(narrative(r, "narrative"));
  for (const r of ds.unlabelled) items.push(narrative(r, "unlabelled"));
  for (const r of ds.otherProducts) items.push(narrative(r, "other"));
  for (const r of ds.everyday) {
    items.push({
      id: r.id,
      text: r.text,
      kind: "everyday",
      x: feat(r.text),
      relevant: false,
      relevanceWeight: config.everydayWeight,
      fold: stableHash(r.id) % EVERYDAY_FOLDS,
      ambiguous: false,
    });
  }
  const short = (r: TextRow, kind: ItemKind) => {
    if (!r.category || !(CATEGORIES as readonly string[]).includes(r.category)) return;
    const relevant = r.category !== "not_collections";
    items.push({
      id: r.id,
      text: r.text,
      kind,
      x: feat(r.text),
      relevant,
      category: relevant ? r.category : undefined,
      relevanceWeight: 1, // set below, once the totals are known
      ambiguous: false,
    });
  };
  for (const r of ds.socialSeed) short(r, "short");
  for (const r of ds.reviewed ?? []) short(r, "reviewed");
  const shortItems = items.filter((it) => it.kind === "short" || it.kind === "reviewed");
  const longWeight = items.reduce(
    (a, it) => a + (it.kind === "short" || it.kind === "reviewed" ? 0 : it.relevanceWeight),
    0,
  );
  const shortWeight =
    shortItems.length > 0
      ? (config.shortPostShare * longWeight) / ((1 - config.shortPostShare) * shortItems.length)
      : 0;
  for (const it of shortItems) it.relevanceWeight = shortWeight;
  for (const [label, texts] of Object.entries(TAXONOMY_SEEDS)) {
    for (const [i, text] of texts.entries()) {
      items.push({
        id: `taxonomy-${label}-${i}`,
        text,
        kind: "taxonomy",
        x: feat(text),
        category: label as Category,
        relevanceWeight: 0,
        ambiguous: false,
      });
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------------------
// Fitting

export interface FittedModels {
  relevance: LinearModel;
  category: LinearModel;
  pseudoLabels: number;
}

function fitRelevance(items: readonly Item[], config: TrainConfig, seed: number): LinearModel {
  const examples: TrainingExample[] = [];
  for (const it of items) {
    if (it.relevanceWeight <= 0 || it.relevant === undefined) continue;
    examples.push({ x: it.x, y: it.relevant ? 1 : 0, weight: it.relevanceWeight });
  }
  return trainBinaryLogistic(examples, config.bits, {
    epochs: config.epochs,
    learningRate: config.relevanceLearningRate,
    l2: config.relevanceL2,
    seed,
    runs: config.relevanceRuns,
  });
}

function fitCategory(
  items: readonly Item[],
  config: TrainConfig,
  seed: number,
): { model: LinearModel; pseudo: number } {
  const classes: string[] = [...COLLECTIONS_CODES];
  // The six CFPB-mapped codes are balanced against each other (macro-F1 is the measure, privacy has 24 rows);
  // the social-only codes (payment_service, other_collections, praise) have a dozen hand-written posts each and
  // keep weight 1: balanced to the mass of hundreds of narratives, a dozen lines would decide every short post
  // that mentions a "collection agency".
  const measured = MEASURED_CODES as string[];
  const counts = new Map<string, number>();
  for (const it of items) if (it.category) counts.set(it.category, (counts.get(it.category) ?? 0) + 1);
  const measuredTotal = measured.reduce((a, c) => a + (counts.get(c) ?? 0), 0);
  const measuredPresent = measured.filter((c) => (counts.get(c) ?? 0) > 0).length;
  const weightOf = (code: string) =>
    measured.includes(code) ? measuredTotal / (measuredPresent * (counts.get(code) as number)) : 1;
  const base: TrainingExample[] = [];
  for (const it of items) {
    if (!it.category) continue;
    base.push({ x: it.x, y: classes.indexOf(it.category), weight: weightOf(it.category) });
  }
  const options = { epochs: config.categoryEpochs, learningRate: 0.3, l2: 1e-6, seed, balanceClasses: false };
  const train = (examples: TrainingExample[]) =>
    trainAveragedLinearModel(examples, classes, config.bits, options, config.categoryRuns);
  let model = train(base);
  // Self-training: the narratives without an issue are the same kind of text as the labelled ones; the most
  // confident predictions for each CFPB-mapped code join at reduced weight.
  const candidates = items
    .filter((it) => it.kind === "unlabelled")
    .map((it, i) => {
      const p = predictProbabilities(model, it.x);
      const best = argmax(p);
      return { i, y: best, probability: p[best] as number, x: it.x };
    });
  const pseudo: TrainingExample[] = [];
  for (const [c, label] of classes.entries()) {
    if (!(MEASURED_CODES as string[]).includes(label)) continue;
    const picked = candidates
      .filter((cand) => cand.y === c && cand.probability >= config.pseudoLabelMinProbability)
      .sort((a, b) => b.probability - a.probability || a.i - b.i)
      .slice(0, config.pseudoLabelsPerClass);
    for (const p of picked) pseudo.push({ x: p.x, y: c, weight: config.pseudoLabelWeight * weightOf(label) });
  }
  if (pseudo.length > 0) model = train([...base, ...pseudo]);
  return { model, pseudo: pseudo.length };
}

export function fitModels(items: readonly Item[], config: TrainConfig, seed = config.seed): FittedModels {
  const category = fitCategory(items, config, seed);
  return {
    relevance: fitRelevance(items, config, seed),
    category: category.model,
    pseudoLabels: category.pseudo,
  };
}

/**
 * Calibration fold of a training item: source groups are dealt to folds largest first (so no source is on both
 * sides of a calibration split either), everyday sentences and seeds by id. Deterministic.
 */
function calibrationFolds(items: readonly Item[], folds: number): number[] {
  const sizes = new Map<string, number>();
  for (const it of items) if (it.group) sizes.set(it.group, (sizes.get(it.group) ?? 0) + 1);
  const load = new Array<number>(folds).fill(0);
  const foldOf = new Map<string, number>();
  for (const [group, size] of [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    const lightest = load.indexOf(Math.min(...load));
    foldOf.set(group, lightest);
    load[lightest] = (load[lightest] as number) + size;
  }
  return items.map((it) => (it.group ? (foldOf.get(it.group) as number) : stableHash(it.id) % folds));
}

export interface Calibration {
  relevance: PlattScaling;
  temperature: number;
}

/** Platt scaling for relevance and a temperature for category, fitted on out-of-fold scores (grouped by source). */
export function fitCalibration(items: readonly Item[], config: TrainConfig, seed = config.seed): Calibration {
  const folds = calibrationFolds(items, config.calibrationFolds);
  const scores: number[] = [];
  const labels: boolean[] = [];
  const probabilities: Float64Array[] = [];
  const codes: number[] = [];
  const classes: string[] = [...COLLECTIONS_CODES];
  for (let f = 0; f < config.calibrationFolds; f++) {
    const train = items.filter((_, i) => folds[i] !== f);
    const fitted = fitModels(train, config, seed + 31 * (f + 1));
    for (const [i, it] of items.entries()) {
      if (folds[i] !== f) continue;
      // Scaled by the relevance weight's sign only: every row with a known label and a place in the relevance
      // model teaches the calibration; ambiguous rows are left out (their label is a coin toss by design).
      if (it.relevanceWeight > 0 && it.relevant !== undefined && !it.ambiguous) {
        scores.push(linearScore(fitted.relevance, it.x));
        labels.push(it.relevant);
      }
      // The temperature is fitted on the narratives only: the hand-written seeds are easy, and with them in the fit
      // the codes of real complaints came out overconfident (0.75 said, about half right).
      if (it.category && it.kind === "narrative") {
        probabilities.push(predictProbabilities(fitted.category, it.x));
        codes.push(classes.indexOf(it.category));
      }
    }
  }
  return { relevance: fitPlatt(scores, labels), temperature: fitTemperature(probabilities, codes) };
}

export function bundleOf(
  fitted: FittedModels,
  calibration: Calibration,
  config: TrainConfig,
  trainedOn: Record<string, number>,
): ModelBundle {
  return {
    format: "rapport-linear-2",
    // "lrc": logistic regression, calibrated out of fold by source group.
    version: `local-lrc-f${FEATURE_VERSION}-s${config.seed}`,
    featureVersion: FEATURE_VERSION,
    relevance: { model: serializeModel(fitted.relevance, 2), calibration: calibration.relevance },
    category: {
      model: serializeModel(fitted.category, config.categoryBytes),
      temperature: calibration.temperature,
    },
    trainedOn,
  };
}

export interface TrainResult {
  bundle: ModelBundle;
  model: LocalModel;
  items: Item[];
}

/** The shipped model: every row of the data trains it; calibration from grouped out-of-fold scores. */
export function trainModels(ds: Dataset, config: TrainConfig = DEFAULT_TRAIN_CONFIG): TrainResult {
  const items = buildItems(ds, config);
  return { ...trainOnItems(items, config), items };
}

export function trainOnItems(items: readonly Item[], config: TrainConfig, seed = config.seed) {
  const fitted = fitModels(items, config, seed);
  const calibration = fitCalibration(items, config, seed);
  const count = (kind: ItemKind) => items.filter((it) => it.kind === kind).length;
  const bundle = bundleOf(fitted, calibration, config, {
    labelled: count("narrative"),
    unlabelled: count("unlabelled"),
    otherProducts: count("other"),
    ambiguousOtherProducts: items.filter((it) => it.ambiguous).length,
    everyday: count("everyday"),
    socialSeed: count("short"),
    reviewed: count("reviewed"),
    taxonomySeeds: count("taxonomy"),
    pseudoLabels: fitted.pseudoLabels,
  });
  // Measure what ships: the quantized weights, not the float64 ones.
  return { bundle, model: new LocalModel(bundle) };
}
