import { describe, expect, it } from "vitest";
import {
  CRITICAL_REACH,
  computeSeverity,
  criticalReasons,
  isCritical,
  withSourceFlags,
} from "./criticality.js";
import type { Flag } from "./taxonomy.js";

describe("computeSeverity", () => {
  const base = {
    category: "communication_tactics" as const,
    flags: [] as Flag[],
    lawsuitThreat: false,
    sentiment: -0.3,
  };
  it("is critical for self-harm, attorney, regulator, lawsuit threats and high reach", () => {
    expect(computeSeverity({ ...base, flags: ["self_harm"] })).toBe("critical");
    expect(computeSeverity({ ...base, category: "not_collections", flags: ["self_harm"] })).toBe("critical");
    expect(computeSeverity({ ...base, flags: ["attorney"] })).toBe("critical");
    expect(computeSeverity({ ...base, category: "not_collections", flags: ["attorney"] })).toBe("critical");
    expect(computeSeverity({ ...base, flags: ["regulator"] })).toBe("critical");
    expect(computeSeverity({ ...base, lawsuitThreat: true })).toBe("critical");
    expect(computeSeverity({ ...base, reach: 50_000 })).toBe("critical");
  });
  it("is high for rights flags and serious categories, medium for other complaints, low otherwise", () => {
    expect(computeSeverity({ ...base, flags: ["cease_contact"] })).toBe("high");
    expect(computeSeverity({ ...base, category: "legal_threats" })).toBe("high");
    expect(computeSeverity(base)).toBe("medium");
    expect(computeSeverity({ ...base, category: "praise", sentiment: 0.8 })).toBe("low");
    expect(computeSeverity({ ...base, category: "not_collections" })).toBe("low");
    expect(computeSeverity({ ...base, category: "praise", reach: 50_000 })).toBe("low");
  });
});

describe("withSourceFlags, isCritical, criticalReasons", () => {
  const classified = {
    category: "debt_not_owed" as const,
    flags: ["dispute"] as Flag[],
    severity: "high" as const,
  };

  it("adds a connector's certain flags and raises severity as the classifier would", () => {
    expect(withSourceFlags(classified, ["regulator"])).toEqual({
      category: "debt_not_owed",
      flags: ["dispute", "regulator"],
      severity: "critical",
    });
    expect(withSourceFlags(classified, ["dispute"])).toEqual(classified);
    expect(withSourceFlags(classified, ["bankruptcy"]).severity).toBe("high");
  });

  it("is critical by severity or by a critical flag even when nothing classified the post", () => {
    expect(isCritical("critical", [])).toBe(true);
    expect(isCritical(null, ["attorney"])).toBe(true);
    expect(isCritical("high", ["dispute"])).toBe(false);
  });

  it("says why when the flags do not", () => {
    expect(criticalReasons(["attorney"], null)).toEqual([]);
    expect(criticalReasons([], CRITICAL_REACH)).toEqual(["high reach: 10,000"]);
    expect(criticalReasons([], 50)).toEqual(["classified critical"]);
  });
});
