// The trained two-stage model: relevance (collections or not), then which collections code.
import type { Category } from "../domain/taxonomy.js";
import { extractFeatures, FEATURE_VERSION } from "./features.js";
import {
  argmax,
  deserializeModel,
  type LinearModel,
  predictProbabilities,
  type SerializedModel,
} from "./model.js";

export interface ModelBundle {
  format: "rapport-linear";
  version: string;
  featureVersion: number;
  /** Classes ["no", "yes"]. */
  relevance: SerializedModel;
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

export class LocalModel {
  readonly version: string;
  private readonly relevance: LinearModel;
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
    this.category = deserializeModel(bundle.category);
    this.relevanceScratch = new Float64Array(this.relevance.classes.length);
    this.categoryScratch = new Float64Array(this.category.classes.length);
  }

  predict(text: string): ModelPrediction {
    const xr = extractFeatures(text, { bits: this.relevance.bits });
    const pr = predictProbabilities(this.relevance, xr, this.relevanceScratch);
    const relevantProbability = pr[this.relevance.classes.indexOf("yes")] as number;
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

  /** Category probabilities among collections codes, for evaluation of the category stage on its own. */
  categoryScores(text: string): { label: string; probability: number }[] {
    const x = extractFeatures(text, { bits: this.category.bits });
    const p = predictProbabilities(this.category, x);
    return this.category.classes.map((label, i) => ({ label, probability: p[i] as number }));
  }
}
