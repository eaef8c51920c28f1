import { describe, expect, it } from "vitest";
import { describeSchedule, SCHEDULE_CHOICES, timeFromNow } from "./schedule-words.js";

describe("schedules in words", () => {
  it.each([
    ["* * * * *", "every minute"],
    ["*/1 * * * *", "every minute"],
    ["*/2 * * * *", "every 2 minutes"],
    ["*/15 * * * *", "every 15 minutes"],
    ["0 * * * *", "every hour"],
    ["30 * * * *", "every hour at 30 past"],
    ["0 */6 * * *", "every 6 hours"],
    ["15 */2 * * *", "every 2 hours at 15 past"],
    ["0 6 * * *", "every day at 06:00"],
    ["5 8,17 * * *", "every day at 08:05 and 17:05"],
    ["0 8 * * 1", "every Monday at 08:00"],
    ["0 8 * * 1-5", "every weekday at 08:00"],
    ["0 9 * * 0,6", "every Sunday and Saturday at 09:00"],
    ["0 9 1 * *", "a custom schedule"],
    ["*/7 9-17 * * *", "a custom schedule"],
    ["not a cron", "a custom schedule"],
  ])("%s → %s", (cron, words) => {
    expect(describeSchedule(cron)).toBe(words);
  });

  it("offers only choices that read as words, never as a cron string", () => {
    for (const choice of SCHEDULE_CHOICES) {
      expect(choice.words).not.toMatch(/[*/]/);
      expect(choice.words).not.toBe("a custom schedule");
    }
  });
});

describe("times from now", () => {
  const now = new Date("2026-12-06T08:00:00Z");
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  it.each([
    [0, "just now"],
    [0.2, "in under a minute"],
    [-4, "4 minutes ago"],
    [11, "in 11 minutes"],
    [-1, "1 minute ago"],
    [-90, "2 hours ago"],
    [60 * 30, "in 30 hours"],
    [-60 * 24 * 3, "3 days ago"],
  ])("%s minutes → %s", (minutes, words) => {
    expect(timeFromNow(at(minutes), now)).toBe(words);
  });
});
