// A reputation manager's morning in a real browser (Debian's Chromium through playwright-core), on a desktop
// (1440 px) and a phone (390 px): My work leads Today and its numbers are on the Today link of every page; feed
// rows are two lines that expand from the keyboard; an action shows a toast whose Undo puts things back; "needs a
// person" asks in the page (labelled, Tab kept inside, Escape cancels); the sort control keeps the filters; a
// decision on a mention opened from the list goes on to the next one.
import { eq, inArray } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mentions } from "../../src/db/schema/index.js";
import { insertMention } from "../web/helpers.js";
import { launchChromium, seriousAxeViolations, submitLogin } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const nativeDialogs: string[] = [];

const LONG =
  "Acme Recovery called my workplace four times this week about a debt I already paid in March. " +
  "I sent the bank statement twice, I asked them in writing to stop calling me at work, and yesterday the agent " +
  "told my manager I was being sued. This is humiliating and I want it in writing that the account is closed.";

async function signIn(p: Page, role: string, path: string) {
  await submitLogin(p, server.baseUrl, `${role}@example.com`, path);
  await p.waitForURL((url) => !url.pathname.startsWith("/login"));
}

async function statuses(ids: number[]) {
  const rows = await server.ctx.deps.db
    .select({ id: mentions.id, status: mentions.status })
    .from(mentions)
    .where(inArray(mentions.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

/** axe-core on the page as it is now (with a toast, a dialog, an expanded row): no serious or critical finding. */
async function noSeriousAxe(p: Page) {
  const found = (await seriousAxeViolations(p)).map(
    (v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(found).toEqual([]);
}

async function noSidewaysScroll(p: Page) {
  const widths = await p.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    view: document.documentElement.clientWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.view);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(width: number, height: number) {
  await context?.close();
  nativeDialogs.length = 0;
  context = await browser.newContext({ viewport: { width, height } });
  page = await context.newPage();
  page.on("dialog", (dialog) => {
    nativeDialogs.push(dialog.message());
    void dialog.dismiss();
  });
}

describe.each([
  ["desktop", 1440, 900],
  ["phone", 390, 844],
] as const)("the day on a %s", (viewport, width, height) => {
  beforeEach(async () => {
    await openPage(width, height);
  });

  it("Today leads with My work, and the Today link carries its numbers on every page", async () => {
    const tag = `mywork-${viewport}`;
    const late = await insertMention(server.ctx, {
      text: `${tag}: late and mine`,
      relevant: true,
      severity: "high",
      category: "communication_tactics",
      slaDueAt: new Date(Date.now() - 3_600_000),
      fetchedAt: new Date(Date.now() - 7_200_000),
    });
    const later = await insertMention(server.ctx, {
      text: `${tag}: mine, due later`,
      relevant: true,
      severity: "low",
      category: "payment_service",
      slaDueAt: new Date(Date.now() + 3_600_000),
    });
    await server.ctx.deps.db
      .update(mentions)
      .set({ assigneeId: server.ctx.users.responder.id })
      .where(inArray(mentions.id, [late, later]));
    const [mine] = await server.ctx.deps.db.all<{ n: number }>(
      `SELECT count(*) AS n FROM mentions WHERE assignee_id = ${server.ctx.users.responder.id} AND status NOT IN ('posted', 'resolved', 'dismissed')`,
    );
    const assigned = Number(mine!.n);

    await signIn(page, "responder", "/");
    const section = page.locator('[data-testid="my-work"]');
    await expect(section.locator("h2").textContent()).resolves.toBe("My work");
    // First on the page, before the figures and the charts.
    const first = await page.evaluate(() => {
      const main = document.querySelector("main")!;
      const work = main.querySelector('[data-testid="my-work"]')!;
      const counts = main.querySelector(".counts:not(.my-work .counts)")!;
      return Boolean(work.compareDocumentPosition(counts) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(first).toBe(true);
    await expect(page.locator("#my-assigned b").textContent()).resolves.toBe(String(assigned));
    expect(await section.locator(`li.mention[data-id="${late}"]`).count()).toBe(1);
    const badge = page.locator('nav a[href="/"] .nav-badge');
    await expect(badge.locator("b").textContent()).resolves.toBe(String(assigned));
    expect(await badge.getAttribute("class")).toContain("alert"); // something of mine is overdue
    await noSidewaysScroll(page);
    await noSeriousAxe(page);
    await page.screenshot({ path: `test-artifacts/today-my-work-${viewport}.png`, fullPage: true });

    // On the feed, the page does not count them: app.js fills the same badge.
    await page.goto(`${server.baseUrl}/feed`);
    await page.locator('nav a[href="/"] .nav-badge[data-my-work="filled"]').waitFor({ state: "attached" });
    await expect(badge.locator("b").textContent()).resolves.toBe(String(assigned));
    // Read out in words: what the number counts.
    await expect(badge.locator(".sr-only").textContent()).resolves.toMatch(
      new RegExp(
        `^ \\(${assigned} assigned to you, [1-9]\\d* of yours overdue; [1-9]\\d* mentions? in all\\)$`,
      ),
    );
  }, 60_000);

  it("rows are two lines that expand from the keyboard; d shows a toast whose Undo puts it back", async () => {
    const tag = `rows${viewport}`;
    const long = await insertMention(server.ctx, {
      text: `${tag} ${LONG} ${LONG} ${LONG}`,
      category: "written_notice",
    });
    const short = await insertMention(server.ctx, { text: `${tag} portal down`, category: "written_notice" });
    await signIn(page, "responder", `/feed?q=${tag}`);
    const longText = page.locator(`li.mention[data-id="${long}"] .text`);
    const more = page.locator(`li.mention[data-id="${long}"] button.more`);
    await more.waitFor();
    expect(await page.locator(`li.mention[data-id="${short}"] button.more`).isVisible()).toBe(false);
    const lineHeight = await longText.evaluate((el) => Number.parseFloat(getComputedStyle(el).lineHeight));
    const clamped = (await longText.boundingBox())!.height;
    expect(clamped).toBeLessThanOrEqual(lineHeight * 2 + 2);
    // The search's word is marked.
    await expect(longText.locator("mark").first().textContent()).resolves.toBe(tag);
    await more.focus();
    await page.keyboard.press("Enter");
    await expect(more.getAttribute("aria-expanded")).resolves.toBe("true");
    expect((await longText.boundingBox())!.height).toBeGreaterThan(clamped + lineHeight);
    await noSidewaysScroll(page);

    // Dismiss the short one with the keyboard; the toast says what happened and offers Undo.
    await page.locator(`li.mention[data-id="${short}"] .meta`).click();
    await page.keyboard.press("d");
    const toast = page.locator(".toasts .toast");
    await expect(toast.locator("span").first().textContent()).resolves.toBe(`Dismissed mention ${short}`);
    expect(await statuses([short])).toEqual({ [short]: "dismissed" });
    await noSeriousAxe(page);
    const box = (await toast.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    await Promise.all([
      page.waitForURL(/undone=/).catch(() => undefined),
      toast.locator("button.undo").click(),
    ]);
    await page.locator(".toasts .action-notice").waitFor();
    await expect(page.locator(".toasts .action-notice .action-summary").textContent()).resolves.toBe(
      `Undone: dismissed mention ${short}.`,
    );
    expect(await statuses([short])).toEqual({ [short]: "new" });
    // The address no longer says it: a reload does not repeat the notice.
    expect(page.url()).not.toContain("undone=");
    expect(nativeDialogs).toEqual([]);
  }, 60_000);
});

describe("the day on a desktop", () => {
  beforeEach(async () => {
    await openPage(1440, 900);
  });

  it("a bulk action confirms what it did, and its Undo restores each mention's own status", async () => {
    const a = await insertMention(server.ctx, { text: "bulk-undo a", status: "triaged" });
    const b = await insertMention(server.ctx, { text: "bulk-undo b" });
    await signIn(page, "manager", "/feed?q=bulk-undo");
    for (const id of [a, b]) await page.check(`li.mention[data-id="${id}"] input[type="checkbox"]`);
    await page.selectOption('select[name="action"]', "status:escalated");
    await Promise.all([page.waitForLoadState("load"), page.click('form#bulk button[type="submit"]')]);
    const notice = page.locator(".toasts .action-notice");
    await expect(notice.locator(".action-summary").textContent()).resolves.toBe("Escalated 2 mentions.");
    expect(await statuses([a, b])).toEqual({ [a]: "escalated", [b]: "escalated" });
    await Promise.all([page.waitForLoadState("load"), notice.locator("button.undo").click()]);
    await expect(page.locator(".toasts .action-notice .action-summary").textContent()).resolves.toBe(
      "Undone: escalated 2 mentions.",
    );
    expect(await statuses([a, b])).toEqual({ [a]: "triaged", [b]: "new" });
  }, 60_000);

  it("'needs a person' asks in the page: labelled, Tab stays inside, Escape cancels and gives the focus back", async () => {
    const attorney = await insertMention(server.ctx, {
      text: "ask-dialog: my attorney will contact you",
      flags: ["attorney"],
      category: "legal_threats",
    });
    await signIn(page, "responder", "/feed?q=ask-dialog");
    const row = page.locator(`li.mention[data-id="${attorney}"]`);
    await row.locator(".meta").click();
    await page.keyboard.press("d");
    const dialog = page.locator("dialog.ask[open]");
    await dialog.waitFor();
    const labelledBy = await dialog.getAttribute("aria-labelledby");
    await expect(page.locator(`#${labelledBy}`).textContent()).resolves.toBe(
      "Dismiss a post that needs a person?",
    );
    await expect(dialog.textContent()).resolves.toContain("This post is flagged attorney and needs a person");
    await noSeriousAxe(page);
    // Focus starts on Cancel and stays in the dialog.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest("dialog.ask")))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-id"))).toBe(String(attorney));
    expect(await statuses([attorney])).toEqual({ [attorney]: "new" });
    expect(nativeDialogs).toEqual([]);
  }, 60_000);

  it("the sort control keeps the filters; a decision from a mention opened from the list goes on to the next", async () => {
    const ids: number[] = [];
    for (const [i, severity] of (["low", "critical", "medium"] as const).entries())
      ids.push(
        await insertMention(server.ctx, {
          text: `sort-next ${i}`,
          severity,
          category: "other_collections",
          createdAt: new Date(Date.now() - (10 - i) * 60_000),
        }),
      );
    await signIn(page, "responder", "/feed?q=sort-next&category=other_collections");
    await Promise.all([
      page.waitForURL(/sort=severity/),
      page.click('nav.queue-sort a:has-text("Most severe first")'),
    ]);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: "sort-next",
      category: "other_collections",
      sort: "severity",
    });
    const order = await page
      .locator("ol.mentions > li.mention")
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-id"))));
    expect(order).toEqual([ids[1], ids[2], ids[0]]);
    await expect(page.locator("#result-count b").textContent()).resolves.toBe(
      "3 mentions match these filters",
    );

    // Open the first, escalate it: on to the second, with the toast.
    await Promise.all([
      page.waitForURL(/\/mentions\/\d+\?from=/),
      page.click(`li.mention[data-id="${ids[1]}"] a.open`),
    ]);
    await Promise.all([
      page.waitForURL(new RegExp(`/mentions/${ids[2]}\\?from=`)),
      page.click('form:has(input[name="status"][value="escalated"]) button[type="submit"]'),
    ]);
    await expect(page.locator(".toasts .action-notice .action-summary").textContent()).resolves.toBe(
      `Escalated mention ${ids[1]}.`,
    );
    const [row] = await server.ctx.deps.db.select().from(mentions).where(eq(mentions.id, ids[1]!));
    expect(row!.status).toBe("escalated");
    await Promise.all([
      page.waitForURL(new RegExp(`/mentions/${ids[0]}\\?from=`)),
      page.click("#next-in-list"),
    ]);
  }, 60_000);
});
