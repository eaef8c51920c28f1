// The template library: managers add templates per brand/platform/category, each linted as it would be posted;
// drafts use the most specific library template for the mention's category and platform, then the defaults.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { auditLog, sources } from "../../db/schema/index.js";

let ctx: WebTestContext;
let manager: Session;
let responder: Session;

beforeEach(async () => {
  ctx = await createWebTestContext();
  manager = await login(ctx, "manager");
  responder = await login(ctx, "responder");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const send = (session: Session, method: string, path: string, body?: unknown) =>
  ctx.app.request(
    path,
    authed(session, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );

const PRIVACY_X =
  "We hear you, and we'd like to look into this. Please reach us privately at {contact}. — {brand}";
const ANY_PRIVACY =
  "We're sorry to hear this and we'd like to look into it. Please reach our team privately at {contact} and mention this post. — {brand}";

describe("template library", () => {
  it("is managed by managers, linted on save, audited, and used for drafts by category and platform", async () => {
    expect(
      (await send(responder, "POST", "/api/reply-templates", { name: "x", body: ANY_PRIVACY })).status,
    ).toBe(403);
    const refused = await send(manager, "POST", "/api/reply-templates", {
      name: "bad",
      body: "Please pay your balance at {contact}. — {brand}",
      category: "payment_service",
    });
    expect(refused.status).toBe(400);
    const refusedBody = (await refused.json()) as {
      error: { message: string; details: { violations: { rule: string }[] } };
    };
    expect(refusedBody.error.message).toContain("does not pass the linter");
    expect(refusedBody.error.details.violations.map((v) => v.rule)).toEqual(
      expect.arrayContaining(["B1", "B8"]),
    );

    const x = await send(manager, "POST", "/api/reply-templates", {
      name: "Privacy on X",
      body: PRIVACY_X,
      platform: "x",
      category: "privacy",
    });
    expect(x.status).toBe(201);
    const any = await send(manager, "POST", "/api/reply-templates", {
      name: "Privacy anywhere",
      body: ANY_PRIVACY,
      category: "privacy",
    });
    expect(any.status).toBe(201);
    const list = (await (await send(responder, "GET", "/api/reply-templates")).json()) as {
      items: { name: string }[];
    };
    expect(list.items.map((t) => t.name)).toEqual(["Privacy on X", "Privacy anywhere"]);

    const [xSource] = await ctx.deps.db
      .insert(sources)
      .values({
        workspaceId: ctx.deps.workspaceId,
        brandId: ctx.deps.companyBrandId,
        name: "x-search",
        type: "x",
      })
      .returning();
    const onX = await insertMention(ctx, {
      text: "they told my boss",
      sourceId: xSource!.id,
      category: "privacy",
      relevant: true,
    });
    const onRss = await insertMention(ctx, {
      text: "they told my boss",
      category: "privacy",
      relevant: true,
    });
    const other = await insertMention(ctx, {
      text: "portal down",
      category: "payment_service",
      relevant: true,
    });
    const draftOf = async (id: number) =>
      (
        (await (
          await send(responder, "POST", `/api/mentions/${id}/replies`, { origin: "template" })
        ).json()) as { reply: { text: string } }
      ).reply.text;
    expect(await draftOf(onX)).toBe(
      "We hear you, and we'd like to look into this. Please reach us privately at 1-800-555-0100 or acmerecovery.example/contact. — Acme Recovery",
    );
    expect(await draftOf(onRss)).toContain(
      "Please reach our team privately at 1-800-555-0100 or acmerecovery.example/contact and mention this post.",
    );
    expect(await draftOf(other)).toBe(
      "We're sorry for the trouble. We'd like to help sort this out. Please reach our team privately at 1-800-555-0100 or acmerecovery.example/contact and mention this post. — Acme Recovery",
    );

    const { template } = (await x.json()) as { template: { id: number } };
    expect((await send(manager, "DELETE", `/api/reply-templates/${template.id}`)).status).toBe(200);
    const actions = (
      await ctx.deps.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityType, "reply_template"))
        .orderBy(auditLog.id)
    ).map((a) => a.action);
    expect(actions).toEqual(["template.create", "template.create", "template.delete"]);

    const viaForm = await ctx.app.request(
      "/templates",
      authed(manager, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          name: "Brand praise",
          body: ANY_PRIVACY,
          brandId: String(ctx.deps.companyBrandId),
          platform: "",
          category: "praise",
        }).toString(),
      }),
    );
    expect(viaForm.headers.get("location")).toMatch(
      /^\/templates\?notice=Template%20saved\.&t=[0-9a-z]+&sig=[\w-]{22}$/,
    );
    const clientBrand = await ctx.app.request(
      "/templates",
      authed(manager, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          name: "As the client",
          body: ANY_PRIVACY,
          brandId: String(ctx.clientBrandId),
        }).toString(),
      }),
    );
    expect(decodeURIComponent(clientBrand.headers.get("location") ?? "")).toContain("client brand");

    const page = await (await ctx.app.request("/templates", authed(manager))).text();
    expect(page).toContain("Brand praise");
    expect(page).toContain("Privacy anywhere");
    expect(page).not.toContain("Privacy on X");
  });
});
