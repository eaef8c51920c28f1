// The local engine: trained model for category/relevance, patterns for flags, lexicon for sentiment.
// Loads the committed weights, so it works with no network and without ../shared.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { computeSeverity } from "../domain/criticality.js";
import { maskPii } from "../domain/masking.js";
import type { Category, Flag } from "../domain/taxonomy.js";
import { countWords } from "./features.js";
import { detectFlags } from "./flags.js";
import { LocalModel, type ModelBundle, type ModelPrediction } from "./local-model.js";
import { sentimentScore } from "./sentiment.js";
import type { ClassifierEngine, ClassifyInput, ClassifyOutput } from "./types.js";

export const MODEL_PATH = fileURLToPath(new URL("./model/weights.json", import.meta.url));

let cached: LocalModel | undefined;

/** The committed model, parsed once per process (4 MB of JSON is worth not re-reading per request). */
export function loadCommittedModel(path = MODEL_PATH): LocalModel {
  if (path === MODEL_PATH && cached) return cached;
  const model = new LocalModel(JSON.parse(readFileSync(path, "utf8")) as ModelBundle);
  if (path === MODEL_PATH) cached = model;
  return model;
}

export interface LocalClassification extends ClassifyOutput {
  /** Model internals the hybrid engine uses to decide whether Claude adds value. */
  prediction: ModelPrediction;
}

// In a short post a consumer-rights or critical flag is precise evidence the post is about collections: the
// model, which learned mostly from long narratives, must not call it "not collections" or "praise" (e.g. "my lawyer
// will be in touch"). In a long text the model has read every word, and a "dispute" or an "attorney" is as common
// in a credit-report or mortgage complaint as in a collections one: there the model decides. 25 words is a long
// tweet; on held-out CFPB text the complaints of 26–40 words this rule made relevant were mostly other products.
const EVIDENCE_MAX_WORDS = 25;
const FLAG_EVIDENCE_CONFIDENCE = 0.5;
// Both signals are needed: everyday sentences about a court, a lawyer or a death carry the flag but give
// collections almost no chance (median 0.03 on the Brown sentences), while a post like "my lawyer will be in
// touch" in a brand's feed gets around 0.1.
const EVIDENCE_MIN_PROBABILITY = 0.05;
const FLAG_CATEGORY: Partial<Record<Flag, Category>> = {
  dispute: "debt_not_owed",
  identity_theft: "debt_not_owed",
  cease_contact: "communication_tactics",
};
const EVIDENCE_FLAGS: readonly Flag[] = [
  "dispute",
  "cease_contact",
  "attorney",
  "bankruptcy",
  "identity_theft",
  "deceased",
  "servicemember",
  "regulator",
  "self_harm",
];

function withFlagEvidence(prediction: ModelPrediction, flags: Flag[], words: number): ModelPrediction {
  if (words > EVIDENCE_MAX_WORDS || prediction.relevantProbability < EVIDENCE_MIN_PROBABILITY)
    return prediction;
  const evidence = flags.find((f) => EVIDENCE_FLAGS.includes(f));
  // "other_collections" is "none of the above": a rights flag says which one it is.
  const vague = ["not_collections", "praise", "other_collections"].includes(prediction.category);
  if (!evidence || !vague) return prediction;
  if (prediction.category === "other_collections" && !FLAG_CATEGORY[evidence]) return prediction;
  // The code now comes from a pattern, not the model: say so in the confidence (the hybrid engine asks Claude).
  // The answer's confidence stays what the model knows: P(relevant) times the (capped) code's probability; on
  // held-out data such flipped answers are right about one time in four, not one in two.
  const categoryProbability = Math.min(prediction.categoryProbability, FLAG_EVIDENCE_CONFIDENCE);
  return {
    ...prediction,
    category: FLAG_CATEGORY[evidence] ?? "other_collections",
    relevant: true,
    categoryProbability,
    confidence: prediction.relevantProbability * categoryProbability,
  };
}

export class LocalEngine implements ClassifierEngine {
  readonly name = "local" as const;
  readonly version: string;

  constructor(private readonly model: LocalModel = loadCommittedModel()) {
    this.version = model.version;
  }

  classifyOne(item: ClassifyInput): LocalClassification {
    const { masked, hits } = maskPii(item.text);
    const model = this.model.predict(item.text);
    const { flags, lawsuitThreat } = detectFlags(item.text, hits);
    const prediction = withFlagEvidence(model, flags, countWords(item.text));
    const sentiment = sentimentScore(item.text);
    const severity = computeSeverity({
      category: prediction.category,
      flags,
      lawsuitThreat,
      sentiment,
      reach: item.reach,
    });
    return {
      id: item.id,
      category: prediction.category,
      relevant: prediction.relevant,
      severity,
      flags,
      sentiment,
      confidence: Math.round(prediction.confidence * 1000) / 1000,
      engine: "local",
      version: this.version,
      maskedText: masked,
      prediction,
    };
  }

  async classify(items: ClassifyInput[]): Promise<ClassifyOutput[]> {
    return items.map((item) => {
      const { prediction: _internals, ...output } = this.classifyOne(item);
      return output;
    });
  }
}
