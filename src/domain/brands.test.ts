import { describe, expect, it } from "vitest";
import { brandsForMention, compileBrandMatcher } from "./brands.js";

const match = compileBrandMatcher([
  {
    id: 1,
    name: "Acme Recovery",
    keywords: ["@AcmeRecovery", "Acme Collections"],
    exclusions: ["Acme Recovery Rehab"],
  },
  { id: 2, name: "Northwind Bank", keywords: ["Northwind"], exclusions: [] },
]);

describe("brand matching", () => {
  it.each([
    ["Acme Recovery keeps calling me", [1]],
    ["acme   recovery called at 6am", [1]],
    ["acme-recovery again", [1]],
    ["@AcmeRecovery stop calling", [1]],
    ["Acme Recovery Rehab center opens downtown", []],
    ["Acme Recoveryman is a superhero", []],
    ["Northwind sent my card to Acme Collections", [1, 2]],
    ["nothing relevant here", []],
  ])("%s", (text, expected) => {
    expect(match(text)).toEqual(expected);
  });

  it("falls back to the source's brand when nothing matches", () => {
    expect(brandsForMention([], 7)).toEqual([7]);
    expect(brandsForMention([2], 7)).toEqual([2]);
    expect(brandsForMention([], null)).toEqual([]);
  });
});
