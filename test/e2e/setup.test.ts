// Issue 15, setting things up, in a real browser at a phone's 390 px and a desktop's 1440 px: a manager pauses,
// resumes, edits and removes a source (every form ends on a GET, so a reload repeats nothing), and links a post to
// an account through the second look a suggestion below a strong score needs.
import { and, count, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountLinks, auditLog, sources } from "../../src/db/schema/index.js";
import { upsertAccounts } from "../../src/services/accounts/accounts.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import { submittedReply } from "../replies/helpers.js";
import { insertMention, PASSWORD } from "../web/helpers.js";
import { launchChromium, seriousAxeViolations } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
] as const;

let server: RunningServer;
let browser: Browser;
/** A feed that is down: connection tests against it fail (nothing leaves 127.0.0.1). */
let down: TestServer;

beforeAll(async () => {
  server = await startServer();
  down = await startHttpServer((_req, res) => {
    res.statusCode = 500;
    res.end("down");
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await down?.close();
});

async function managerPage(viewport: (typeof VIEWPORTS)[number]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  const page = await context.newPage();
  page.on("dialog", () => {
    throw new Error("no browser dialog may be used: confirmations are pages or in-page steps");
  });
  await page.goto(`${server.baseUrl}/login`);
  await page.fill('input[name="email"]', "manager@example.com");
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  return page;
}

/** axe-core's serious and critical findings on the page as it stands (rule ids and where). */
async function seriousAxeFindings(page: Page): Promise<string[]> {
  return (await seriousAxeViolations(page)).map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

const noSideScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

const auditCount = async (action: string) =>
  (await server.ctx.deps.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0]!.n;

describe.each(VIEWPORTS)("setting up at $width px", (viewport) => {
  it("pauses, resumes, edits and removes a source; each form ends on a page a reload does not repeat", async () => {
    const [source] = await server.ctx.deps.db
      .insert(sources)
      .values({
        workspaceId: server.ctx.deps.workspaceId,
        brandId: server.ctx.deps.companyBrandId,
        name: `feed-${viewport.name}`,
        type: "rss",
        config: { url: `${down.url}/feed.xml` },
      })
      .returning();
    const page = await managerPage(viewport);
    await page.goto(`${server.baseUrl}/sources`);
    const row = page.locator(`tr[data-source="feed-${viewport.name}"]`);
    await expect(row.textContent()).resolves.toContain("every 15 minutes");
    expect(await noSideScroll(page)).toBe(true);
    expect(await seriousAxeFindings(page)).toEqual([]);

    const pauses = await auditCount("source.pause");
    await row.getByRole("button", { name: "Pause" }).click();
    await page.waitForURL(/\/sources\?notice=/);
    await expect(page.locator("#source-message").textContent()).resolves.toContain(
      `Paused "feed-${viewport.name}"`,
    );
    await expect(row.textContent()).resolves.toContain("Paused: not polled until resumed");
    await page.reload();
    expect(await auditCount("source.pause")).toBe(pauses + 1);
    await row.getByRole("button", { name: "Resume" }).click();
    await page.waitForURL(/\/sources\?notice=/);
    await expect(row.textContent()).resolves.toContain("every 15 minutes");

    await row.getByRole("link", { name: "Edit" }).click();
    await page.waitForURL(/\/edit$/);
    expect(await page.inputValue("#config-url")).toBe(`${down.url}/feed.xml`);
    expect(await noSideScroll(page)).toBe(true);
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.selectOption('#edit-source select[name="every"]', "*/30 * * * *");
    await page.fill("#config-url", `${down.url}/other.xml`);
    // The feed answers 500: the connection test fails, nothing is saved, and "save anyway" is offered.
    await page.click('#edit-source button[type="submit"]');
    await expect(page.locator("#source-message").textContent()).resolves.toContain(
      "The server answered HTTP 500",
    );
    expect(down.requests.length).toBeGreaterThan(0);
    await page.fill("#config-url", `${down.url}/other.xml`);
    await page.check('#edit-source input[name="anyway"]');
    await page.click('#edit-source button[type="submit"]');
    await page.waitForURL(/\/sources\?notice=/);
    const [edited] = await server.ctx.deps.db.select().from(sources).where(eq(sources.id, source!.id));
    expect(edited).toMatchObject({
      schedule: "*/30 * * * *",
      config: { url: `${down.url}/other.xml` },
    });
    await expect(row.textContent()).resolves.toContain("every 30 minutes");

    await row.getByRole("link", { name: "Remove…" }).click();
    await page.waitForURL(/\/remove$/);
    await expect(page.getByTestId("confirm-remove").textContent()).resolves.toContain("stay");
    expect(await noSideScroll(page)).toBe(true);
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.getByRole("button", { name: `Remove feed-${viewport.name}` }).click();
    await page.waitForURL(/\/sources\?notice=/);
    expect(await page.locator(`tr[data-source="feed-${viewport.name}"]`).count()).toBe(0);
    const [removed] = await server.ctx.deps.db.select().from(sources).where(eq(sources.id, source!.id));
    expect(removed!.removedAt).not.toBeNull();
    await page.context().close();
  });

  it("links a post to an account after a second look at the evidence", async () => {
    const handle = `sam_${viewport.name}`;
    await upsertAccounts(
      server.ctx.deps,
      server.ctx.deps.workspaceId,
      [
        {
          reference: `E2E-${viewport.width}`,
          displayName: "Sam Kay",
          phones: [],
          emails: [],
          handles: [handle],
          client: null,
          state: null,
          status: [],
        },
      ],
      { id: null, email: "test" },
      "api",
    );
    const mentionId = await insertMention(server.ctx, {
      text: "Summit keeps calling me at work",
      authorHandle: handle,
    });
    const page = await managerPage(viewport);
    await page.goto(`${server.baseUrl}/mentions/${mentionId}`);
    const panel = page.getByTestId("account-links");
    await expect(panel.textContent()).resolves.toContain("score 65/100");
    expect(await noSideScroll(page)).toBe(true);
    await panel.getByRole("link", { name: "Review and confirm…" }).click();
    await page.waitForURL(/\/review\?back=/);
    const review = page.getByTestId("confirm-link");
    await expect(review.textContent()).resolves.toContain(`author handle @${handle} is on the account`);
    expect(await noSideScroll(page)).toBe(true);
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(
      await server.ctx.deps.db.select().from(accountLinks).where(eq(accountLinks.mentionId, mentionId)),
    ).toEqual([]);
    await page.getByRole("button", { name: "Yes, link this account" }).click();
    await page.waitForURL(new RegExp(`/mentions/${mentionId}\\?notice=Linked`));
    await expect(page.getByTestId("account-links").textContent()).resolves.toContain("Linked.");
    const [link] = await server.ctx.deps.db
      .select()
      .from(accountLinks)
      .where(eq(accountLinks.mentionId, mentionId));
    expect(link).toMatchObject({ status: "confirmed", score: 65 });
    await page.context().close();
  });

  it("an approver reads the reply, read-only, and sends it back with a comment; templates lead with the built-ins", async () => {
    const { mentionId, replyId } = await submittedReply(server.ctx);
    const page = await managerPage(viewport);
    await page.goto(`${server.baseUrl}/mentions/${mentionId}/reply`);
    await expect(page.getByTestId("review-text").isVisible()).resolves.toBe(true);
    expect(await page.locator("#reply-form").count()).toBe(0);
    // The only box that edits the reply is folded away behind "Edit it yourself instead".
    expect(await page.locator('textarea[name="text"]').isVisible()).toBe(false);
    expect(await noSideScroll(page)).toBe(true);
    await page.fill('#send-back textarea[name="reason"]', "Please apologise first.");
    await page.getByRole("button", { name: "Send back with a comment" }).click();
    await page.waitForURL(/notice=Sent/);
    const [entry] = await server.ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "reply.reject"), eq(auditLog.entityId, String(replyId))));
    expect(entry!.after).toMatchObject({ reason: "Please apologise first." });

    await page.goto(`${server.baseUrl}/templates`);
    const builtIn = page.locator("#built-in-templates");
    await expect(builtIn.isVisible()).resolves.toBe(true);
    expect(await builtIn.locator("tbody tr").count()).toBeGreaterThan(10);
    const builtInTop = (await builtIn.boundingBox())!.y;
    expect(builtInTop).toBeLessThan((await page.locator("#library-templates").boundingBox())!.y);
    expect(await noSideScroll(page)).toBe(true);
    await page.context().close();
  });
});
