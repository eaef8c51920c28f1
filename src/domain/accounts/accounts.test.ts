import { describe, expect, it } from "vitest";
import { hmacIdentifier, signWebhook, verifyWebhook } from "./crypto.js";
import { parseAccountsCsv, toStoredAccount } from "./import.js";
import { type AccountCandidate, MIN_LINK_SCORE, suggestLinks } from "./match.js";
import { classifyContact, normalizeEmail, normalizeHandle, normalizePhone } from "./normalize.js";
import { accountStatusNotices, rightsEventsFor } from "./rights.js";

const SECRET = "test-secret-0123456789abcdef0123456789";

describe("normalize", () => {
  it.each([
    ["(555) 123-4567", "+15551234567"],
    ["555.123.4567", "+15551234567"],
    ["+1 555 123 4567", "+15551234567"],
    ["1-555-123-4567", "+15551234567"],
    ["+44 20 7946 0958", "+442079460958"],
    ["12345", null],
  ])("phone %s → %s", (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });
  it("e-mails and handles", () => {
    expect(normalizeEmail(" Jane.Doe@Example.COM ")).toBe("jane.doe@example.com");
    expect(normalizeEmail("not-an-email")).toBeNull();
    expect(normalizeHandle("@JaneDoe_")).toBe("janedoe_");
    expect(normalizeHandle("https://x.com/JaneDoe")).toBe("janedoe");
    expect(normalizeHandle("u/Some_User")).toBe("some_user");
  });
  it("classifies the brand's own contacts", () => {
    expect(classifyContact("1-800-555-0100")).toEqual({ kind: "phone", value: "+18005550100" });
    expect(classifyContact("https://www.Example.com/contact/")).toEqual({
      kind: "url",
      value: "example.com/contact",
    });
    expect(classifyContact("care@example.com")).toEqual({ kind: "email", value: "care@example.com" });
    expect(classifyContact("@ExampleCare")).toEqual({ kind: "handle", value: "examplecare" });
  });
});

describe("hmacIdentifier", () => {
  it("is keyed, deterministic and separates kinds", () => {
    const a = hmacIdentifier(SECRET, "phone", "+15551234567");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hmacIdentifier(SECRET, "phone", "+15551234567")).toBe(a);
    expect(hmacIdentifier(`${SECRET}x`, "phone", "+15551234567")).not.toBe(a);
    expect(hmacIdentifier(SECRET, "reference", "+15551234567")).not.toBe(a);
    expect(a).not.toContain("5551234567");
  });
});

function candidate(overrides: Partial<AccountCandidate> & { accountId: string }): AccountCandidate {
  return { handles: [], phoneHashes: [], emailHashes: [], ...overrides };
}

describe("suggestLinks", () => {
  const jane = candidate({
    accountId: "acc-jane",
    displayName: "Jane Q. Doe",
    state: "OH",
    handles: ["x:janedoe", "jdoe_reviews"],
    phoneHashes: [hmacIdentifier(SECRET, "phone", "+15551234567")],
    emailHashes: [hmacIdentifier(SECRET, "email", "jane@example.org")],
    referenceHash: hmacIdentifier(SECRET, "reference", "ab12345"),
  });
  const other = candidate({
    accountId: "acc-other",
    displayName: "John Roe",
    state: "TX",
    handles: ["johnroe"],
  });

  it("links on an equal handle", () => {
    const [top, ...rest] = suggestLinks(
      { text: "stop calling me", authorHandle: "@JaneDoe", platform: "x" },
      [jane, other],
      SECRET,
    );
    expect(rest).toEqual([]);
    expect(top?.accountId).toBe("acc-jane");
    expect(top?.evidence.map((e) => e.kind)).toEqual(["handle"]);
    expect(top!.score).toBeGreaterThanOrEqual(MIN_LINK_SCORE);
  });

  it("does not match a platform-scoped handle on another platform", () => {
    expect(suggestLinks({ text: "hi", authorHandle: "janedoe", platform: "reddit" }, [jane], SECRET)).toEqual(
      [],
    );
  });

  it("finds phone, e-mail and reference in the text by hash", () => {
    const [top] = suggestLinks(
      {
        text: "Call me at (555) 123-4567 or JANE@example.org about ref AB-12345",
        authorHandle: "someone",
        platform: "x",
      },
      [jane, other],
      SECRET,
    );
    expect(top?.evidence.map((e) => e.kind).sort()).toEqual(["email", "phone", "reference"]);
    expect(top!.score).toBeGreaterThan(0.99);
    expect(JSON.stringify(top?.evidence)).not.toContain("555) 123");
    expect(JSON.stringify(top?.evidence)).not.toContain("AB-12345");
  });

  it("never links on a name alone, even with the state", () => {
    const result = suggestLinks(
      {
        text: "Jane Doe here from Ohio, this company is awful",
        authorName: "Jane Doe",
        authorHandle: "jd1990",
      },
      [jane],
      SECRET,
    );
    expect(result).toEqual([]);
  });

  it("a name corroborates a handle", () => {
    const [top] = suggestLinks(
      { text: "awful", authorName: "Jane Doe", authorHandle: "jdoe_reviews" },
      [jane],
      SECRET,
    );
    expect(top?.evidence.map((e) => e.kind)).toEqual(["handle", "name"]);
    expect(top!.score).toBeGreaterThan(0.7);
  });

  it("ignores short numbers and returns nothing for unrelated posts", () => {
    expect(suggestLinks({ text: "waited 45 minutes on hold, 2024 was bad" }, [jane, other], SECRET)).toEqual(
      [],
    );
  });
});

