import { describe, expect, it } from "vitest";
import { lintForBrand, lintReplyRequestSchema } from "./lint-api.js";

const brand = { brandName: "Example Co.", ownContacts: ["1-800-555-0100"], clients: ["Mercy Hospital"] };

describe("POST /api/replies/lint logic", () => {
  it("validates the request and defaults the platform", () => {
    expect(lintReplyRequestSchema.parse({ text: "hi" })).toEqual({ text: "hi", platform: "generic" });
    expect(lintReplyRequestSchema.safeParse({ text: "hi", platform: "myspace" }).success).toBe(false);
    expect(lintReplyRequestSchema.safeParse({ platform: "x" }).success).toBe(false);
  });

  it("returns hits with titles, the length and the limit", () => {
    const text = "We're sorry. Mercy Hospital will call you. — Example Co.";
    const response = lintForBrand(lintReplyRequestSchema.parse({ text, platform: "x", brand: "b1" }), brand);
    expect(response).toMatchObject({ ok: false, platform: "x", length: text.length, limit: 280 });
    const b3 = response.violations.find((v) => v.rule === "B3");
    expect(b3).toMatchObject({ title: "Names a creditor, client or debt type", start: 13, end: 27 });
    expect(response.violations.map((v) => v.rule)).toContain("R_PRIVATE_CHANNEL");
  });

  it("passes thread context through", () => {
    const text = "We're sorry to hear this. Please call us at 1-800-555-0100. — Example Co.";
    expect(lintForBrand({ text, platform: "google" }, brand).ok).toBe(true);
    const second = lintForBrand({ text, platform: "google", threadHasPublicReply: true }, brand);
    expect(second.violations.map((v) => v.rule)).toEqual(["B11"]);
  });
});
