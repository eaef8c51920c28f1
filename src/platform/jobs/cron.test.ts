import { describe, expect, it } from "vitest";
import { isDue, nextRun } from "./cron.js";

describe("cron arithmetic", () => {
  it("finds the next quarter hour", () => {
    expect(nextRun("*/15 * * * *", new Date("2026-11-22T09:07:30Z"))?.toISOString()).toBe(
      "2026-11-22T09:15:00.000Z",
    );
  });
  it("is due once a fire time has passed since the last run", () => {
    const last = new Date("2026-11-22T09:00:10Z");
    expect(isDue("*/15 * * * *", last, new Date("2026-11-22T09:14:59Z"))).toBe(false);
    expect(isDue("*/15 * * * *", last, new Date("2026-11-22T09:15:00Z"))).toBe(true);
    expect(isDue("*/15 * * * *", last, new Date("2026-11-22T11:00:00Z"))).toBe(true);
  });
  it("is due on the first run", () => {
    expect(isDue("0 8 * * 1", null, new Date())).toBe(true);
  });
});
