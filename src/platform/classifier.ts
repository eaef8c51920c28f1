// The classifier, built from configuration in ONE place for every entry: `npm start`, the Worker, `rapport classify`,
// `rapport reclassify` and the eval script. CLASSIFIER_ENGINE (or an explicit engine) picks the engine; without it,
// hybrid when an Anthropic key is set, else local. The Worker passes its bundled weights and prompt.
import type { ClassificationCache } from "../classifier/cache.js";
import { ClaudeEngine } from "../classifier/claude.js";
import { HybridEngine } from "../classifier/hybrid.js";
import { LocalEngine } from "../classifier/local.js";
import type { LocalModel } from "../classifier/local-model.js";
import type { ClassifierEngine, EngineName } from "../classifier/types.js";
import type { AppEnv } from "../env.js";

export type ClassifierConfig = Pick<
  AppEnv,
  "CLASSIFIER_ENGINE" | "ANTHROPIC_API_KEY" | "ANTHROPIC_BASE_URL" | "CLAUDE_MODEL"
>;

export interface BuildClassifierOptions {
  /** Wins over CLASSIFIER_ENGINE (`--engine`). */
  engine?: EngineName | undefined;
  /** Hybrid only: classifications already paid for, by content. */
  cache?: ClassificationCache;
  /** Hybrid only: a Claude call failed and the local answer was kept. */
  onClaudeError?: (id: string, error: unknown) => void;
  /** Parsed weights, where they cannot be read from disk (Workers bundle them). */
  localModel?: LocalModel;
  /** The classify prompt, where it cannot be read from disk (Workers bundle it). */
  claudePrompt?: string;
  maxRetries?: number;
  timeoutMs?: number;
  /** The server's HTTP client as a fetch, so Claude is reached under the one egress policy. */
  fetch?: typeof fetch;
}

export interface BuiltClassifier {
  engine: ClassifierEngine;
  /** Versions whose results count as current (a hybrid answer carries its local or its Claude version). */
  versions: string[];
}

export class ClassifierConfigError extends Error {}

export function buildClassifier(
  config: ClassifierConfig,
  options: BuildClassifierOptions = {},
): BuiltClassifier {
  const name = options.engine ?? config.CLASSIFIER_ENGINE ?? (config.ANTHROPIC_API_KEY ? "hybrid" : "local");
  if (name === "local") {
    const local = new LocalEngine(options.localModel);
    return { engine: local, versions: [local.version] };
  }
  if (!config.ANTHROPIC_API_KEY) {
    throw new ClassifierConfigError(
      `the ${name} engine needs ANTHROPIC_API_KEY; set it, or use --engine local (CLASSIFIER_ENGINE=local) to run offline`,
    );
  }
  const claude = new ClaudeEngine({
    apiKey: config.ANTHROPIC_API_KEY,
    model: config.CLAUDE_MODEL,
    ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
    ...(options.claudePrompt ? { systemPrompt: options.claudePrompt } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (name === "claude") return { engine: claude, versions: [claude.version] };
  const local = new LocalEngine(options.localModel);
  const hybrid = new HybridEngine(local, claude, options.cache, undefined, options.onClaudeError);
  return { engine: hybrid, versions: [local.version, claude.version] };
}
