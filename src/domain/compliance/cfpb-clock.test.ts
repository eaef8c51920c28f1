import { describe, expect, it } from "vitest";
import {
  addDays,
  calendarDay,
  cfpbClock,
  cfpbClockWords,
  cfpbTallyLine,
  daysBetween,
  receivedDayOf,
  reminderDue,
  reportsCfpbComplaint,
  tallyCfpb,
} from "./cfpb-clock.js";

const open = { respondedAt: null, finalAt: null } as const;

describe("calendar days in an explicit time zone", () => {
  it("takes the Eastern day of an instant, not the UTC one", () => {
    // 03:30 UTC on 2 Dec is still 1 Dec in New York (UTC−5).
    expect(calendarDay(new Date("2026-12-02T03:30:00Z"), "America/New_York")).toBe("2026-12-01");
    expect(calendarDay(new Date("2026-12-02T05:00:00Z"), "America/New_York")).toBe("2026-12-02");
    // Summer time: UTC−4.
    expect(calendarDay(new Date("2026-07-02T03:59:59Z"), "America/New_York")).toBe("2026-07-01");
    expect(calendarDay(new Date("2026-07-02T04:00:00Z"), "America/New_York")).toBe("2026-07-02");
  });

  it("counts calendar days across month, year and daylight-saving changes", () => {
    expect(addDays("2026-12-20", 15)).toBe("2027-01-04");
    expect(addDays("2024-02-20", 15)).toBe("2024-03-06"); // leap year
    expect(addDays("2026-03-01", 15)).toBe("2026-03-16"); // across the spring change (8 March)
    expect(daysBetween("2026-03-07", "2026-03-09")).toBe(2);
    expect(daysBetween("2026-03-09", "2026-03-07")).toBe(-2);
  });
});

describe("receivedDayOf", () => {
  it("reads the CFPB's day as written (noon Eastern), preferring the date sent to the company", () => {
    expect(
      receivedDayOf({
        origin: "portal",
        dateSentToCompany: "2026-11-20T12:00:00-05:00",
        dateReceived: "2026-11-18T12:00:00-05:00",
        postedAt: new Date("2026-11-18T17:00:00Z"),
      }),
    ).toBe("2026-11-20");
    expect(
      receivedDayOf({
        origin: "portal",
        dateSentToCompany: null,
        dateReceived: "2026-11-18T12:00:00-05:00",
        postedAt: new Date(0),
      }),
    ).toBe("2026-11-18");
  });

  it("estimates a reported complaint from the post's Eastern day", () => {
    expect(receivedDayOf({ origin: "reported", postedAt: new Date("2026-12-02T03:30:00Z") })).toBe(
      "2026-12-01",
    );
  });
});

describe("cfpbClock", () => {
  const received = "2026-12-01"; // response due 16 Dec, final due 30 Jan
  const clockAt = (iso: string, extra: Partial<Parameters<typeof cfpbClock>[0]> = {}) =>
    cfpbClock({ origin: "portal", receivedDay: received, ...open, ...extra }, new Date(iso));

  it("is due on the 15th calendar day until midnight Eastern, then overdue", () => {
    const lastMinute = clockAt("2026-12-17T04:59:00Z"); // 23:59 on 16 Dec in New York
    expect(lastMinute).toMatchObject({
      stage: "response",
      dueDay: "2026-12-16",
      daysLeft: 0,
      overdue: false,
    });
    const midnight = clockAt("2026-12-17T05:00:00Z"); // 00:00 on 17 Dec in New York
    expect(midnight).toMatchObject({ daysLeft: -1, overdue: true, responseLate: true });
    expect(clockAt("2026-12-13T15:00:00Z").daysLeft).toBe(3);
  });

  it("moves to the 60-day final response once the company response is recorded, and closes on the final", () => {
    const responded = clockAt("2026-12-20T15:00:00Z", { respondedAt: new Date("2026-12-10T15:00:00Z") });
    expect(responded).toMatchObject({
      stage: "final",
      dueDay: "2027-01-30",
      overdue: false,
      responseLate: false,
    });
    const closed = clockAt("2027-03-01T15:00:00Z", {
      respondedAt: new Date("2026-12-10T15:00:00Z"),
      finalAt: new Date("2027-01-05T15:00:00Z"),
    });
    expect(closed).toMatchObject({ stage: "closed", dueDay: null, daysLeft: null, overdue: false });
  });

  it("counts a company response recorded after its day as late", () => {
    const late = clockAt("2026-12-20T15:00:00Z", { respondedAt: new Date("2026-12-17T05:30:00Z") });
    expect(late).toMatchObject({ stage: "final", responseLate: true, overdue: false });
  });

  it("takes the portal's Closed… response as closed, and nothing else", () => {
    expect(clockAt("2026-12-20T15:00:00Z", { portalResponse: "Closed with explanation" })).toMatchObject({
      stage: "closed",
      closedByPortal: true,
    });
    expect(clockAt("2026-12-20T15:00:00Z", { portalResponse: "In progress" }).stage).toBe("response");
    expect(clockAt("2026-12-20T15:00:00Z", { portalResponse: "Untimely response" }).overdue).toBe(true);
  });
});

