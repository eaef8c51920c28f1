// The training pipeline behind `npm run train`: load, split (seeded), train relevance and category models,
// self-train on unlabelled narratives, measure on the held-out split. Deterministic for a given data folder.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATEGORIES, type Category } from "../domain/taxonomy.js";
import { extractFeatures, FEATURE_VERSION } from "./features.js";
import { LocalModel, type ModelBundle } from "./local-model.js";
import { binaryF1, computeMetrics, type MetricsReport, macroF1 } from "./metrics.js";
import {
  argmax,
  fitPlatt,
  predictProbabilities,
  presenceScore,
  seededShuffle,
  serializeModel,
  type TrainingExample,
  trainAveragedLinearModel,
  trainNaiveBayesRatios,
} from "./model.js";

export interface TextRow {
  id: string;
  text: string;
  category?: Category;
  relevant?: boolean;
}

export interface Dataset {
  labelled: TextRow[];
  unlabelled: TextRow[];
  otherProducts: TextRow[];
  rulemakingComments: TextRow[];
  socialSeed: TextRow[];
  /** Reviewer corrections (`rapport export-labels`): real feed posts, human-labelled, always training rows. */
  reviewed?: TextRow[];
}

export const COLLECTIONS_CODES = CATEGORIES.filter((c) => c !== "not_collections");
/** The CFPB-mapped codes with enough labelled rows to measure (privacy has five). */
export const MEASURED_CODES: Category[] = [
  "debt_not_owed",
  "written_notice",
  "communication_tactics",
  "false_statements",
  "legal_threats",
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
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function toRow(raw: Record<string, unknown>): TextRow {
  return {
    id: String(raw.id),
    text: String(raw.text ?? ""),
    category: (raw.category ?? undefined) as Category | undefined,
    relevant: typeof raw.relevant === "boolean" ? raw.relevant : undefined,
  };
}

export const SOCIAL_SEED_PATH = new URL("./data/social_seed.jsonl", import.meta.url);
export const SOCIAL_TEST_PATH = new URL("./data/social_test.jsonl", import.meta.url);

export function loadJsonlRows(path: string | URL): TextRow[] {
  return readJsonl(path instanceof URL ? path.pathname : path).map(toRow);
}

export function loadDataset(dataDir: string, socialSeedPath: string | URL = SOCIAL_SEED_PATH): Dataset {
  return {
    labelled: loadJsonlRows(join(dataDir, "cfpb_debt_collection_labelled.jsonl")),
    unlabelled: loadJsonlRows(join(dataDir, "cfpb_debt_collection_unlabelled.jsonl")),
    otherProducts: loadJsonlRows(join(dataDir, "cfpb_other_products.jsonl")),
    rulemakingComments: loadJsonlRows(join(dataDir, "cdcp_rulemaking_comments.jsonl")),
    socialSeed: loadJsonlRows(socialSeedPath),
  };
}

/** Seeded split, stratified by `key`, so every class keeps its share on both sides. */
export function stratifiedSplit<T>(
  rows: readonly T[],
  testShare: number,
  seed: number,
  key: (row: T) => string,
) {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  const train: T[] = [];
  const test: T[] = [];
  for (const k of [...groups.keys()].sort()) {
    const shuffled = seededShuffle(groups.get(k) as T[], seed);
    const nTest = Math.round(shuffled.length * testShare);
    test.push(...shuffled.slice(0, nTest));
    train.push(...shuffled.slice(nTest));
  }
  return { train, test };
}

export interface TrainConfig {
  seed: number;
  bits: number;
  testShare: number;
  epochs: number;
  /** Per collections code, at most this many confident unlabelled narratives join as pseudo-labels. */
  pseudoLabelsPerClass: number;
  pseudoLabelMinProbability: number;
  pseudoLabelWeight: number;
  selfTrainingRounds: number;
  relevanceL2: number;
  rulemakingWeight: number;
  /** Relevance is the mean of this many SGD runs (different shuffles). */
  relevanceRuns: number;
  /** Weight of each hand-written short post in the relevance model (a few hundred against ~1,300 narratives). */
  shortPostRelevanceWeight: number;
  balanceRelevance: boolean;
  /** The category model, too, is the mean of this many SGD runs: one run's macro-F1 moves ±0.04 with the order. */
  categoryRuns: number;
  /** Laplace smoothing of the relevance naive Bayes counts. */
  naiveBayesAlpha: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  seed: 20240601,
  bits: 17,
  testShare: 0.3,
  epochs: 12,
  pseudoLabelsPerClass: 40,
  pseudoLabelMinProbability: 0.45,
  pseudoLabelWeight: 0.4,
  selfTrainingRounds: 1,
  relevanceL2: 1e-6,
  rulemakingWeight: 0.3,
  relevanceRuns: 5,
  shortPostRelevanceWeight: 3,
  balanceRelevance: false,
  categoryRuns: 5,
  naiveBayesAlpha: 1,
};

const NAIVE_BAYES_FOLDS = 5;

/**
 * Naive Bayes ratios on the narratives, and the scale that turns their sum into calibrated log-odds. The scale
 * is fitted on cross-fitted scores (each row scored by a model trained on the other folds of the training part),
 * so no held-out row is used and the in-sample overconfidence of naive Bayes does not leak into it.
 */
function trainRelevanceNaiveBayes(examples: TrainingExample[], bits: number, alpha: number) {
  const yes = 1;
  const scores: number[] = [];
  const labels: boolean[] = [];
  for (let fold = 0; fold < NAIVE_BAYES_FOLDS; fold++) {
    const model = trainNaiveBayesRatios(
      examples.filter((_, i) => i % NAIVE_BAYES_FOLDS !== fold),
      bits,
      yes,
      alpha,
    );
    for (const [i, e] of examples.entries()) {
      if (i % NAIVE_BAYES_FOLDS !== fold) continue;
      scores.push(presenceScore(model, e.x));
      labels.push(e.y === yes);
    }
  }
  return { model: trainNaiveBayesRatios(examples, bits, yes, alpha), calibration: fitPlatt(scores, labels) };
}

export interface Split {
  labelledTrain: TextRow[];
  labelledTest: TextRow[];
  unlabelledTrain: TextRow[];
  unlabelledTest: TextRow[];
  otherTrain: TextRow[];
  otherTest: TextRow[];
}

export function splitDataset(ds: Dataset, config: TrainConfig): Split {
  const labelled = stratifiedSplit(ds.labelled, config.testShare, config.seed, (r) => r.category ?? "");
  const unlabelled = stratifiedSplit(ds.unlabelled, 0.25, config.seed + 1, () => "all");
  const other = stratifiedSplit(ds.otherProducts, 0.25, config.seed + 2, () => "all");
  return {
    labelledTrain: labelled.train,
    labelledTest: labelled.test,
    unlabelledTrain: unlabelled.train,
    unlabelledTest: unlabelled.test,
    otherTrain: other.train,
    otherTest: other.test,
  };
}

interface Weighted {
  text: string;
  label: string;
  weight: number;
}

function toExamples(items: readonly Weighted[], classes: readonly string[], bits: number): TrainingExample[] {
  return items.map((item) => {
    const y = classes.indexOf(item.label);
    if (y < 0) throw new Error(`unknown label ${item.label}`);
    return { x: extractFeatures(item.text, { bits }), y, weight: item.weight };
  });
}

export interface TrainResult {
  bundle: ModelBundle;
  model: LocalModel;
  split: Split;
}

export function trainModels(ds: Dataset, config: TrainConfig = DEFAULT_TRAIN_CONFIG): TrainResult {
  const split = splitDataset(ds, config);
  const { bits } = config;
  const trainOptions = {
    epochs: config.epochs,
    learningRate: 0.3,
    l2: 1e-6,
    seed: config.seed,
    balanceClasses: true,
  };

  // Reviewer corrections are the same kind of text as the seeds (short feed posts with a code) and train alike.
  const shortLabelled = [...ds.socialSeed, ...(ds.reviewed ?? [])].filter(
    (r) => r.category && (CATEGORIES as readonly string[]).includes(r.category),
  );
  const socialRelevant = shortLabelled.filter((r) => r.category !== "not_collections");
  const socialIrrelevant = shortLabelled.filter((r) => r.category === "not_collections");

  // Relevance: every debt-collection narrative is "yes"; other financial products (including credit-report
  // complaints about collection accounts, the hard negatives) are "no". The rulemaking comments are left out:
  // they talk about collections without being complaints, and as positives they cost held-out precision.
  const narrativeRelevance: Weighted[] = [
    ...split.labelledTrain.map((r) => ({ text: r.text, label: "yes", weight: 1 })),
    ...split.unlabelledTrain.map((r) => ({ text: r.text, label: "yes", weight: 1 })),
    ...split.otherTrain.map((r) => ({ text: r.text, label: "no", weight: 1 })),
  ];
  const relevanceItems: Weighted[] = [
    ...narrativeRelevance,
    ...ds.rulemakingComments.map((r) => ({ text: r.text, label: "yes", weight: config.rulemakingWeight })),
    ...socialRelevant.map((r) => ({ text: r.text, label: "yes", weight: config.shortPostRelevanceWeight })),
    ...socialIrrelevant.map((r) => ({ text: r.text, label: "no", weight: config.shortPostRelevanceWeight })),
  ];
  const relevanceClasses = ["no", "yes"];
  // Stronger L2 than the category model: with ~1,300 long narratives and 2^17 hashed features the weakly
  // regularized model memorizes company- and product-specific words that do not carry over.
  const relevance = trainAveragedLinearModel(
    toExamples(relevanceItems, relevanceClasses, bits),
    relevanceClasses,
    bits,
    { ...trainOptions, l2: config.relevanceL2, balanceClasses: config.balanceRelevance },
    config.relevanceRuns,
  );
  const relevanceNaiveBayes = trainRelevanceNaiveBayes(
    toExamples(narrativeRelevance, relevanceClasses, bits),
    bits,
    config.naiveBayesAlpha,
  );

  const classes = [...COLLECTIONS_CODES];
  const baseItems: Weighted[] = [
    ...split.labelledTrain
      .filter((r) => r.category && r.category !== "not_collections")
      .map((r) => ({ text: r.text, label: r.category as string, weight: 1 })),
    ...Object.entries(TAXONOMY_SEEDS).flatMap(([label, texts]) =>
      texts.map((text) => ({ text, label, weight: 1 })),
    ),
    ...socialRelevant.map((r) => ({ text: r.text, label: r.category as string, weight: 1 })),
  ];
  const baseExamples = toExamples(baseItems, classes, bits);
  const trainCategory = (examples: TrainingExample[]) =>
    trainAveragedLinearModel(examples, classes, bits, trainOptions, config.categoryRuns);
  let category = trainCategory(baseExamples);

  // Self-training: the narratives without an issue are the same kind of text as the labelled ones; the most
  // confident predictions for each code join the training set at reduced weight. Only CFPB-mapped codes take
  // pseudo-labels: the social-only codes have no narratives to learn from.
  const unlabelledFeatures = split.unlabelledTrain.map((r) => extractFeatures(r.text, { bits }));
  let pseudo: TrainingExample[] = [];
  for (let round = 0; round < config.selfTrainingRounds; round++) {
    const current = category;
    const candidates = unlabelledFeatures.map((x, i) => {
      const p = predictProbabilities(current, x);
      const best = argmax(p);
      return { i, label: classes[best] as string, probability: p[best] as number, x };
    });
    pseudo = [];
    for (const [c, label] of classes.entries()) {
      if (!(MEASURED_CODES as string[]).includes(label) && label !== "privacy") continue;
      const picked = candidates
        .filter((cand) => cand.label === label && cand.probability >= config.pseudoLabelMinProbability)
        .sort((a, b) => b.probability - a.probability || a.i - b.i)
        .slice(0, config.pseudoLabelsPerClass);
      for (const p of picked) pseudo.push({ x: p.x, y: c, weight: config.pseudoLabelWeight });
    }
    if (pseudo.length === 0) break;
    category = trainCategory([...baseExamples, ...pseudo]);
  }

  // "lrnb": averaged logistic regression with the naive Bayes relevance blend (stored classifications name it).
  const version = `local-lrnb-f${FEATURE_VERSION}-s${config.seed}`;
  const bundle: ModelBundle = {
    format: "rapport-linear",
    version,
    featureVersion: FEATURE_VERSION,
    relevance: serializeModel(relevance),
    relevanceNaiveBayes: {
      model: serializeModel(relevanceNaiveBayes.model),
      calibration: relevanceNaiveBayes.calibration,
    },
    category: serializeModel(category),
    trainedOn: {
      labelled: split.labelledTrain.length,
      unlabelled: split.unlabelledTrain.length,
      otherProducts: split.otherTrain.length,
      rulemakingComments: 0,
      socialSeed: ds.socialSeed.length,
      reviewed: ds.reviewed?.length ?? 0,
      taxonomySeeds: Object.values(TAXONOMY_SEEDS).flat().length,
      pseudoLabels: pseudo.length,
    },
  };
  // Measure what ships: the quantized weights, not the float64 ones.
  return { bundle, model: new LocalModel(bundle), split };
}

export interface HeldOutReport {
  relevance: { precision: number; recall: number; f1: number; n: number };
  relevanceReport: MetricsReport;
  /** Category stage alone on held-out labelled narratives (gold relevance). */
  category: MetricsReport;
  categoryMacroF1: number;
  /** End to end (relevance then category) on the same rows. */
  endToEnd: MetricsReport;
  endToEndMacroF1: number;
}

export function evaluateHeldOut(model: LocalModel, split: Split): HeldOutReport {
  const relevanceRows = [
    ...split.labelledTest.map((r) => ({ text: r.text, gold: true })),
    ...split.unlabelledTest.map((r) => ({ text: r.text, gold: true })),
    ...split.otherTest.map((r) => ({ text: r.text, gold: false })),
  ];
  const predictedRelevant = relevanceRows.map((r) => model.predict(r.text).relevant);
  const rel = binaryF1(
    relevanceRows.map((r) => r.gold),
    predictedRelevant,
  );
  const relevanceReport = computeMetrics(
    relevanceRows.map((r) => (r.gold ? "collections" : "not_collections")),
    predictedRelevant.map((p) => (p ? "collections" : "not_collections")),
    ["collections", "not_collections"],
  );

  const gold = split.labelledTest.map((r) => r.category as string);
  const categoryOnly = split.labelledTest.map((r) => {
    const scores = model.categoryScores(r.text);
    return (scores.reduce((a, b) => (b.probability > a.probability ? b : a)) as { label: string }).label;
  });
  const endToEndPredicted = split.labelledTest.map((r) => model.predict(r.text).category as string);
  const category = computeMetrics(gold, categoryOnly, CATEGORIES);
  const endToEnd = computeMetrics(gold, endToEndPredicted, CATEGORIES);
  return {
    relevance: { ...rel, n: relevanceRows.length },
    relevanceReport,
    category,
    categoryMacroF1: macroF1(category, MEASURED_CODES),
    endToEnd,
    endToEndMacroF1: macroF1(endToEnd, MEASURED_CODES),
  };
}
