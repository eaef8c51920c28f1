import { describe, expect, it } from "vitest";
import { lintReply } from "../../domain/compliance/lint.js";
import { CATEGORIES, PLATFORMS } from "../../domain/taxonomy.js";
import { humanOnlyReasons, needsManager } from "./gate.js";
import {
  chooseTemplate,
  DEFAULT_TEMPLATES,
  formatContact,
  type ReplyTemplate,
  renderTemplate,
} from "./templates.js";

const BRANDS = [
  {
    brand: "Example Co. Customer Care",
    ownContacts: ["1-800-555-0100", "example.com/contact"],
    brandName: "Example Co.",
  },
  {
    brand: "Northwind Recovery Partners Customer Care",
    ownContacts: ["(888) 555-0199", "https://www.northwind-recovery.com/contact-us", "@NorthwindCare"],
    brandName: "Northwind Recovery Partners",
  },
  { brand: "Acme Collections", ownContacts: ["@AcmeHelp"], brandName: "Acme Collections LLC" },
  { brand: "Example Co.", ownContacts: [], brandName: "Example Co." },
];

describe("default templates", () => {
  for (const sample of BRANDS) {
    for (const platform of PLATFORMS) {
      it(`all pass the linter for ${sample.brand} on ${platform}`, () => {
        for (const template of DEFAULT_TEMPLATES) {
          const text = renderTemplate(template.body, {
            brand: sample.brand,
            ownContacts: sample.ownContacts,
          });
          expect(text).not.toMatch(/[{}]/);
          const result = lintReply(text, {
            platform,
            brandName: sample.brandName,
            ownContacts: sample.ownContacts,
            clients: ["Mercy Hospital", "Capital One"],
          });
          expect(
            result.violations.map((v) => `${template.id}: ${v.rule} ${v.message}`),
            text,
          ).toEqual([]);
        }
      });
    }
  }

  it("cover every category, with a short variant for X", () => {
    for (const category of CATEGORIES) {
      expect(chooseTemplate(category, "google")?.id).toBe(`default-${category}`);
      expect(chooseTemplate(category, "x")?.id).toBe(`default-${category}-x`);
    }
  });
});

describe("chooseTemplate", () => {
  const t = (
    id: string,
    category: ReplyTemplate["category"],
    platform: ReplyTemplate["platform"],
  ): ReplyTemplate => ({
    id,
    category,
    platform,
    body: id,
  });
  const library = [
    t("any", "*", "*"),
    t("x-any", "*", "x"),
    t("privacy", "privacy", "*"),
    t("privacy-x", "privacy", "x"),
  ];
  it.each([
    ["privacy", "x", "privacy-x"],
    ["privacy", "reddit", "privacy"],
    ["praise", "x", "x-any"],
    ["praise", "google", "any"],
  ] as const)("%s on %s → %s", (category, platform, id) => {
    expect(chooseTemplate(category, platform, library)?.id).toBe(id);
  });
  it("returns null when nothing matches", () => {
    expect(chooseTemplate("praise", "x", [t("privacy", "privacy", "*")])).toBeNull();
  });
});

describe("renderTemplate", () => {
  it("offers a phone and a web address, or a DM when there is no channel", () => {
    expect(formatContact(["@Care", "care@example.com", "1-800-555-0100", "example.com/contact"])).toBe(
      "1-800-555-0100 or example.com/contact",
    );
    expect(
      renderTemplate("Reach us privately at {contact}. — {brand}", { brand: "B", ownContacts: [] }),
    ).toBe("Reach us privately by direct message. — B");
  });
});

describe("human-only flags", () => {
  it("explain why and what to do instead", () => {
    expect(needsManager(["pii", "regulator"])).toBe(false);
    const reasons = humanOnlyReasons(["attorney", "self_harm", "pii"]);
    expect(reasons.map((r) => r.flag)).toEqual(["attorney", "self_harm"]);
    for (const reason of reasons) {
      expect(reason.why.length).toBeGreaterThan(20);
      expect(reason.instead.length).toBeGreaterThan(20);
    }
  });
});