describe("words", () => {
  const received = "2026-12-01";
  const now = (iso: string) => new Date(iso);
  const words = (iso: string, extra: Partial<Parameters<typeof cfpbClock>[0]> = {}) =>
    cfpbClockWords(
      cfpbClock({ origin: "portal", receivedDay: received, ...open, ...extra }, now(iso)),
      now(iso),
    );

  it("says days left, today, tomorrow and overdue in words", () => {
    expect(words("2026-12-11T15:00:00Z")).toBe("Company response due in 5 days (Dec 16)");
    expect(words("2026-12-15T15:00:00Z")).toBe("Company response due tomorrow (Dec 16)");
    expect(words("2026-12-16T15:00:00Z")).toBe("Company response due today (Dec 16, by midnight Eastern)");
    expect(words("2026-12-18T15:00:00Z")).toBe("Company response 2 days overdue (was due Dec 16)");
    expect(words("2027-01-05T15:00:00Z", { respondedAt: new Date("2026-12-10T15:00:00Z") })).toBe(
      "Final response due in 25 days (Jan 30)",
    );
  });
});

describe("tally", () => {
  it("counts open, due within 3 days and past the 15-day response", () => {
    const at = new Date("2026-12-14T15:00:00Z"); // Eastern day 14 Dec
    const clocks = [
      cfpbClock({ origin: "portal", receivedDay: "2026-12-01", ...open }, at), // due 16 Dec: 2 days
      cfpbClock({ origin: "portal", receivedDay: "2026-11-20", ...open }, at), // due 5 Dec: overdue
      cfpbClock({ origin: "reported", receivedDay: "2026-12-10", ...open }, at), // due 25 Dec
      cfpbClock(
        {
          origin: "portal",
          receivedDay: "2026-10-01",
          respondedAt: new Date("2026-10-05T12:00:00Z"),
          finalAt: null,
        },
        at,
      ), // final due 30 Nov: past the 60 days
      cfpbClock({ origin: "portal", receivedDay: "2026-12-01", ...open, portalResponse: "Closed" }, at),
    ];
    const tally = tallyCfpb(clocks);
    expect(tally).toEqual({ open: 4, dueSoon: 1, pastResponse: 1, pastFinal: 1 });
    expect(cfpbTallyLine(tally)).toBe(
      "CFPB complaints: 4 open; 1 due within 3 days; 1 past the 15-day response; 1 past the 60-day final response",
    );
    expect(cfpbTallyLine(tallyCfpb([]))).toBe(
      "CFPB complaints: 0 open; 0 due within 3 days; 0 past the 15-day response",
    );
  });
});

describe("reminderDue", () => {
  const stored = new Date("2026-12-01T18:00:00Z");
  const at = (iso: string, receivedDay = "2026-12-01") =>
    cfpbClock({ origin: "portal", receivedDay, ...open }, new Date(iso));

  it("opens the 3-day window, then the 1-day window, then an overdue notice, each with its own key", () => {
    expect(reminderDue(at("2026-12-12T15:00:00Z"), stored, 7)).toBeNull(); // 4 days left
    expect(reminderDue(at("2026-12-13T15:00:00Z"), stored, 7)?.key).toBe("cfpb:7:response:2026-12-16:3d");
    expect(reminderDue(at("2026-12-14T15:00:00Z"), stored, 7)?.key).toBe("cfpb:7:response:2026-12-16:3d");
    expect(reminderDue(at("2026-12-15T15:00:00Z"), stored, 7)?.key).toBe("cfpb:7:response:2026-12-16:1d");
    expect(reminderDue(at("2026-12-16T15:00:00Z"), stored, 7)?.key).toBe("cfpb:7:response:2026-12-16:1d");
    expect(reminderDue(at("2026-12-17T05:00:00Z"), stored, 7)?.key).toBe(
      "cfpb:7:response:2026-12-16:overdue",
    );
  });

  it("sends no overdue notice for a complaint stored after its deadline had passed (a backfill)", () => {
    const late = new Date("2026-12-20T18:00:00Z");
    expect(reminderDue(at("2026-12-21T15:00:00Z"), late, 7)).toBeNull();
  });

  it("has no reminder for a closed complaint", () => {
    const closed = cfpbClock(
      {
        origin: "portal",
        receivedDay: "2026-12-01",
        respondedAt: null,
        finalAt: new Date("2026-12-05T12:00:00Z"),
      },
      new Date("2026-12-15T15:00:00Z"),
    );
    expect(reminderDue(closed, stored, 7)).toBeNull();
  });
});

describe("reportsCfpbComplaint", () => {
  it("needs the regulator flag and the CFPB named", () => {
    expect(reportsCfpbComplaint("Filed a complaint with the CFPB today", ["regulator"])).toBe(true);
    expect(reportsCfpbComplaint("Consumer Financial Protection Bureau complaint sent", ["regulator"])).toBe(
      true,
    );
    expect(reportsCfpbComplaint("Reported them to the BBB", ["regulator"])).toBe(false);
    expect(reportsCfpbComplaint("the CFPB should look at this", [])).toBe(false);
  });
});
