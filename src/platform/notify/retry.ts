// When to try a failed delivery again. Pure: attempts so far and the last result in, the next time (or null) out.
//
// Backoff doubles from 30 s to a 10-minute cap and keeps going at the cap: Slack or the SMTP relay being down for
// an hour costs at most one extra 10-minute wait once it is back. We give up only after the schedule has covered
// more than 24 hours (≈ 150 attempts), so an alert is never dropped by a long outage. A Retry-After hint is
// honoured but never shortens the schedule (a "retry in 1 s" loop must not burn the attempts in minutes).
import type { DeliveryResult } from "./types.js";

export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 10 * 60_000;
/** The schedule keeps retrying at least this long after the first failure. */
export const RETRY_HORIZON_MS = 24 * 3_600_000;

/** Delay before attempt `attempts + 1`, given `attempts` made so far (≥ 1). */
export function backoffMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return exponent >= 20 ? RETRY_CAP_MS : Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** exponent);
}

/** The attempt count after which the backoff schedule alone has waited more than the horizon. */
export const MAX_ATTEMPTS: number = (() => {
  let waited = 0;
  let attempts = 0;
  while (waited <= RETRY_HORIZON_MS) {
    attempts++;
    waited += backoffMs(attempts);
  }
  return attempts + 1;
})();

/**
 * The time of the next attempt after `attempts` attempts ended in `result`, or null when there is nothing more
 * to do: delivered, permanently refused, or retried for longer than the horizon.
 */
export function nextAttempt(attempts: number, result: DeliveryResult, now: Date): Date | null {
  if (result.status !== "retry") return null;
  if (attempts >= MAX_ATTEMPTS) return null;
  const delay = Math.max(backoffMs(attempts), result.afterMs ?? 0);
  return new Date(now.getTime() + delay);
}
