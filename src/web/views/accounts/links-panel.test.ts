// Issue 15: a suggestion below a strong score (STRONG_LINK_SCORE) is confirmed in two steps: the panel offers
// "Review and confirm…", the page behind it shows the evidence and asks once more, and a confirm posted without
// that second look is sent to it instead of linking. A strong suggestion is confirmed in one step.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../../test/web/helpers.js";
import { accountLinks, accounts, auditLog } from "../../../db/schema/index.js";
import { isStrongLinkScore, STRONG_LINK_SCORE } from "../../../domain/accounts/match.js";
import { upsertAccounts } from "../../../services/accounts/accounts.js";

let ctx: WebTestContext;
let manager: Session;
beforeEach(async () => {
  ctx = await createWebTestContext();
  manager = await login(ctx, "manager");
  await upsertAccounts(
    ctx.deps,
    ctx.deps.workspaceId,
    [
      // The handle alone: 65/100, not strong.
      {
        reference: "WK-10001",
        displayName: "Sam Kay",
        phones: [],
        emails: [],
        handles: ["sam_k"],
        client: null,
        state: null,
        status: [],
      },
      // The handle and the phone in the post: 91/100, strong.
      {
        reference: "ST-20002",
        displayName: "Robin Lee",
        phones: ["+15551234567"],
        emails: [],
        handles: ["robin_l"],
        client: null,
        state: null,
        status: [],
      },
    ],
    { id: null, email: "test" },
    "api",
  );
});
afterEach(async () => ctx.deps.cleanup());

const accountId = async (reference: string) =>
  (await ctx.deps.db.select().from(accounts).where(eq(accounts.reference, reference)))[0]!.id;
const confirm = (mentionId: number, account: number, fields: Record<string, string>) =>
  ctx.app.request(
    `/mentions/${mentionId}/account-links/${account}/confirm`,
    authed(manager, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );

describe("confirming an account link", () => {
  it("defines strong in one place: 85 out of 100", () => {
    expect(Math.round(STRONG_LINK_SCORE * 100)).toBe(85);
    expect(isStrongLinkScore(85)).toBe(true);
    expect(isStrongLinkScore(84)).toBe(false);
  });

  it("asks once more, with the evidence, below a strong score", async () => {
    const mentionId = await insertMention(ctx, { text: "Summit keeps calling me", authorHandle: "sam_k" });
    const sam = await accountId("WK-10001");
    const back = `/mentions/${mentionId}/reply`;
    const panel = await (await ctx.app.request(back, authed(manager))).text();
    const start = panel.indexOf(`data-account-id="${sam}"`);
    const item = panel.slice(start, panel.indexOf("When in doubt", start));
    expect(item).toContain('data-strong="false"');
    expect(item).toContain("score 65/100");
    expect(item).toContain("Review and confirm…");
    expect(item).not.toContain(`/account-links/${sam}/confirm"`);

    // A one-click confirm (an old page, a script) is sent to the second look and links nothing.
    const direct = await confirm(mentionId, sam, { back });
    expect(direct.status).toBe(303);
    const review = direct.headers.get("location")!;
    expect(review).toBe(
      `/mentions/${mentionId}/account-links/${sam}/review?back=${encodeURIComponent(back)}`,
    );
    expect(await ctx.deps.db.select().from(accountLinks)).toEqual([]);

    const page = await (await ctx.app.request(review, authed(manager))).text();
    expect(page).toContain('data-testid="confirm-link"');
    expect(page).toContain("This suggestion scores 65/100, under the 85 that counts as strong.");
    expect(page).toContain("author handle @sam_k is on the account");
    expect(page).toContain("Summit keeps calling me");
    expect(page).toContain('<input type="hidden" name="reviewed" value="1"/>');

    const linked = await confirm(mentionId, sam, { back, reviewed: "1" });
    expect(linked.headers.get("location")).toMatch(
      new RegExp(`^${back}\\?notice=Linked\\.&t=[0-9a-z]+&sig=[\\w-]{22}#account-links$`),
    );
    const [link] = await ctx.deps.db.select().from(accountLinks);
    expect(link).toMatchObject({ accountId: sam, status: "confirmed", score: 65 });
  });

  it("confirms a strong suggestion in one step", async () => {
    const mentionId = await insertMention(ctx, {
      text: "Summit, stop calling 555-123-4567!",
      authorHandle: "robin_l",
    });
    const robin = await accountId("ST-20002");
    const panel = await (await ctx.app.request(`/mentions/${mentionId}/reply`, authed(manager))).text();
    expect(panel).toMatch(new RegExp(`data-account-id="${robin}"[^>]*data-strong="true"`));
    const res = await confirm(mentionId, robin, { back: `/mentions/${mentionId}/reply` });
    expect(res.headers.get("location")).toContain("notice=Linked.");
    const [link] = await ctx.deps.db.select().from(accountLinks);
    expect(link).toMatchObject({ accountId: robin, status: "confirmed" });
    expect(isStrongLinkScore(link!.score)).toBe(true);
  });
});

describe("account linking on the mention page", () => {
  it("shows the links panel to managers (the view audited) and not to responders; decisions come back to it", async () => {
    const mentionId = await insertMention(ctx, { text: "Summit keeps calling me", authorHandle: "sam_k" });
    const sam = await accountId("WK-10001");
    const page = await (await ctx.app.request(`/mentions/${mentionId}`, authed(manager))).text();
    expect(page).toContain('data-testid="account-links"');
    expect(page).toContain(
      `/mentions/${mentionId}/account-links/${sam}/review?back=${encodeURIComponent(`/mentions/${mentionId}`)}`,
    );
    const views = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, "account_link.view"));
    expect(views.map((v) => v.entityId)).toEqual([String(mentionId)]);
    const responder = await login(ctx, "responder");
    const theirs = await (await ctx.app.request(`/mentions/${mentionId}`, authed(responder))).text();
    expect(theirs).not.toContain('data-testid="account-links"');

    const linked = await confirm(mentionId, sam, { back: `/mentions/${mentionId}`, reviewed: "1" });
    const back = linked.headers.get("location")!;
    expect(back).toMatch(
      new RegExp(`^/mentions/${mentionId}\\?notice=Linked\\.&t=[0-9a-z]+&sig=[\\w-]{22}#account-links$`),
    );
    const after = await (await ctx.app.request(back, authed(manager))).text();
    expect(after).toMatch(/data-testid="account-links"[\s\S]*?<p class="notice" role="status">Linked\.<\/p>/);
    expect(after).toContain('data-link-status="confirmed"');
  });
});