describe("rightsEventsFor", () => {
  it("maps only rights flags, dated when the consumer spoke", () => {
    const events = rightsEventsFor(
      ["pii", "attorney", "dispute", "self_harm", "dispute"],
      "2026-03-01T10:00:00Z",
    );
    expect(events).toEqual([
      { flag: "dispute", type: "dispute_raised", occurredAt: "2026-03-01T10:00:00.000Z" },
      { flag: "attorney", type: "attorney_representation_claimed", occurredAt: "2026-03-01T10:00:00.000Z" },
    ]);
    expect(rightsEventsFor(["praise"], new Date())).toEqual([]);
    expect(() => rightsEventsFor(["dispute"], "not a date")).toThrow(RangeError);
  });
  it("explains account statuses that forbid a reply", () => {
    const notices = accountStatusNotices(["attorney_represented", "cease_contact"]);
    expect(notices.map((n) => n.status)).toEqual(["cease_contact", "attorney_represented"]);
    expect(notices[1]?.notice).toMatch(/attorney/);
  });
});

describe("parseAccountsCsv", () => {
  it("parses, normalizes and validates with line numbers", () => {
    const csv = [
      "Reference,Display Name,Phones,Emails,Social Handles,Client,State,Status",
      'A-1001,Jane Doe,"(555) 123-4567; 555.987.6543",Jane@Example.org,x:@JaneDoe|jdoe,Mercy Hospital,oh,"dispute_open, cease_contact"',
      "A-1002,John Roe,12,not-an-email,,Acme,ZZ,",
      ",Nobody,,,,,,",
      "A-1003,Ann Lee,,,,,,attorney represented",
      "a1001,Dup,,,,,,",
      "A-1004,Bad Status,,,,,,bankrupt",
    ].join("\n");
    const { rows, errors } = parseAccountsCsv(csv);
    expect(rows.map((r) => r.reference)).toEqual(["A-1001", "A-1003"]);
    expect(rows[0]).toMatchObject({
      displayName: "Jane Doe",
      phones: ["+15551234567", "+15559876543"],
      emails: ["jane@example.org"],
      handles: ["x:janedoe", "jdoe"],
      client: "Mercy Hospital",
      state: "OH",
      status: ["dispute_open", "cease_contact"],
      line: 2,
    });
    expect(rows[1]?.status).toEqual(["attorney_represented"]);
    expect(errors).toEqual([
      { line: 3, field: "phones", message: '"12" is not a phone number' },
      { line: 3, field: "emails", message: '"not-an-email" is not an e-mail address' },
      { line: 3, field: "state", message: "state must be a two-letter US state code" },
      { line: 4, field: "reference", message: "reference is required" },
      { line: 6, field: "reference", message: "duplicate reference (first on line 2)" },
      {
        line: 7,
        field: "status",
        message: "unknown status; expected any of dispute_open, cease_contact, attorney_represented",
      },
    ]);
  });

  it("accepts yes/no status columns and rejects a file without references", () => {
    const { rows, errors } = parseAccountsCsv("ref,name,cease_contact,attorney_represented\nR1,A B,yes,0\n");
    expect(errors).toEqual([]);
    expect(rows[0]?.status).toEqual(["cease_contact"]);
    expect(parseAccountsCsv("name,phone\nA,555-123-4567\n").errors[0]).toMatchObject({
      line: 1,
      field: "reference",
    });
    expect(parseAccountsCsv('reference\n"unterminated\n').errors[0]?.message).toMatch(/not valid CSV/);
  });

  it("stores phones and e-mails only as keyed hashes", () => {
    const { rows } = parseAccountsCsv("reference,phones,emails\nR-77,555-123-4567,a@b.co\n");
    const stored = toStoredAccount(rows[0]!, SECRET);
    expect(JSON.stringify(stored)).not.toContain("5551234567");
    expect(JSON.stringify(stored)).not.toContain("a@b.co");
    expect(stored.phoneHashes).toEqual([hmacIdentifier(SECRET, "phone", "+15551234567")]);
    const [match] = suggestLinks(
      { text: "my number is 555 123 4567" },
      [{ accountId: "x", ...stored }],
      SECRET,
    );
    expect(match?.evidence[0]?.kind).toBe("phone");
  });
});

describe("webhook signatures", () => {
  const body = JSON.stringify({ type: "dispute_raised", accountReference: "A-1001" });
  it("round-trips and rejects tampering, wrong secrets and stale timestamps", () => {
    const header = signWebhook(SECRET, 1_700_000_000, body);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, header, body, { nowSeconds: 1_700_000_100 })).toEqual({
      ok: true,
      timestamp: 1_700_000_000,
    });
    expect(verifyWebhook(SECRET, header, `${body} `, { nowSeconds: 1_700_000_100 })).toMatchObject({
      ok: false,
      reason: "signature mismatch",
    });
    expect(verifyWebhook("other-secret", header, body, { nowSeconds: 1_700_000_100 }).ok).toBe(false);
    expect(verifyWebhook(SECRET, header, body, { nowSeconds: 1_700_001_000 })).toMatchObject({
      ok: false,
      reason: "timestamp outside the tolerance window",
    });
    expect(verifyWebhook(SECRET, "garbage", body, { nowSeconds: 1_700_000_000 }).ok).toBe(false);
    expect(verifyWebhook(SECRET, undefined, body, { nowSeconds: 1_700_000_000 }).ok).toBe(false);
  });
  it("accepts any of several v1 signatures (secret rotation)", () => {
    const good = signWebhook(SECRET, 1_700_000_000, body).split(",")[1];
    const header = `t=1700000000,v1=${"0".repeat(64)},${good}`;
    expect(verifyWebhook(SECRET, header, body, { nowSeconds: 1_700_000_000 }).ok).toBe(true);
  });
});
