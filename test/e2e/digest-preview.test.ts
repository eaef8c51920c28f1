// In Chromium at phone width (390 px), in a Los Angeles time zone: the digest preview shows the e-mail as sent
// (its inline styles apply inside the frame under its own policy, no script runs) without sideways scrolling,
// and the queue shows each row's clock with the due time in the viewer's zone.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mentions } from "../../src/db/schema/index.js";
import { formatIsoWeek, isoWeekOf } from "../../src/domain/digest/week.js";
import { insertMention } from "../web/helpers.js";
import { launchChromium, submitLogin } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

const ARTIFACTS = "test-artifacts";
// Near the real time: the browser drops a session cookie that expired by its own clock.
const HOUR = 3_600_000;
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const POSTED = new Date(NOW.getTime() - HOUR);
const OLD = new Date(NOW.getTime() - 7 * 24 * HOUR - 10 * HOUR);
const OLD_WEEK = formatIsoWeek(isoWeekOf(OLD));
/** What app.js shows: the due time in the browser's zone. */
function inLosAngeles(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: "America/Los_Angeles",
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} America/Los_Angeles`;
}
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer({}, () => NOW);
  const posted = POSTED;
  await insertMention(server.ctx, {
    text: 'Calls at work again <img src=x onerror="window.__pwned=1">',
    createdAt: posted,
    fetchedAt: posted,
    category: "communication_tactics",
    severity: "high",
    relevant: true,
    slaDueAt: new Date(posted.getTime() + 240 * 60_000),
  });
  await insertMention(server.ctx, {
    text: "Last week's complaint",
    createdAt: OLD,
    fetchedAt: new Date(OLD.getTime() + 60_000),
    category: "legal_threats",
    severity: "critical",
    relevant: true,
    slaDueAt: new Date(OLD.getTime() + HOUR),
  });
  await server.ctx.deps.db.update(mentions).set({ confidence: 0.95 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page, path: string) {
  await submitLogin(page, server.baseUrl, "manager@example.com", path);
}

describe("digest preview and queue on a phone", () => {
  it("shows the e-mail as sent at 390 px, and the queue's due times in the viewer's zone", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      timezoneId: "America/Los_Angeles",
    });
    const page = await context.newPage();
    await signIn(page, `/digest/preview?brand=acme-recovery&week=${OLD_WEEK}`);
    await page.waitForURL(/\/digest\/preview/);
    const frame = page.frameLocator("iframe.digest-frame");
    await expect(frame.locator("h2").first().textContent()).resolves.toBe("Volume");
    // The e-mail's inline styles apply in the frame (its own policy allows them; the app's does not).
    const h2Size = await frame
      .locator("h2")
      .first()
      .evaluate((el) => getComputedStyle(el).fontSize);
    expect(h2Size).toBe("17px");
    await expect(frame.locator("body").textContent()).resolves.toContain(
      "1 mention this week, vs 0 last week",
    );
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.pwned).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/digest-preview-phone.png`, fullPage: true });

    await page.goto(`${server.baseUrl}/feed?sort=sla`);
    await expect(page.locator("h1").textContent()).resolves.toContain("Queue");
    // Soonest due first: last week's, overdue; then the new one, due in 3 h. Times in the viewer's zone.
    await expect(page.locator("li.mention .due").nth(0).textContent()).resolves.toBe(
      `overdue 7 d 9 h · ${inLosAngeles(new Date(OLD.getTime() + HOUR))}`,
    );
    await expect(page.locator("li.mention .due").nth(1).textContent()).resolves.toBe(
      `due in 3 h · ${inLosAngeles(new Date(POSTED.getTime() + 240 * 60_000))}`,
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}/queue-phone.png`, fullPage: true });
    await context.close();
  }, 60_000);
});
