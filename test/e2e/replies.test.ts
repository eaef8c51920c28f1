// The public-reply flow in a real browser (Debian's Chromium through playwright-core) against a real server and a
// locally played Trustpilot: a responder drafts, the live linter blocks a disclosure in place, the fix passes,
// a second person with the manager role approves, and the reply goes out through the platform's reply endpoint.
import { mkdirSync } from "node:fs";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mentions, replies } from "../../src/db/schema/index.js";
import type { TestServer } from "../helpers/http-server.js";
import { addTrustpilotSource, REVIEW_ID, startFakeTrustpilot, TOKEN_PATH } from "../replies/helpers.js";
import { insertMention } from "../web/helpers.js";
import { launchChromium, submitLogin } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

const ARTIFACTS = "test-artifacts";
const FIXED =
  "We're sorry to hear about this experience. We'd like to look into it. Please reach our team privately at 1-800-555-0100 and mention this post. — Acme Recovery";
const BLOCKED = `${FIXED} Your balance of $300 is past due.`;

let server: RunningServer;
let platform: TestServer;
let browser: Browser;
let mentionId: number;

async function signIn(page: Page, role: string, path: string) {
  await submitLogin(page, server.baseUrl, `${role}@example.com`, path);
  await page.waitForURL(`${server.baseUrl}${path}`);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  platform = await startFakeTrustpilot();
  const sourceId = await addTrustpilotSource(server.ctx, platform.url);
  mentionId = await insertMention(server.ctx, {
    text: "Acme Recovery keeps calling my mother about my bill. Unacceptable.",
    sourceId,
    category: "communication_tactics",
    relevant: true,
    severity: "medium",
    threadId: REVIEW_ID,
    authorHandle: "jane_r",
  });
  await server.ctx.deps.db.update(mentions).set({ replyTarget: REVIEW_ID }).where(eq(mentions.id, mentionId));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
  await server?.close();
});

describe("public reply in Chromium", () => {
  it("draft → blocked in place → fixed → approved by a second user (manager) → posted to the platform", async () => {
    const path = `/mentions/${mentionId}/reply`;
    const responderContext = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const responder = await responderContext.newPage();
    await signIn(responder, "responder", path);

    // The mention page's "Draft a reply" link leads to this panel.
    await responder.goto(`${server.baseUrl}/replies/new?mention=${mentionId}`);
    await responder.waitForURL(`${server.baseUrl}${path}`);
    await responder.click('button[value="template"]');
    await responder.waitForSelector("#reply-text");
    await responder.waitForSelector('[data-testid="lint-ok"]');

    // Typing a disclosure: the live linter marks it in place and keeps Submit disabled.
    await responder.fill("#reply-text", BLOCKED);
    const hit = responder.locator('#lint-result mark.lint-hit[data-rules~="B1"]').first();
    await hit.waitFor();
    expect(await hit.textContent()).toMatch(/balance|past due/i);
    expect(
      await responder.locator('#lint-result mark.lint-hit[data-rules~="B2"]').first().textContent(),
    ).toContain("300");
    expect(await responder.locator('#lint-result li[data-rule="B1"] .muted').first().textContent()).toContain(
      "§805(b)",
    );
    expect(await responder.isDisabled("#submit-reply")).toBe(true);
    await responder.screenshot({ path: `${ARTIFACTS}/reply-blocked.png`, fullPage: true });

    // Saved anyway: the server lints too and still refuses submission.
    await responder.click("#save-reply");
    await responder.waitForSelector('[data-testid="flash"]');
    expect(await responder.textContent('[data-testid="flash"]')).toContain("problem(s) to fix");
    expect(await responder.locator('[data-testid="reply-highlight"] mark.lint-hit').count()).toBeGreaterThan(
      0,
    );
    expect(await responder.isDisabled("#submit-reply")).toBe(true);

    // Fixed.
    await responder.fill("#reply-text", FIXED);
    await responder.waitForSelector('[data-testid="lint-ok"]');
    await responder.click("#save-reply");
    await responder.waitForSelector('[data-testid="flash"]');
    expect(await responder.textContent('[data-testid="flash"]')).toContain("No compliance problems found");
    await responder.waitForFunction(
      () => !(document.getElementById("submit-reply") as HTMLButtonElement | null)?.disabled,
    );
    await responder.click("#submit-reply");
    await responder.waitForSelector('[data-testid="awaiting"]');
    expect(await responder.textContent('[data-testid="reply-status"]')).toBe("awaiting approval");
    expect(await responder.locator("#approve-reply").count()).toBe(0);

    // A second user with the manager role approves and posts.
    const managerContext = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const manager = await managerContext.newPage();
    await signIn(manager, "manager", path);
    await manager.click("#approve-reply");
    await manager.waitForSelector('[data-testid="post-panel"]');
    expect(await manager.textContent('[data-testid="post-panel"]')).toContain(
      "Approved by manager@example.com",
    );
    await manager.click("#post-reply");
    await manager.waitForSelector('[data-testid="posted"]');
    expect(await manager.textContent('[data-testid="posted"]')).toContain("via the API");
    expect(await manager.textContent('[data-testid="final-text"]')).toBe(FIXED);
    await manager.screenshot({ path: `${ARTIFACTS}/reply-posted.png`, fullPage: true });

    // The exact requests the platform received: one token exchange, one reply.
    expect(platform.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${TOKEN_PATH}`,
      `POST /v1/private/reviews/${REVIEW_ID}/reply`,
    ]);
    const [token, reply] = platform.requests;
    expect(token!.headers.authorization).toBe(
      `Basic ${Buffer.from("tp-api-key:tp-api-secret").toString("base64")}`,
    );
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
      grant_type: "password",
      username: "care@acmerecovery.example",
      password: "correct horse",
    });
    expect(reply!.headers.authorization).toBe("Bearer tp-access-token");
    expect(reply!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(reply!.body)).toEqual({ message: FIXED });

    const [row] = await server.ctx.deps.db.select().from(replies).where(eq(replies.mentionId, mentionId));
    expect(row).toMatchObject({
      status: "posted",
      postedVia: "api",
      postedText: FIXED,
      approvedBy: server.ctx.users.manager.id,
      authorId: server.ctx.users.responder.id,
    });
    const [mention] = await server.ctx.deps.db.select().from(mentions).where(eq(mentions.id, mentionId));
    expect(mention!.status).toBe("posted");
    expect(mention!.firstResponseAt).not.toBeNull();
    await responderContext.close();
    await managerContext.close();
  }, 60_000);
});
