// The rendered digest in Chromium at phone width (390 px): every section shows, nothing scrolls sideways, no
// script runs. Screenshot kept as test-artifacts/digest-phone.png.
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../../test/e2e/browser.js";
import { DIGEST_SECTIONS } from "../../../domain/digest/digest-data.js";
import { sampleDigestData } from "../../../domain/digest/sample-data.js";
import { renderDigest } from "./digest-email.js";

const ARTIFACTS = "test-artifacts";
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("digest e-mail at phone width", () => {
  it("is readable at 390px: all sections, bars, no sideways scroll, no script", async () => {
    const base = sampleDigestData();
    const { html } = renderDigest({
      ...base,
      notable: [
        ...base.notable,
        {
          text: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>',
          source: "X",
          url: null,
        },
        {
          text: `https://${"very".repeat(40)}long.example.com/${"x".repeat(120)}`,
          source: "Reddit",
          url: null,
        },
      ],
    });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      headings: [...document.querySelectorAll("h2")].map((h) => h.textContent),
      scripts: document.querySelectorAll("script").length,
      images: document.querySelectorAll("img").length,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0,
      bars: document.querySelectorAll('td[style*="background:#3f6fd8"]').length,
      columnWidth: (
        document.querySelector('table[style*="max-width:600px"]') as HTMLElement
      ).getBoundingClientRect().width,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.columnWidth).toBeLessThanOrEqual(390);
    expect(layout.headings).toEqual([...DIGEST_SECTIONS]);
    expect(layout.scripts).toBe(0);
    expect(layout.images).toBe(0);
    expect(layout.pwned).toBe(0);
    // Seven days, four grievances, four sources, the in-time bar and the recovery bar.
    expect(layout.bars).toBe(7 + 4 + 4 + 1 + 1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/digest-phone.png`, fullPage: true });

    // The same HTML on a desktop keeps its 600px column.
    await page.setViewportSize({ width: 1024, height: 800 });
    const desktopWidth = await page.evaluate(
      () =>
        (document.querySelector('table[style*="max-width:600px"]') as HTMLElement).getBoundingClientRect()
          .width,
    );
    expect(desktopWidth).toBe(600);
    await context.close();
  });
});
