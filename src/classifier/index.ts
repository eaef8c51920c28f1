// Public interface of the classifier. The pipeline, CLI and jobs use only what is exported here.
import type { ClassificationCache } from "./cache.js";
import { ClaudeEngine } from "./claude.js";
import { HybridEngine } from "./hybrid.js";
import { LocalEngine } from "./local.js";
import type { ClassifierEngine, EngineName } from "./types.js";

export { detectPii, maskPii, type PiiHit, type PiiKind } from "../domain/masking.js";
export type { CachedClassification, ClassificationCache } from "./cache.js";
export { contentHash, MemoryClassificationCache } from "./cache.js";
export { ClaudeEngine, ClaudeOutputError } from "./claude.js";
export { detectFlags } from "./flags.js";
export { HybridEngine } from "./hybrid.js";
export { LocalEngine } from "./local.js";
export type { ClassifierEngine, ClassifyInput, ClassifyOutput, EngineName } from "./types.js";

export interface CreateClassifierOptions {
  /** Defaults to hybrid when an API key is given, else local. */
  engine?: EngineName;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  model: string;
  cache?: ClassificationCache;
  maxRetries?: number;
  timeoutMs?: number;
  /** Called when a Claude call fails and the hybrid engine keeps the local answer. */
  onClaudeError?: (id: string, error: unknown) => void;
}

export class ClassifierConfigError extends Error {}

export function createClassifier(opts: CreateClassifierOptions): ClassifierEngine {
  const engine = opts.engine ?? (opts.anthropicApiKey ? "hybrid" : "local");
  if (engine === "local") return new LocalEngine();
  if (!opts.anthropicApiKey) {
    throw new ClassifierConfigError(
      `the ${engine} classifier needs ANTHROPIC_API_KEY; use --engine local to run offline`,
    );
  }
  const claude = new ClaudeEngine({
    apiKey: opts.anthropicApiKey,
    baseURL: opts.anthropicBaseUrl,
    model: opts.model,
    maxRetries: opts.maxRetries,
    timeoutMs: opts.timeoutMs,
  });
  if (engine === "claude") return claude;
  return new HybridEngine(new LocalEngine(), claude, opts.cache, undefined, opts.onClaudeError);
}
