// The one retry policy for outbound requests: 429, 5xx, timeouts and network errors are retried with exponential
// backoff and "equal jitter"; a source's own reset time (Retry-After, X's x-rate-limit-reset, Reddit's
// x-ratelimit-reset, Yelp's RateLimit-ResetTime) is read here and nowhere else. Used by the HTTP client and by
// the X connector's twitter-api-v2 transport, which makes its own requests.
import { UpstreamError } from "./errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  /** Longest in-process wait for a window; a longer one ends the attempt and the caller resumes on schedule. */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function retryPolicy(options: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxWaitMs: options.maxWaitMs ?? 60_000,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  };
}

/** Never zero, never synchronized: half the exponential ceiling plus a random half. */
export function backoffMs(policy: Pick<RetryPolicy, "baseDelayMs" | "random">, attempt: number): number {
  const ceiling = policy.baseDelayMs * 2 ** attempt;
  return ceiling / 2 + policy.random() * (ceiling / 2);
}

/**
 * When the source says its window opens again, from its headers; null when it says nothing usable. Header
 * families differ by source (shared/reference/connectors.md §0.4); names do not collide, so one reader serves all.
 */
export function rateLimitResetAt(headers: Headers, status: number, now: Date): Date | null {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== "" && Number.isFinite(seconds))
      return new Date(now.getTime() + Math.max(0, seconds) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return new Date(date);
  }
  // X: unix seconds; the 24-hour app and user caps, when used up, outlast the 15-minute window.
  if (headers.has("x-rate-limit-reset")) {
    const exhausted = (prefix: string) =>
      headers.has(`${prefix}-remaining`) && Number(headers.get(`${prefix}-remaining`)) <= 0;
    const prefix = exhausted("x-user-limit-24hour")
      ? "x-user-limit-24hour"
      : exhausted("x-app-limit-24hour")
        ? "x-app-limit-24hour"
        : "x-rate-limit";
    const seconds = Number(headers.get(`${prefix}-reset`));
    if ((status === 429 || exhausted(prefix)) && Number.isFinite(seconds) && seconds * 1000 > now.getTime())
      return new Date(seconds * 1000);
  }
  // Reddit: seconds until the window ends, meaningful when the window is used up.
  if (headers.has("x-ratelimit-reset")) {
    const reset = Number(headers.get("x-ratelimit-reset"));
    const remaining = Number(headers.get("x-ratelimit-remaining"));
    if (Number.isFinite(reset) && (status === 429 || remaining < 1))
      return new Date(now.getTime() + Math.max(1, reset) * 1000);
  }
  // Yelp: an ISO instant once the daily budget is spent.
  if (status === 429 && headers.get("ratelimit-remaining") === "0") {
    const at = Date.parse(headers.get("ratelimit-resettime") ?? "");
    if (!Number.isNaN(at)) return new Date(at);
  }
  return null;
}

/**
 * Runs `attempt` until it succeeds, throws a non-retryable error, runs out of retries, or the wait it would need
 * exceeds `maxWaitMs`. Attempts throw UpstreamError; anything else is a bug and passes through untouched.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (index: number) => Promise<T>,
  options: { retries?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const retries = options.retries ?? policy.retries;
  let lastError: UpstreamError | null = null;
  for (let index = 0; index <= retries; index++) {
    if (index > 0 && lastError) {
      const wait = lastError.options.retryAt
        ? Math.max(0, lastError.options.retryAt.getTime() - Date.now())
        : backoffMs(policy, index - 1);
      if (wait > policy.maxWaitMs) throw lastError;
      await policy.sleep(wait);
      if (options.signal?.aborted) throw lastError;
    }
    try {
      return await attempt(index);
    } catch (error) {
      if (!(error instanceof UpstreamError) || !error.retryable) throw error;
      lastError = error;
    }
  }
  throw lastError ?? new UpstreamError("transient", "request failed");
}
