// The trained two-stage model: relevance (collections or not), then which collections code.
import type { Category } from "../domain/taxonomy.js";
import { countWords, extractFeatures, FEATURE_VERSION, type SparseVector } from "./features.js";
import {
  argmax,
  deserializeModel,
  type LinearModel,
  type PlattScaling,
  predictProbabilities,
  presenceScore,
  type SerializedModel,
} from "./model.js";

export interface ModelBundle {
  format: "rapport-linear";
  version: string;
  featureVersion: number;
  /** Classes ["no", "yes"]. */
  relevance: SerializedModel;
  /** Naive Bayes log-count ratios for relevance, with the scaling that turns their sum into log-odds. */
  relevanceNaiveBayes: { model: SerializedModel; calibration: PlattScaling };
  /** Every category code but not_collections. */
  category: SerializedModel;
  trainedOn: Record<string, number>;
}

export interface ModelPrediction {
  category: Category;
  relevant: boolean;
  relevantProbability: number;
  /** Probability of the chosen code among collections codes (1 for not_collections). */
  categoryProbability: number;
  confidence: number;
}

export const RELEVANCE_THRESHOLD = 0.5;
/** Up to this many words a text is a short post; from NARRATIVE_WORDS on, a narrative (between: a blend). */
const SHORT_POST_WORDS = 12;
const NARRATIVE_WORDS = 40;

export class LocalModel {
  readonly version: string;
  private readonly relevance: LinearModel;
  private readonly relevanceNaiveBayes: LinearModel;
  private readonly relevanceCalibration: PlattScaling;
  private readonly yesIndex: number;
  private readonly category: LinearModel;
  private readonly relevanceScratch: Float64Array;
  private readonly categoryScratch: Float64Array;

  constructor(bundle: ModelBundle) {
    if (bundle.featureVersion !== FEATURE_VERSION) {
      throw new Error(
        `model was trained with features v${bundle.featureVersion}, code has v${FEATURE_VERSION}: run npm run train`,
      );
    }
    this.version = bundle.version;
    this.relevance = deserializeModel(bundle.relevance);
    this.relevanceNaiveBayes = deserializeModel(bundle.relevanceNaiveBayes.model);
    this.relevanceCalibration = bundle.relevanceNaiveBayes.calibration;
    this.yesIndex = this.relevance.classes.indexOf("yes");
    if (this.relevanceNaiveBayes.bits !== this.relevance.bits)
      throw new Error("relevance models differ in bits");
    this.category = deserializeModel(bundle.category);
    this.relevanceScratch = new Float64Array(this.relevance.classes.length);
    this.categoryScratch = new Float64Array(this.category.classes.length);
  }

  predict(text: string): ModelPrediction {
    const xr = extractFeatures(text, { bits: this.relevance.bits });
    const relevantProbability = this.relevanceProbability(xr, countWords(text));
    // Most of a real feed is not about collections: skip the category stage for it.
    if (relevantProbability < RELEVANCE_THRESHOLD) {
      return {
        category: "not_collections",
        relevant: false,
        relevantProbability,
        categoryProbability: 1,
        confidence: 1 - relevantProbability,
      };
    }
    const xc =
      this.category.bits === this.relevance.bits ? xr : extractFeatures(text, { bits: this.category.bits });
    const pc = predictProbabilities(this.category, xc, this.categoryScratch);
    const best = argmax(pc);
    const categoryProbability = pc[best] as number;
    return {
      category: this.category.classes[best] as Category,
      relevant: true,
      relevantProbability,
      categoryProbability,
      confidence: relevantProbability * categoryProbability,
    };
  }

  /**
   * Relevance log-odds: logistic regression (trained on short posts and narratives) averaged with calibrated
   * naive Bayes (better at ranking long narratives against the hard negatives). Naive Bayes learned only from
   * narratives and its calibration holds only for them, so its share fades out below narrative length: a short
   * post is decided by the regression alone ("payment portal is down" must not inherit the narratives' view that
   * "payment" means a credit card or mortgage).
   */
  private relevanceProbability(x: SparseVector, words: number): number {
    const pr = predictProbabilities(this.relevance, x, this.relevanceScratch);
    const yes = Math.min(Math.max(pr[this.yesIndex] as number, 1e-12), 1 - 1e-12);
    const regressionLogOdds = Math.log(yes / (1 - yes));
    const naiveBayesShare = Math.min(
      1,
      Math.max(0, (words - SHORT_POST_WORDS) / (NARRATIVE_WORDS - SHORT_POST_WORDS)),
    );
    if (naiveBayesShare === 0) return yes;
    const { slope, intercept } = this.relevanceCalibration;
    const naiveBayesLogOdds = slope * presenceScore(this.relevanceNaiveBayes, x) + intercept;
    const logOdds = (regressionLogOdds + naiveBayesShare * naiveBayesLogOdds) / (1 + naiveBayesShare);
    return 1 / (1 + Math.exp(-logOdds));
  }

  /** Category probabilities among collections codes, for evaluation of the category stage on its own. */
  categoryScores(text: string): { label: string; probability: number }[] {
    const x = extractFeatures(text, { bits: this.category.bits });
    const p = predictProbabilities(this.category, x);
    return this.category.classes.map((label, i) => ({ label, probability: p[i] as number }));
  }
}
