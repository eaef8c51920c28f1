import { describe, expect, it } from "vitest";
import {
  addWeeks,
  formatIsoWeek,
  isoWeekOf,
  isoWeeksInYear,
  mondayAt,
  mondayOf,
  nextDigestDelivery,
  parseIsoWeek,
  weekBounds,
  zonedTimeToUtc,
} from "./week.js";

describe("ISO weeks", () => {
  it("parses and formats YYYY-Www, refusing weeks the year does not have", () => {
    expect(parseIsoWeek("2026-W47")).toEqual({ year: 2026, week: 47 });
    expect(parseIsoWeek("2026w05")).toEqual({ year: 2026, week: 5 });
    expect(parseIsoWeek("2027-W53")).toBeNull();
    expect(parseIsoWeek("2026-W53")).toEqual({ year: 2026, week: 53 });
    expect(parseIsoWeek("2020-W53")).toEqual({ year: 2020, week: 53 });
    expect(parseIsoWeek("2026-W00")).toBeNull();
    expect(parseIsoWeek("2026-47")).toBeNull();
    expect(formatIsoWeek({ year: 2026, week: 5 })).toBe("2026-W05");
    expect(isoWeeksInYear(2015)).toBe(53);
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2027)).toBe(52);
  });

  it("puts year-boundary days in the right ISO year", () => {
    expect(isoWeekOf(new Date("2027-01-01T12:00:00Z"))).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf(new Date("2024-12-30T12:00:00Z"))).toEqual({ year: 2025, week: 1 });
    expect(mondayOf({ year: 2025, week: 1 })).toEqual({ year: 2024, month: 12, day: 30 });
    expect(addWeeks({ year: 2026, week: 53 }, 1)).toEqual({ year: 2027, week: 1 });
    expect(addWeeks({ year: 2027, week: 1 }, -1)).toEqual({ year: 2026, week: 53 });
  });

  it("judges the week by the recipient's calendar", () => {
    // Monday 03:00 UTC is still Sunday evening in New York.
    const instant = new Date("2026-11-23T03:00:00Z");
    expect(isoWeekOf(instant, "UTC")).toEqual({ year: 2026, week: 48 });
    expect(isoWeekOf(instant, "America/New_York")).toEqual({ year: 2026, week: 47 });
  });
});

describe("zoned times", () => {
  it("converts wall-clock times to UTC across zones and DST", () => {
    expect(
      zonedTimeToUtc({ year: 2026, month: 11, day: 23, hour: 8 }, "America/New_York").toISOString(),
    ).toBe("2026-11-23T13:00:00.000Z");
    expect(zonedTimeToUtc({ year: 2026, month: 7, day: 6, hour: 8 }, "America/New_York").toISOString()).toBe(
      "2026-07-06T12:00:00.000Z",
    );
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 23, hour: 8 }, "Asia/Kolkata").toISOString()).toBe(
      "2026-11-23T02:30:00.000Z",
    );
    expect(
      zonedTimeToUtc({ year: 2026, month: 11, day: 23, hour: 8 }, "Pacific/Auckland").toISOString(),
    ).toBe("2026-11-22T19:00:00.000Z");
    // 02:30 does not exist on 8 March 2026 in New York: the instant after the gap.
    expect(
      zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, "America/New_York").toISOString(),
    ).toBe("2026-03-08T07:30:00.000Z");
  });

  it("gives week bounds in a zone, 169 hours long across the autumn change", () => {
    const { start, end } = weekBounds({ year: 2026, week: 44 }, "America/New_York");
    expect(start.toISOString()).toBe("2026-10-26T04:00:00.000Z");
    expect(end.toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(169);
    const utc = weekBounds({ year: 2026, week: 48 });
    expect(utc.start.toISOString()).toBe("2026-11-23T00:00:00.000Z");
  });

  it("schedules Monday 08:00 in each recipient's zone and reports the week before", () => {
    expect(mondayAt({ year: 2026, week: 48 }, "Europe/Berlin").toISOString()).toBe(
      "2026-11-23T07:00:00.000Z",
    );
    const now = new Date("2026-11-22T20:00:00Z"); // Sunday evening UTC
    const la = nextDigestDelivery(now, "America/Los_Angeles");
    expect(la.sendAt.toISOString()).toBe("2026-11-23T16:00:00.000Z");
    expect(formatIsoWeek(la.reportWeek)).toBe("2026-W47");
    // Just after 08:00 Monday in Tokyo: next delivery is a week later.
    const tokyo = nextDigestDelivery(new Date("2026-11-22T23:30:00Z"), "Asia/Tokyo");
    expect(tokyo.sendAt.toISOString()).toBe("2026-11-29T23:00:00.000Z");
    expect(formatIsoWeek(tokyo.reportWeek)).toBe("2026-W48");
  });
});
