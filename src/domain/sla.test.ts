import { describe, expect, it } from "vitest";
import { isOverdue, slaDueAt } from "./sla.js";

const t0 = new Date("2026-01-05T08:00:00Z");

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
  it("is overdue only when due, passed and unanswered", () => {
    const due = new Date("2026-01-05T09:00:00Z");
    expect(isOverdue(due, null, new Date("2026-01-05T09:01:00Z"))).toBe(true);
    expect(isOverdue(due, new Date("2026-01-05T08:30:00Z"), new Date("2026-01-05T09:01:00Z"))).toBe(false);
    expect(isOverdue(due, null, new Date("2026-01-05T08:59:00Z"))).toBe(false);
  });
});
