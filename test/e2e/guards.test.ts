// Guards in a real browser (Debian's Chromium through playwright-core): dismissing a post that needs a person
// asks first, in the page, and names why (key d, the bulk bar, the mention page), a viewer is offered no action key, and an
// admin adds sources of any type from forms generated from the connectors' config schemas.
import { readFileSync } from "node:fs";
import { eq, inArray } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mentions, sources } from "../../src/db/schema/index.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import { insertMention } from "../web/helpers.js";
import { launchChromium, submitLogin } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

let server: RunningServer;
let feed: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** What each in-page question said; the browser's own dialogs must never show (nativeDialogs). */
const dialogs: string[] = [];
const nativeDialogs: string[] = [];
const statusRequests: string[] = [];

async function signIn(p: Page, role: string, path: string) {
  await submitLogin(p, server.baseUrl, `${role}@example.com`, path);
  await p.waitForURL((url) => !url.pathname.startsWith("/login"));
}

async function statuses(ids: number[]) {
  const rows = await server.ctx.deps.db
    .select({ id: mentions.id, status: mentions.status })
    .from(mentions)
    .where(inArray(mentions.id, ids))
    .orderBy(mentions.id);
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

/** A round trip through the page: any fetch a key press started has been sent by the time it returns. */
async function settle(p: Page) {
  await p.evaluate(() => fetch("/healthz").then((r) => r.status));
}

/**
 * Answers the page's own question (an in-page <dialog>, no browser confirm()): records what it said, then
 * confirms or cancels. It can come only after the server's 409 has arrived for a hidden near-duplicate.
 */
async function answer(p: Page, accept: boolean): Promise<string> {
  const dialog = p.locator("dialog.ask[open]");
  await dialog.waitFor({ timeout: 10_000 });
  const text = (await dialog.textContent()) ?? "";
  dialogs.push(text);
  // The safe answer has the focus: Enter alone would cancel.
  await expect(p.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Cancel");
  if (accept) await dialog.locator("button.primary").click();
  else await p.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  // Then a round trip after the answer, so whatever the page sends on Cancel has been sent before checking.
  await settle(p);
  return text;
}

beforeAll(async () => {
  server = await startServer();
  const xml = readFileSync("test/fixtures/rss/rss2.xml", "utf8");
  feed = await startHttpServer((_req, res) => {
    res.setHeader("content-type", "application/rss+xml");
    res.end(xml);
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await feed?.close();
});

beforeEach(async () => {
  // Close the last test's page first: a dialog it still had coming must not land in this test's list.
  await context?.close();
  dialogs.length = 0;
  nativeDialogs.length = 0;
  statusRequests.length = 0;
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => {
    nativeDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("request", (request) => {
    if (request.url().endsWith("/api/mentions/status")) statusRequests.push(request.postData() ?? "");
  });
});

describe("guards in Chromium", () => {
  it("d on a self-harm post asks, names why, and dismisses only when confirmed", async () => {
    const selfHarm = await insertMention(server.ctx, {
      text: "These calls make me want to end it all",
      flags: ["self_harm"],
      severity: "critical",
      category: "communication_tactics",
      relevant: true,
    });
    await signIn(page, "responder", `/feed?flag=self_harm`);
    const row = page.locator(`li.mention[data-id="${selfHarm}"]`);
    await expect(row.locator(".human-only").textContent()).resolves.toBe("needs a person");
    await page.keyboard.press("j");
    await page.keyboard.press("d");
    await answer(page, false);
    expect(dialogs[0]).toContain("This post is flagged self-harm and needs a person");
    expect(dialogs[0]).toContain("Dismissing or resolving it without a reply removes it from the queue");
    expect(statusRequests).toEqual([]);
    expect(await statuses([selfHarm])).toEqual({ [selfHarm]: "new" });

    await page.keyboard.press("d");
    await answer(page, true);
    await page.locator(`li.mention[data-id="${selfHarm}"][data-status="dismissed"]`).waitFor();
    expect(JSON.parse(statusRequests[0]!)).toEqual({
      ids: [selfHarm],
      status: "dismissed",
      confirmHumanOnly: true,
    });
    expect(await statuses([selfHarm])).toEqual({ [selfHarm]: "dismissed" });
  }, 60_000);

  it("d on a row whose hidden near-duplicate needs a person asks with the server's reason, then dismisses both", async () => {
    const head = await insertMention(server.ctx, {
      text: "Acme Recovery keeps calling my work about a debt",
      severity: "high",
      category: "communication_tactics",
      relevant: true,
    });
    const duplicate = await insertMention(server.ctx, {
      text: "Acme Recovery keeps calling my work about a debt. My lawyer will be in touch",
      flags: ["attorney"],
      severity: "high",
      category: "communication_tactics",
      relevant: true,
      groupId: head,
    });
    await signIn(page, "responder", "/feed?category=communication_tactics");
    const row = page.locator(`li.mention[data-id="${head}"]`);
    await row.click();
    await page.keyboard.press("d");
    await answer(page, false);
    expect(dialogs[0]).toContain("This post is flagged attorney and needs a person");
    expect(await statuses([head, duplicate])).toEqual({ [head]: "new", [duplicate]: "new" });

    await page.keyboard.press("d");
    await answer(page, true);
    await page.locator(`li.mention[data-id="${head}"][data-status="dismissed"]`).waitFor();
    expect(JSON.parse(statusRequests.at(-1)!)).toEqual({
      ids: [head],
      status: "dismissed",
      confirmHumanOnly: true,
    });
    expect(await statuses([head, duplicate])).toEqual({ [head]: "dismissed", [duplicate]: "dismissed" });
  }, 60_000);

  it("the bulk bar asks before dismissing a selection with an attorney post; cancel keeps both", async () => {
    const plain = await insertMention(server.ctx, {
      text: "bulk guard: portal down",
      category: "payment_service",
    });
    const attorney = await insertMention(server.ctx, {
      text: "bulk guard: my attorney handles this now",
      flags: ["attorney"],
      category: "payment_service",
    });
    await signIn(page, "manager", "/feed?q=bulk+guard");
    for (const id of [plain, attorney])
      await page.check(`li.mention[data-id="${id}"] input[type="checkbox"]`);
    await page.selectOption('select[name="action"]', "status:dismissed");
    await page.click('form#bulk button[type="submit"]');
    await answer(page, false);
    expect(dialogs[0]).toContain(`Mention ${attorney}: This post is flagged attorney and needs a person`);
    expect(await statuses([plain, attorney])).toEqual({ [plain]: "new", [attorney]: "new" });

    await page.click('form#bulk button[type="submit"]');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/mentions/bulk") && r.status() === 303),
      answer(page, true),
    ]);
    expect(await statuses([plain, attorney])).toEqual({ [plain]: "dismissed", [attorney]: "dismissed" });
    expect(nativeDialogs).toEqual([]);
  }, 60_000);

  it("the mention page shows why and will not dismiss until the box is ticked", async () => {
    const dispute = await insertMention(server.ctx, {
      text: "I dispute this, it is not my debt",
      flags: ["dispute"],
      category: "debt_not_owed",
    });
    await signIn(page, "responder", `/mentions/${dispute}`);
    await expect(page.locator('[data-testid="human-only"]').textContent()).resolves.toContain(
      "The person disputes the debt",
    );
    // Resolving it unanswered asks the same way as dismissing it.
    await expect(
      page.locator('form:has(input[name="status"][value="resolved"]) input[name="confirmHumanOnly"]').count(),
    ).resolves.toBe(1);
    const dismissForm = page.locator('form:has(input[name="status"][value="dismissed"])');
    const dismiss = dismissForm.locator('button[type="submit"]');
    await dismiss.click();
    await settle(page);
    expect(new URL(page.url()).pathname).toBe(`/mentions/${dispute}`);
    expect(await statuses([dispute])).toEqual({ [dispute]: "new" });
    await dismissForm.locator('input[name="confirmHumanOnly"]').check();
    await Promise.all([page.waitForLoadState("load"), dismiss.click()]);
    await page.locator('.mention-detail[data-status="dismissed"]').waitFor();
    expect(await statuses([dispute])).toEqual({ [dispute]: "dismissed" });
  }, 60_000);

  it("a viewer's keys do nothing that would be refused, and ? lists only what they can use", async () => {
    const id = await insertMention(server.ctx, { text: "viewer keys: they call my work", severity: "high" });
    await signIn(page, "viewer", "/feed?q=viewer+keys");
    await page.keyboard.press("j");
    for (const key of ["a", "d", "e", "x"]) await page.keyboard.press(key);
    await settle(page);
    expect(statusRequests).toEqual([]);
    expect(await page.locator(".toast").count()).toBe(0);
    expect(await statuses([id])).toEqual({ [id]: "new" });
    await page.keyboard.press("r");
    await settle(page);
    expect(new URL(page.url()).pathname).toBe("/feed");
    await page.keyboard.press("?");
    await expect(page.locator("#keys-help").isVisible()).resolves.toBe(true);
    expect(await page.locator("#keys-help dt").allTextContents()).toEqual(["j / k", "o", "/", "?"]);
    await page.keyboard.press("Escape");
    await page.keyboard.press("o");
    // Opened from the list, it knows the list ("done, next").
    await page.waitForURL(new RegExp(`/mentions/${id}\\?from=q%3Dviewer%2Bkeys$`));
    expect(await page.locator("text=Draft a reply").count()).toBe(0);
    const [row] = await server.ctx.deps.db.select().from(mentions).where(eq(mentions.id, id));
    expect(row!.status).toBe("new");
  }, 60_000);

  it("an admin adds any connector type from its generated form: errors beside the field, test before adding", async () => {
    await signIn(page, "admin", "/sources");
    await Promise.all([
      page.waitForURL(/type=trustpilot/),
      page.selectOption('select[name="type"]', "trustpilot"),
    ]);
    expect(await page.locator('#add-source input[name="config.apiKey"]').getAttribute("type")).toBe(
      "password",
    );
    expect(
      await page.locator('#add-source input[name="config.businessUnitId"]').getAttribute("required"),
    ).not.toBeNull();

    await Promise.all([page.waitForURL(/type=x/), page.selectOption('select[name="type"]', "x")]);
    await page.fill('input[name="name"]', "x-acme");
    await page.fill('input[name="config.query"]', "Acme Recovery");
    await page.fill('input[name="config.bearerToken"]', "too-short");
    await Promise.all([page.waitForLoadState("load"), page.click("#add-source button.primary")]);
    await expect(page.locator('.field-error[data-field="bearerToken"]').textContent()).resolves.toContain(
      "Bearer token is too short (at least 20 characters)",
    );
    expect(await page.locator('input[name="config.bearerToken"]').inputValue()).toBe("");
    expect(await page.locator('input[name="config.query"]').inputValue()).toBe("Acme Recovery");

    await Promise.all([page.waitForURL(/type=rss/), page.selectOption('select[name="type"]', "rss")]);
    await page.fill('input[name="name"]', "local-feed");
    await page.fill('input[name="config.url"]', `${feed.url}/feed.xml`);
    const before = page.url();
    await page.click("button[data-test-config]");
    await expect(page.locator("#test-result.notice").textContent({ timeout: 15_000 })).resolves.toMatch(
      /^Connection works: Feed OK: \d+ entries$/,
    );
    expect(page.url()).toBe(before);
    expect((await server.ctx.deps.db.select().from(sources)).map((s) => s.name)).not.toContain("local-feed");
    await Promise.all([page.waitForLoadState("load"), page.click("#add-source button.primary")]);
    await expect(page.locator("#source-message").textContent()).resolves.toContain('Added "local-feed"');
    const [row] = await server.ctx.deps.db.select().from(sources).where(eq(sources.name, "local-feed"));
    expect(row).toMatchObject({ type: "rss", config: { url: `${feed.url}/feed.xml`, maxItems: 500 } });
  }, 60_000);
});
