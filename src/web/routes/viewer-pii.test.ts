// Viewers never see personal data: not in notes, not through the account-link history, not by searching for it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { maskPii } from "../../domain/masking.js";
import { recordAudit } from "../../services/audit/record-audit.js";
import type { MentionDetail } from "../../services/mentions/get-mention.js";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";

let ctx: WebTestContext;
let manager: Session;
let viewer: Session;
beforeEach(async () => {
  ctx = await createWebTestContext();
  manager = await login(ctx, "manager");
  viewer = await login(ctx, "viewer");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const PHONE = "555-867-5309";

async function mentionWithPhone(): Promise<number> {
  const text = `Call me on ${PHONE} about the debt`;
  return insertMention(ctx, { text, textMasked: maskPii(text).masked });
}

async function detail(id: number, session: Session): Promise<MentionDetail> {
  const res = await ctx.app.request(`/api/mentions/${id}`, authed(session));
  expect(res.status).toBe(200);
  return (await res.json()) as MentionDetail;
}

describe("mention detail for viewers", () => {
  it("masks personal data in internal notes, in the API and on the page", async () => {
    const id = await mentionWithPhone();
    const added = await ctx.app.request(
      `/api/mentions/${id}/notes`,
      authed(manager, {
        method: "POST",
        body: JSON.stringify({ body: `Customer confirmed ${PHONE} is theirs` }),
      }),
    );
    expect(added.status).toBe(201);

    expect((await detail(id, viewer)).notes.map((n) => n.body)).toEqual([
      "Customer confirmed [PHONE] is theirs",
    ]);
    expect((await detail(id, manager)).notes.map((n) => n.body)).toEqual([
      `Customer confirmed ${PHONE} is theirs`,
    ]);

    const page = await (await ctx.app.request(`/mentions/${id}`, authed(viewer))).text();
    expect(page).toContain("Customer confirmed [PHONE] is theirs");
    expect(page).not.toContain("867-5309");
  });

  it("leaves account-link entries out of the history for roles that cannot see accounts", async () => {
    const id = await mentionWithPhone();
    const actor = { id: ctx.users.manager.id, email: ctx.users.manager.email };
    await recordAudit(ctx.deps.db, {
      actor,
      action: "account_link.view",
      entityType: "mention",
      entityId: id,
      after: { links: [{ id: 7, status: "suggested" }] },
    });
    await recordAudit(ctx.deps.db, {
      actor,
      action: "mention.status",
      entityType: "mention",
      entityId: id,
      before: { status: "new" },
      after: { status: "triaged" },
    });

    expect((await detail(id, viewer)).history.map((h) => h.action)).toEqual(["mention.status"]);
    expect((await detail(id, manager)).history.map((h) => h.action)).toEqual([
      "account_link.view",
      "mention.status",
    ]);
    const page = await (await ctx.app.request(`/mentions/${id}`, authed(viewer))).text();
    expect(page).toContain("moved it from new to triaged.");
    expect(page).not.toContain("accounts linked");
    expect(page).not.toContain("account_link");
  });
});

describe("search for viewers", () => {
  async function search(q: string, session: Session): Promise<string[]> {
    const res = await ctx.app.request(`/api/mentions?q=${encodeURIComponent(q)}`, authed(session));
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: MentionListItem[] }).items.map((m) => m.text);
  }

  it("finds nothing by personal data that only the unmasked text holds", async () => {
    await mentionWithPhone();
    expect(await search(`"${PHONE}"`, manager)).toEqual([`Call me on ${PHONE} about the debt`]);
    expect(await search(`"${PHONE}"`, viewer)).toEqual([]);
    expect(await search("5309", viewer)).toEqual([]);
    // Words the viewer can see still find the mention, masked.
    expect(await search("debt", viewer)).toEqual(["Call me on [PHONE] about the debt"]);
    expect(await search("Call DEBT", viewer)).toEqual(["Call me on [PHONE] about the debt"]);
  });
});
