import { describe, expect, it } from "vitest";
import { detectPii, luhnValid, maskFor, maskPii, type PiiKind } from "./masking.js";

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

describe("maskFor: one policy per destination", () => {
  const post = "Reach me at jo@x.io or 555-123-4567. Ticket 1234 5678 90, Midland sent 4 letters — @JaneDoe";

  it("stores the detectors' labels and keeps unrecognised numbers", () => {
    expect(maskFor("stored", post)).toBe(
      "Reach me at [EMAIL] or [PHONE]. Ticket 1234 5678 90, Midland sent 4 letters — @JaneDoe",
    );
  });

  it.each(["slack", "email"] as const)("%s also masks runs of 6+ digits", (destination) => {
    expect(maskFor(destination, "ticket 1234 5678 90 and 2026")).toBe("ticket [NUMBER] and 2026");
  });

  it("claude also masks runs of 4+ digits, client names and the poster's names", () => {
    expect(maskFor("claude", post, { clients: ["Midland"], names: ["@JaneDoe", null] })).toBe(
      "Reach me at [EMAIL] or [PHONE]. Ticket [NUMBER], [CLIENT] sent 4 letters — [NAME]",
    );
  });

  it("is idempotent, so masking text that was masked before changes nothing", () => {
    for (const destination of ["stored", "slack", "email", "claude"] as const) {
      const once = maskFor(destination, post, { clients: ["Midland"] });
      expect(maskFor(destination, once, { clients: ["Midland"] })).toBe(once);
    }
  });
});

describe("detectPii on hostile text", () => {
  it("finds an e-mail after a long run of word characters, and none in a run without '@'", () => {
    const run = "a".repeat(50_000);
    expect(detectPii(run)).toEqual([]);
    expect(maskPii(`${run}b@example.com`).masked).toBe(`${"a".repeat(50_000 - 63)}[EMAIL]`);
  });

  it("keeps earlier detectors' hits when later ones overlap, across thousands of hits", () => {
    const text = "call 555-123-4567 or jo@x.io ".repeat(5_000);
    const hits = detectPii(text);
    expect(hits).toHaveLength(10_000);
    expect(hits.filter((h) => h.kind === "email")).toHaveLength(5_000);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.start).toBeGreaterThanOrEqual(hits[i - 1]!.end);
  });
});
