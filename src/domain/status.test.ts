import { describe, expect, it } from "vitest";
import { checkTransition, closesUnanswered, isClosed, STATUS_TRANSITIONS } from "./status.js";
import { MENTION_STATUSES } from "./taxonomy.js";

describe("checkTransition", () => {
  it.each([
    ["new", "triaged"],
    ["triaged", "drafting"],
    ["drafting", "awaiting_approval"],
    ["awaiting_approval", "approved"],
    ["approved", "posted"],
    ["posted", "resolved"],
  ] as const)("allows the main line %s → %s for a manager", (from, to) => {
    expect(checkTransition(from, to, "manager")).toEqual({ ok: true });
  });

  it.each([
    ["new", "posted"],
    ["new", "approved"],
    ["posted", "new"],
    ["dismissed", "posted"],
    ["resolved", "approved"],
  ] as const)("refuses the jump %s → %s", (from, to) => {
    const result = checkTransition(from, to, "admin");
    expect(result.ok).toBe(false);
  });

  it("lets anyone but a viewer dismiss, escalate and reopen", () => {
    expect(checkTransition("new", "dismissed", "responder").ok).toBe(true);
    expect(checkTransition("new", "escalated", "responder").ok).toBe(true);
    expect(checkTransition("dismissed", "new", "responder").ok).toBe(true);
    expect(checkTransition("new", "dismissed", "viewer")).toEqual({
      ok: false,
      reason: "Only admins, managers and responders may change a mention",
    });
  });

  it("keeps approval for managers and admins", () => {
    expect(checkTransition("awaiting_approval", "approved", "responder").ok).toBe(false);
    expect(checkTransition("awaiting_approval", "approved", "admin").ok).toBe(true);
  });

  it("treats staying in the same status as a no-op", () => {
    expect(checkTransition("escalated", "escalated", "responder").ok).toBe(true);
  });

  it("covers every status and only names known statuses", () => {
    for (const status of MENTION_STATUSES) {
      for (const target of STATUS_TRANSITIONS[status]) expect(MENTION_STATUSES).toContain(target);
    }
    expect(MENTION_STATUSES.filter(isClosed)).toEqual(["posted", "resolved", "dismissed"]);
  });
});

describe("closesUnanswered", () => {
  it("is dismissing from anywhere, or resolving from anywhere but posted", () => {
    expect(closesUnanswered("new", "dismissed")).toBe(true);
    expect(closesUnanswered("awaiting_approval", "dismissed")).toBe(true);
    expect(closesUnanswered("triaged", "resolved")).toBe(true);
    expect(closesUnanswered("escalated", "resolved")).toBe(true);
    expect(closesUnanswered("posted", "resolved")).toBe(false);
    expect(closesUnanswered("dismissed", "dismissed")).toBe(false);
    for (const to of ["triaged", "escalated", "drafting", "posted"] as const) {
      expect(closesUnanswered("new", to), to).toBe(false);
    }
  });
});
