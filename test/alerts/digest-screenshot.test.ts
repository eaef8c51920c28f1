// The digest HTML in Chromium at phone width: every section shows, nothing overflows sideways, no script runs.
// The screenshot is kept as a test artifact (test-artifacts/digest-phone.png).
import { mkdirSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DigestData } from "../../src/services/digest/load-digest.js";
import { DIGEST_SECTIONS, renderDigest } from "../../src/services/digest/render-digest.js";

const ARTIFACTS = "test-artifacts";
const base = "https://rapport.example.com";
const post = (id: number, text: string, severity = "high") => ({
  id,
  textMasked: text,
  sourceName: "reddit-main",
  severity,
  category: "communication_tactics",
  reach: 1200,
  createdAt: new Date("2026-03-18T10:00:00Z"),
  link: `${base}/mentions/${id}`,
  url: null,
});

const data: DigestData = {
  brand: { id: 1, name: "Acme Recovery", slug: "acme-recovery" },
  week: "2026-W12",
  start: new Date("2026-03-16T00:00:00Z"),
  end: new Date("2026-03-23T00:00:00Z"),
  partial: false,
  generatedAt: new Date("2026-03-23T12:00:00Z"),
  volume: {
    total: 412,
    relevant: 318,
    previousRelevant: 240,
    change: 0.325,
    byDay: [52, 61, 88, 40, 37, 20, 20].map((relevant, i) => ({ date: `2026-03-${16 + i}`, relevant })),
  },
  categories: [
    {
      category: "communication_tactics",
      count: 120,
      share: 0.38,
      examples: [
        post(
          1,
          "They call me twenty times a day at [PHONE] and at work, even after I asked them to stop. ".repeat(
            3,
          ),
        ),
      ],
    },
    {
      category: "legal_threats",
      count: 64,
      share: 0.2,
      examples: [post(2, "Threatened to garnish my wages over a debt I already paid")],
    },
    { category: "debt_not_owed", count: 40, share: 0.13, examples: [] },
  ],
  sources: [
    { name: "reddit-main", type: "reddit", count: 190 },
    { name: "trustpilot-with-a-rather-long-source-name", type: "trustpilot", count: 80 },
    { name: "x-search", type: "x", count: 48 },
  ],
  spikes: [
    {
      id: 9,
      subject: "Acme Recovery · legal threats on reddit-main",
      startedAt: new Date("2026-03-18T14:00:00Z"),
      lastHourAt: new Date("2026-03-18T16:00:00Z"),
      hours: 3,
      count: 41,
      expected: 3.4,
      highlights: [
        'words: "garnish" (20), "wages" (14), "lawsuit" (9)',
        "links: news.example.org 40% vs 0% usually",
      ],
      feedUrl: `${base}/feed?brand=acme-recovery&category=legal_threats`,
    },
  ],
  response: {
    answered: 201,
    medianFirstResponseMinutes: 95,
    withinSla: 0.82,
    slaDecided: 250,
    openBacklog: 37,
    overdue: 6,
  },
  rightsEvents: [
    { flag: "dispute", count: 12 },
    { flag: "cease_contact", count: 4 },
  ],
  compliance: {
    lintRuns: 140,
    blocked: 9,
    rules: [
      { rule: "B1", count: 6 },
      { rule: "B5", count: 3 },
    ],
  },
  recovery: { judged: 40, recovered: 26, rate: 0.65 },
  notable: [
    post(3, "My attorney will be in touch about these calls", "critical"),
    post(
      4,
      "https://averyveryveryveryverylongdomainname.example.com/path/without/any/spaces/that/could/overflow/the/screen",
    ),
  ],
  links: { feed: `${base}/feed?brand=acme-recovery`, dashboard: `${base}/` },
};

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
  });
});
afterAll(async () => browser?.close());

describe("digest e-mail at phone width", () => {
  it("shows every section without sideways scrolling", async () => {
    const { html } = renderDigest(data);
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      headings: [...document.querySelectorAll("h2")].map((h) => h.textContent),
      scripts: document.querySelectorAll("script").length,
      bars: document.querySelectorAll('td[style*="background:#2f6fed"]').length,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(375);
    expect(layout.headings).toEqual([...DIGEST_SECTIONS]);
    expect(layout.scripts).toBe(0);
    // Seven days, three grievances, three sources.
    expect(layout.bars).toBe(7 + 3 + 3);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/digest-phone.png`, fullPage: true });
    await context.close();
  });
});
