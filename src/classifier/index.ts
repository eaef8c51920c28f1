// Public interface of the classifier engines. They are built from configuration in src/platform/classifier.ts.

export type { CachedClassification, ClassificationCache } from "./cache.js";
export { contentHash, MemoryClassificationCache } from "./cache.js";
export { ClaudeEngine, ClaudeOutputError } from "./claude.js";
export { detectFlags } from "./flags.js";
export { HybridEngine } from "./hybrid.js";
export { LocalEngine } from "./local.js";
export type { ClassifierEngine, ClassifyInput, ClassifyOutput, EngineName } from "./types.js";
