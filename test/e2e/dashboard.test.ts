// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real server.
import { mkdirSync } from "node:fs";
import { and, eq, inArray } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mentions, savedViews } from "../../src/db/schema/index.js";
import { insertMention, PASSWORD } from "../web/helpers.js";
import { launchChromium, submitLogin } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

const ARTIFACTS = "test-artifacts";
const HOUR = 3_600_000;

let clockOffset = 0;
const now = () => new Date(Date.now() + clockOffset);

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
let ids: Record<string, number> = {};

async function seed() {
  const ctx = server.ctx;
  const t = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  ids = {
    xss: await insertMention(ctx, {
      text: `<script>window.__pwned=1;alert("script")</script> and <img src=x onerror="window.__pwned=2;alert('img')">`,
      authorHandle: `"><img src=x onerror=alert(3)>`,
      createdAt: t(1),
      relevant: true,
      severity: "high",
      category: "communication_tactics",
    }),
    pii: await insertMention(ctx, {
      text: "Acme Recovery called my boss and read my SSN 123-45-6789 aloud",
      textMasked: "Acme Recovery called my boss and read my SSN [ssn] aloud",
      createdAt: t(2),
      relevant: true,
      severity: "critical",
      category: "privacy",
      slaDueAt: t(-60),
    }),
    lawsuit: await insertMention(ctx, {
      text: "Acme Collections threatened a lawsuit over a debt I never owed",
      sourceId: ctx.otherSourceId,
      createdAt: t(3),
      relevant: true,
      severity: "high",
      category: "legal_threats",
    }),
  };
  for (let i = 0; i < 12; i++) {
    ids[`m${i}`] = await insertMention(ctx, {
      text: `Routine mention ${i} about Acme Recovery payment portal`,
      createdAt: t(10 + i),
      relevant: true,
      severity: i % 2 ? "low" : "medium",
      category: "payment_service",
    });
  }
}

async function signIn(p: Page, role: string, path = "/") {
  await submitLogin(p, server.baseUrl, `${role}@example.com`, path);
}

