import { describe, expect, it } from "vitest";
import { backoffMs, MAX_ATTEMPTS, nextAttempt, RETRY_CAP_MS, RETRY_HORIZON_MS } from "./retry.js";
import type { DeliveryResult } from "./types.js";

const now = new Date("2026-11-23T08:00:00Z");
const down: DeliveryResult = { status: "retry", reason: "HTTP 503" };

describe("nextAttempt", () => {
  it("stops on success and on permanent failures", () => {
    expect(nextAttempt(1, { status: "ok" }, now)).toBeNull();
    expect(
      nextAttempt(1, { status: "permanent", reason: "channel_not_found", fix: "reconnect" }, now),
    ).toBeNull();
  });

  it("backs off exponentially from 30 seconds up to a 10-minute cap", () => {
    const delays = [1, 2, 3, 4, 5, 6, 50].map((a) => nextAttempt(a, down, now)!.getTime() - now.getTime());
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, RETRY_CAP_MS, RETRY_CAP_MS]);
    expect(backoffMs(10_000)).toBe(RETRY_CAP_MS);
  });

  it("honours Retry-After when it asks for longer, never shorter than the schedule", () => {
    const long = nextAttempt(1, { status: "retry", reason: "429", afterMs: 90_000 }, now)!;
    expect(long.getTime() - now.getTime()).toBe(90_000);
    const short = nextAttempt(3, { status: "retry", reason: "429", afterMs: 1_000 }, now)!;
    expect(short.getTime() - now.getTime()).toBe(120_000);
  });

  it("keeps an alert alive through Slack being down for an hour, and keeps trying for more than a day", () => {
    let clock = now.getTime();
    let attempts = 0;
    // Slack is down for the first hour: every attempt in it fails.
    while (clock < now.getTime() + 3_600_000) {
      attempts++;
      const next = nextAttempt(attempts, down, new Date(clock));
      expect(next).not.toBeNull();
      clock = next!.getTime();
    }
    // The first attempt after recovery comes within one capped wait of Slack coming back.
    expect(clock - (now.getTime() + 3_600_000)).toBeLessThanOrEqual(RETRY_CAP_MS);

    // A permanent-looking outage still gets retried for at least 24 hours before giving up.
    clock = now.getTime();
    attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttempt(attempts, down, new Date(clock));
      if (!next) break;
      clock = next.getTime();
    }
    expect(clock - now.getTime()).toBeGreaterThanOrEqual(RETRY_HORIZON_MS);
    expect(clock - now.getTime()).toBeLessThan(RETRY_HORIZON_MS + 2 * RETRY_CAP_MS);
    expect(attempts).toBe(MAX_ATTEMPTS);
  });
});
