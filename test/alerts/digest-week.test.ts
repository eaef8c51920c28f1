import { describe, expect, it } from "vitest";
import {
  digestDueAt,
  formatIsoWeek,
  isoWeekOf,
  isValidTimeZone,
  parseIsoWeek,
  shiftWeek,
  weekRange,
} from "../../src/services/digest/week.js";

describe("ISO weeks", () => {
  it.each([
    ["2026-01-01T12:00:00Z", "2026-W01"], // a Thursday: week 1 of its own year
    ["2027-01-01T12:00:00Z", "2026-W53"], // a Friday: the last week of the year before
    ["2024-12-30T12:00:00Z", "2025-W01"], // a Monday in December that starts next year's week 1
    ["2026-03-22T23:59:59Z", "2026-W12"], // Sunday night still belongs to the week
    ["2026-03-23T00:00:00Z", "2026-W13"],
  ])("%s is in %s", (instant, week) => {
    expect(formatIsoWeek(isoWeekOf(new Date(instant)))).toBe(week);
  });

  it("parses, rejects, spans and steps weeks", () => {
    expect(parseIsoWeek("2026-W07")).toEqual({ year: 2026, week: 7 });
    expect(parseIsoWeek("2026-W54")).toBeNull();
    expect(parseIsoWeek("2025-W53")).toBeNull(); // 2025 has 52 weeks
    expect(parseIsoWeek("2026-7")).toBeNull();
    const range = weekRange({ year: 2026, week: 12 });
    expect(range.start.toISOString()).toBe("2026-03-16T00:00:00.000Z");
    expect(range.end.toISOString()).toBe("2026-03-23T00:00:00.000Z");
    expect(formatIsoWeek(shiftWeek({ year: 2026, week: 1 }, -1))).toBe("2025-W52");
    expect(formatIsoWeek(shiftWeek({ year: 2026, week: 53 - 1 }, 1))).toBe("2026-W53");
  });

  it("the local week decides near midnight", () => {
    // Monday 02:00 UTC is still Sunday evening in New York.
    expect(formatIsoWeek(isoWeekOf(new Date("2026-03-23T02:00:00Z"), "America/New_York"))).toBe("2026-W12");
    expect(formatIsoWeek(isoWeekOf(new Date("2026-03-23T02:00:00Z"), "Europe/Berlin"))).toBe("2026-W13");
  });
});

describe("Monday 08:00 where the reader lives", () => {
  it.each([
    ["America/New_York", { year: 2026, week: 13 }, "2026-03-23T12:00:00.000Z"], // EDT, after the March change
    ["America/New_York", { year: 2026, week: 2 }, "2026-01-05T13:00:00.000Z"], // EST
    ["Europe/London", { year: 2026, week: 13 }, "2026-03-23T08:00:00.000Z"], // before BST starts
    ["Asia/Kolkata", { year: 2026, week: 13 }, "2026-03-23T02:30:00.000Z"],
    ["Australia/Sydney", { year: 2026, week: 13 }, "2026-03-22T21:00:00.000Z"], // AEDT: Sunday in UTC
    ["UTC", { year: 2026, week: 13 }, "2026-03-23T08:00:00.000Z"],
  ])("%s %o → %s", (zone, week, expected) => {
    expect(digestDueAt(week, zone).toISOString()).toBe(expected);
  });

  it("validates IANA zone names", () => {
    expect(isValidTimeZone("America/Chicago")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