async function statusOf(id: number) {
  const [row] = await server.ctx.deps.db
    .select({ status: mentions.status, assigneeId: mentions.assigneeId })
    .from(mentions)
    .where(eq(mentions.id, id));
  return row!;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer({ SESSION_TTL_HOURS: "1" }, now);
  await seed();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  clockOffset = 0;
  await context?.close();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

describe("dashboard in Chromium", () => {
  it("logs in, shows Today with charts, and keeps mention payloads inert", async () => {
    await signIn(page, "manager");
    await page.waitForURL(`${server.baseUrl}/`);
    await expect(page.locator("h1").first().textContent()).resolves.toContain("Today");
    expect(await page.locator("figure.chart > svg").count()).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}/today.png`, fullPage: true });
    await page.goto(`${server.baseUrl}/feed`);
    await page.screenshot({ path: `${ARTIFACTS}/feed.png`, fullPage: true });
    await page.goto(`${server.baseUrl}/mentions/${ids.xss}`);
    await page.screenshot({ path: `${ARTIFACTS}/mention.png`, fullPage: true });
    // The payload is shown as text, never run.
    await expect(page.locator(".fullText").textContent()).resolves.toContain("<script>window.__pwned=1;");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator(".fullText img, .fullText script, .meta img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    for (const path of ["/sources", "/users", "/audit", "/account"]) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.screenshot({ path: `${ARTIFACTS}${path}.png`, fullPage: true });
    }
  }, 60_000);

  it("triages a page of the feed with the keyboard only", async () => {
    await signIn(page, "responder", "/feed?category=payment_service");
    await page.waitForURL(/\/feed\?category=payment_service/);
    const rows = page.locator("ol.mentions > li.mention");
    expect(await rows.count()).toBe(12);
    const first = Number(await rows.nth(0).getAttribute("data-id"));
    const second = Number(await rows.nth(1).getAttribute("data-id"));
    const third = Number(await rows.nth(2).getAttribute("data-id"));
    await page.keyboard.press("j");
    await expect(rows.nth(0).getAttribute("class")).resolves.toContain("current");
    await page.keyboard.press("a"); // assign the first to me, moves on
    await page.locator(`li.mention[data-id="${first}"] .assignee:not(.unassigned)`).waitFor();
    await page.keyboard.press("d"); // dismiss the second
    await page.locator(`li.mention[data-id="${second}"][data-status="dismissed"]`).waitFor();
    await page.keyboard.press("e"); // escalate the third
    await page.locator(`li.mention[data-id="${third}"][data-status="escalated"]`).waitFor();
    await page.keyboard.press("k");
    await expect(rows.nth(2).getAttribute("class")).resolves.toContain("current");
    await page.keyboard.press("?");
    await expect(page.locator("#keys-help").isVisible()).resolves.toBe(true);
    await page.keyboard.press("Escape");
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");
    await page.keyboard.press("Escape");
    await page.keyboard.press("o");
    await page.waitForURL(new RegExp(`/mentions/${third}\\?from=category%3Dpayment_service$`));
    await page.keyboard.press("r");
    await page.waitForURL(new RegExp(`/mentions/${third}/reply$`));

    const responderId = server.ctx.users.responder.id;
    expect(await statusOf(first)).toEqual({ status: "new", assigneeId: responderId });
    expect((await statusOf(second)).status).toBe("dismissed");
    expect((await statusOf(third)).status).toBe("escalated");
  }, 60_000);

  it("filters, searches and saves a view", async () => {
    await signIn(page, "manager", "/feed");
    await page.waitForURL(/\/feed$/);
    await page.selectOption('select[name="source"]', "reviews");
    await page.click('form#filters button[type="submit"]');
    await page.waitForURL(/source=reviews/);
    expect(await page.locator("ol.mentions > li.mention").count()).toBe(1);
    await page.goto(`${server.baseUrl}/feed`);
    await page.keyboard.press("/");
    await page.keyboard.type("lawsu");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=lawsu/);
    const texts = await page.locator("ol.mentions > li.mention .text").allTextContents();
    expect(texts).toEqual(["Acme Collections threatened a lawsuit over a debt I never owed"]);
    await page.fill('input[name="name"]', "Lawsuits");
    await page.click('.saved-views button[type="submit"]');
    await page.waitForURL(/\/feed\?q=lawsu/);
    const views = await server.ctx.deps.db
      .select()
      .from(savedViews)
      .where(eq(savedViews.userId, server.ctx.users.manager.id));
    expect(views.map((v) => [v.name, v.query])).toEqual([["Lawsuits", { q: "lawsu" }]]);
    await page.goto(`${server.baseUrl}/feed`);
    await page.click('a.count:has-text("Lawsuits")');
    await page.waitForURL(/q=lawsu/);
    expect(await page.locator("ol.mentions > li.mention").count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/feed-filtered.png`, fullPage: true });
  }, 60_000);

  it("bulk-dismisses selected mentions", async () => {
    await signIn(page, "manager", "/feed?category=payment_service&status=new");
    await page.waitForURL(/status=new/);
    const rows = page.locator("ol.mentions > li.mention");
    const before = await rows.count();
    const picked = [
      Number(await rows.nth(0).getAttribute("data-id")),
      Number(await rows.nth(1).getAttribute("data-id")),
    ];
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    await page.selectOption('select[name="action"]', "status:dismissed");
    await page.click('form#bulk button[type="submit"]');
    await page.waitForLoadState("load");
    expect(await rows.count()).toBe(before - 2);
    const rowsAfter = await server.ctx.deps.db
      .select({ status: mentions.status })
      .from(mentions)
      .where(inArray(mentions.id, picked));
    expect(rowsAfter.map((r) => r.status)).toEqual(["dismissed", "dismissed"]);
  }, 60_000);

  it("a viewer cannot change anything nor see unmasked PII", async () => {
    await signIn(page, "viewer", "/feed");
    await page.waitForURL(/\/feed$/);
    const html = await page.content();
    expect(html).not.toContain("123-45-6789");
    expect(html).toContain("[ssn]");
    expect(await page.locator("form#bulk").count()).toBe(0);
    const before = await statusOf(ids.pii!);
    await page.keyboard.press("j");
    await page.keyboard.press("d"); // not a viewer's key (test/e2e/guards.test.ts): nothing is sent
    await page.evaluate(() => fetch("/healthz"));
    expect(await page.locator(".toast").count()).toBe(0);
    await page.goto(`${server.baseUrl}/mentions/${ids.pii}`);
    expect(await page.content()).not.toContain("123-45-6789");
    expect(await page.locator("#correction, .actions form").count()).toBe(0);
    const status = await page.evaluate(async (id) => {
      const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
      const res = await fetch("/api/mentions/status", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ ids: [id], status: "dismissed" }),
      });
      return res.status;
    }, ids.pii!);
    expect(status).toBe(403);
    expect(await statusOf(ids.pii!)).toEqual(before);
    await page.screenshot({ path: `${ARTIFACTS}/viewer-mention.png`, fullPage: true });
  }, 60_000);

  it("sends an expired session to the login and back to where you were", async () => {
    await signIn(page, "responder", "/feed?severity=critical");
    await page.waitForURL(/severity=critical/);
    clockOffset = 2 * HOUR; // past SESSION_TTL_HOURS=1
    await page.goto(`${server.baseUrl}/feed?status=new&severity=high`);
    await page.waitForURL(/\/login\?next=/);
    expect(decodeURIComponent(new URL(page.url()).searchParams.get("next")!)).toBe(
      "/feed?status=new&severity=high",
    );
    await page.fill('input[name="email"]', "responder@example.com");
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${server.baseUrl}/feed?status=new&severity=high`);
    expect(await page.locator("h1").first().textContent()).toBe("Feed");
    // A keyboard action after expiry also lands on the login page with the way back.
    clockOffset = 4 * HOUR;
    await page.keyboard.press("j");
    await page.keyboard.press("d");
    await page.waitForURL(/\/login\?next=/);
    const [row] = await server.ctx.deps.db
      .select()
      .from(mentions)
      .where(and(eq(mentions.severity, "high"), eq(mentions.status, "new")));
    expect(row).toBeDefined();
  }, 60_000);
});
