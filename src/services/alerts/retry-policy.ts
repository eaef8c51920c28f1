// When to try an outbox row again. Exponential from 30 s, capped at 10 min so a recovered Slack or mail server
// is used again within minutes; a server's own Retry-After wins. After a day of trying the row stops and asks a
// person (it is never dropped: Retry in the dashboard sends it).
export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 10 * 60_000;
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const RETRY_AFTER_CAP_MS = 3_600_000;

/** `attempts` counts the failed attempts so far, this one included. */
export function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 1_000), RETRY_AFTER_CAP_MS);
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
}

export function shouldGiveUp(createdAt: Date, now: Date): boolean {
  return now.getTime() - createdAt.getTime() >= GIVE_UP_AFTER_MS;
}
