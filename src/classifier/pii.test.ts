import { describe, expect, it } from "vitest";
import { detectPii, luhnValid, maskPii, type PiiKind } from "./pii.js";

const cases: { text: string; kinds: PiiKind[]; masked?: string }[] = [
  {
    text: "email me at jane.doe+debt@example.co.uk please",
    kinds: ["email"],
    masked: "email me at [EMAIL] please",
  },
  { text: "call me 555-123-4567", kinds: ["phone"], masked: "call me [PHONE]" },
  { text: "my number (212) 555-0199 anytime", kinds: ["phone"] },
  { text: "text +1 415.555.0100 now", kinds: ["phone"] },
  {
    text: "they read my SSN 123-45-6789 out loud",
    kinds: ["ssn"],
    masked: "they read my SSN [SSN] out loud",
  },
  { text: "social security number: 123456789", kinds: ["ssn"], masked: "social security number: [SSN]" },
  {
    text: "charged my card 4111 1111 1111 1111 twice",
    kinds: ["card"],
    masked: "charged my card [CARD] twice",
  },
  { text: "card 4111-1111-1111-1111", kinds: ["card"] },
  { text: "account #12345678 is not mine", kinds: ["account"], masked: "account #[ACCOUNT] is not mine" },
  { text: "Reference number: AB-2023-99817", kinds: ["account"], masked: "Reference number: [ACCOUNT]" },
  { text: "the card ending in 4821 was charged", kinds: ["account"] },
  {
    text: "my DOB is 04/12/1987 and they had it wrong",
    kinds: ["dob"],
    masked: "my DOB is [DOB] and they had it wrong",
  },
  { text: "date of birth: March 3, 1990", kinds: ["dob"] },
  { text: "jo@x.io, 555-222-3333, SSN 078-05-1120", kinds: ["email", "phone", "ssn"] },
];

const negatives = [
  "they called me 12 times on 03/04/2023",
  "I owe $1,234.56 apparently",
  "account XXXX was sent to collections", // CFPB masking must not be re-flagged
  "card 4111 1111 1111 1112 (fails Luhn)",
  "the debt is from 2019 and 2020",
  "order 1234 arrived",
  "stop calling me @CollectCo #harassment",
];

describe("maskPii", () => {
  it.each(cases)("detects $kinds in %#", ({ text, kinds, masked }) => {
    const result = maskPii(text);
    expect(result.hits.map((h) => h.kind)).toEqual(kinds);
    if (masked) expect(result.masked).toBe(masked);
    for (const hit of result.hits) expect(hit.end).toBeGreaterThan(hit.start);
  });

  it.each(negatives)("finds nothing in %s", (text) => {
    expect(detectPii(text)).toEqual([]);
    expect(maskPii(text).masked).toBe(text);
  });

  it("leaves no digits of a card or SSN in the masked text", () => {
    const { masked } = maskPii("SSN 123-45-6789, card 5555555555554444, phone 555-123-4567");
    expect(masked).not.toMatch(/\d{4}/);
  });
});

describe("luhnValid", () => {
  it.each([
    ["4111111111111111", true],
    ["5555555555554444", true],
    ["378282246310005", true],
    ["4111111111111112", false],
    ["", false],
  ] as const)("%s → %s", (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });
});
