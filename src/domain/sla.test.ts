import { describe, expect, it } from "vitest";
import {
  arrivedOverdue,
  formatMinutes,
  isOverdue,
  slaClockStart,
  slaDueAt,
  slaLabel,
  slaState,
} from "./sla.js";

const t0 = new Date("2026-01-05T08:00:00Z");
const at = (iso: string) => new Date(iso);

describe("SLA clock", () => {
  it("uses the default minutes per severity", () => {
    expect(slaDueAt("critical", true, t0)?.toISOString()).toBe("2026-01-05T09:00:00.000Z");
    expect(slaDueAt("low", true, t0)?.toISOString()).toBe("2026-01-08T08:00:00.000Z");
  });
  it("lets a brand override a severity", () => {
    expect(slaDueAt("critical", true, t0, { critical: 15 })?.toISOString()).toBe("2026-01-05T08:15:00.000Z");
  });
  it("sets no clock on irrelevant mentions", () => {
    expect(slaDueAt("high", false, t0)).toBeNull();
  });
  it("starts when the customer posted, not when Rapport stored it", () => {
    // The attorney complaint posted at 04:02 and stored 20 hours later.
    const posted = at("2026-01-05T04:02:00Z");
    const stored = at("2026-01-06T00:02:00Z");
    expect(slaClockStart(posted, stored)).toEqual(posted);
    expect(slaDueAt("critical", true, slaClockStart(posted, stored))?.toISOString()).toBe(
      "2026-01-05T05:02:00.000Z",
    );
    // A platform clock ahead of ours is not believed.
    expect(slaClockStart(at("2026-01-06T01:00:00Z"), stored)).toEqual(stored);
  });
  it("is overdue only when due, passed and unanswered", () => {
    const due = new Date("2026-01-05T09:00:00Z");
    expect(isOverdue(due, null, new Date("2026-01-05T09:01:00Z"))).toBe(true);
    expect(isOverdue(due, new Date("2026-01-05T08:30:00Z"), new Date("2026-01-05T09:01:00Z"))).toBe(false);
    expect(isOverdue(due, null, new Date("2026-01-05T08:59:00Z"))).toBe(false);
  });
  it("tells a post that arrived past its SLA from one the team let slip", () => {
    const due = at("2026-01-05T09:00:00Z");
    expect(arrivedOverdue(due, at("2026-01-05T09:00:00Z"))).toBe(true);
    expect(arrivedOverdue(due, at("2026-01-05T08:59:00Z"))).toBe(false);
    const now = at("2026-01-05T12:30:00Z");
    expect(slaState(due, null, at("2026-01-05T10:00:00Z"), true, now)).toEqual({
      kind: "arrived_overdue",
      minutes: 210,
    });
    expect(slaState(due, null, at("2026-01-05T08:00:00Z"), true, now)).toEqual({
      kind: "overdue",
      minutes: 210,
    });
    expect(slaState(due, null, t0, true, at("2026-01-05T08:15:00Z"))).toEqual({ kind: "due", minutes: 45 });
    expect(slaState(due, at("2026-01-05T08:10:00Z"), t0, false, now)).toEqual({ kind: "answered" });
    expect(slaState(due, null, t0, false, now)).toEqual({ kind: "answered" });
    expect(slaState(null, null, t0, true, now)).toEqual({ kind: "none" });
  });
  it("words countdowns and ages", () => {
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(190)).toBe("3 h 10 min");
    expect(formatMinutes(120)).toBe("2 h");
    expect(formatMinutes(3 * 1440 + 5 * 60 + 7)).toBe("3 d 5 h");
    expect(slaLabel({ kind: "due", minutes: 45 })).toBe("due in 45 min");
    expect(slaLabel({ kind: "overdue", minutes: 190 })).toBe("overdue 3 h 10 min");
    expect(slaLabel({ kind: "arrived_overdue", minutes: 1440 })).toBe("arrived overdue (1 d past due)");
    expect(slaLabel({ kind: "answered" })).toBeNull();
  });
});
