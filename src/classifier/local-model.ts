// The trained two-stage model: relevance (collections or not), then which collections code.
import type { Category } from "../domain/taxonomy.js";
import { extractFeatures, FEATURE_VERSION, type SparseVector } from "./features.js";
import {
  applyTemperature,
  argmax,
  deserializeModel,
  type LinearModel,
  linearScore,
  type PlattScaling,
  predictProbabilities,
  type SerializedModel,
  sigmoid,
} from "./model.js";

export interface ModelBundle {
  format: "rapport-linear-2";
  version: string;
  featureVersion: number;
  /** One-column logistic regression ("yes"), and the Platt scaling fitted on out-of-fold (grouped) scores. */
  relevance: { model: SerializedModel; calibration: PlattScaling };
  /** Every category code but not_collections, with a temperature fitted on out-of-fold probabilities. */
  category: { model: SerializedModel; temperature: number };
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
  private readonly calibration: PlattScaling;
  private readonly category: LinearModel;
  private readonly temperature: number;
  private readonly categoryScratch: Float64Array;

  constructor(bundle: ModelBundle) {
    if (bundle.format !== "rapport-linear-2") {
      throw new Error(
        `model file has format ${String(bundle.format)}, code reads rapport-linear-2: run npm run train`,
      );
    }
    if (bundle.featureVersion !== FEATURE_VERSION) {
      throw new Error(
        `model was trained with features v${bundle.featureVersion}, code has v${FEATURE_VERSION}: run npm run train`,
      );
    }
    this.version = bundle.version;
    this.relevance = deserializeModel(bundle.relevance.model);
    this.calibration = bundle.relevance.calibration;
    this.category = deserializeModel(bundle.category.model);
    this.temperature = bundle.category.temperature;
    if (this.category.bits !== this.relevance.bits)
      throw new Error("relevance and category models differ in bits");
    this.categoryScratch = new Float64Array(this.category.classes.length);
  }

  get bits(): number {
    return this.relevance.bits;
  }

  predict(text: string): ModelPrediction {
    return this.predictFeatures(extractFeatures(text, { bits: this.relevance.bits }));
  }

  /** The same as predict, on features already extracted (evaluation extracts each text once). */
  predictFeatures(x: SparseVector): ModelPrediction {
    const relevantProbability = this.relevanceProbability(x);
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
    const pc = applyTemperature(
      predictProbabilities(this.category, x, this.categoryScratch),
      this.temperature,
    );
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

  relevanceProbability(x: SparseVector): number {
    const { slope, intercept } = this.calibration;
    return sigmoid(slope * linearScore(this.relevance, x) + intercept);
  }

  /** Category probabilities among collections codes, for evaluation of the category stage on its own. */
  categoryScores(text: string): { label: string; probability: number }[] {
    return this.categoryScoresOf(extractFeatures(text, { bits: this.category.bits }));
  }

  categoryScoresOf(x: SparseVector): { label: string; probability: number }[] {
    const p = applyTemperature(predictProbabilities(this.category, x), this.temperature);
    return this.category.classes.map((label, i) => ({ label, probability: p[i] as number }));
  }
}
