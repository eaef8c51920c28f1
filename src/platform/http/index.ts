// The platform's HTTP capability: one client behind one egress policy (see ./client.ts).

export { assertHostAllowed } from "./check-host.js";
export {
  createHttpClient,
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  type ErrorInterpreter,
  type HttpClient,
  type HttpOptions,
  isCloudflareWorkers,
  parseJsonOrUndefined,
  parsePayload,
  type RequestOptions,
  type UpstreamErrorContext,
} from "./client.js";
export { createEgressPolicy, type EgressPolicy, forbiddenReason, parseAllowList } from "./egress.js";
export { isUpstreamError, UpstreamError, type UpstreamFailure } from "./errors.js";
export {
  createTokenCache,
  forgetAccessToken,
  getAccessToken,
  type TokenCache,
  type TokenGrant,
} from "./oauth.js";
export { backoffMs, type RetryPolicy, rateLimitResetAt, retryPolicy, withRetry } from "./retry.js";

import { createHttpClient, type HttpClient } from "./client.js";

export const USER_AGENT = "Rapport/0.1 (reputation monitor)";

/** The process's client, from the validated environment (EGRESS_ALLOW). */
export function httpClientFromEnv(env: { EGRESS_ALLOW?: string | undefined }): HttpClient {
  return createHttpClient({
    userAgent: USER_AGENT,
    ...(env.EGRESS_ALLOW ? { allow: env.EGRESS_ALLOW } : {}),
  });
}
