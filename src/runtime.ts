// Wires the capabilities that depend on configuration onto Deps: the classifier and the pipeline routers.
// Kept apart from buildDeps so tests can build bare deps and add only what they exercise.
import type { Deps } from "./deps.js";
import { followUpRouter } from "./pipeline/routers/follow-up.js";
import type { MentionClassifier } from "./pipeline/types.js";
import { type BuildClassifierOptions, buildClassifier } from "./platform/classifier.js";
import { publicBaseUrl } from "./platform/links.js";
import { webhookFromEnv } from "./services/accounts/accounts.js";
import { rightsEventsRouter } from "./services/accounts/rights-events-router.js";
import { urgentAlertRouter } from "./services/alerts/urgent-alert-router.js";
import { dbClassificationCache } from "./services/classification/db-cache.js";

export interface RuntimeOptions {
  /** Workers bring their weights and prompt bundled (not read from disk). */
  classifierAssets?: Pick<BuildClassifierOptions, "localModel" | "claudePrompt">;
  /** A ready classifier (tests). */
  classifier?: MentionClassifier;
}

export async function buildRuntime(deps: Deps, options: RuntimeOptions = {}): Promise<Deps> {
  const { env } = deps;
  const classifier =
    options.classifier ??
    buildClassifier(env, {
      ...options.classifierAssets,
      ...(deps.http ? { fetch: deps.http.fetch } : {}),
      cache: dbClassificationCache(deps.db),
      onClaudeError: (id, error) =>
        deps.log.warn("claude classification failed; kept the local result", { id, error: String(error) }),
    }).engine;
  const urgentAlerts = urgentAlertRouter({
    // Read when an alert is built: the Node entry learns the bound port (PORT=0) only once it listens.
    get publicUrl() {
      return publicBaseUrl(env);
    },
    ...(env.SLACK_WEBHOOK_URL ? { fallbackWebhookUrl: env.SLACK_WEBHOOK_URL } : {}),
  });
  return {
    ...deps,
    classifier,
    routers: [...deps.routers, urgentAlerts, followUpRouter, rightsEventsRouter(webhookFromEnv(env))],
  };
}
