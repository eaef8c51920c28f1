// A Claude draft through the reply service against a locally played Messages API: the request carries the masked
// mention and the brand's public facts only — no account data, no client roster, no unmasked personal data — and a
// draft the linter refuses falls back to a template with the refused text kept as evidence.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHttpServer, type TestServer } from "../../../test/helpers/http-server.js";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { textMessage } from "../../classifier/testing/fake-anthropic.js";
import { accountLinks, mentions, replyLints } from "../../db/schema/index.js";
import { parseAccountsCsv } from "../../domain/accounts/import.js";
import { maskPii } from "../../domain/masking.js";
import { upsertAccounts } from "../accounts/accounts.js";
import { SYSTEM_ACTOR } from "../audit/record-audit.js";

const CLAUDE_TEXT =
  "We're sorry to hear about this experience and would like to look into it. Please reach our team privately at 1-800-555-0100 and mention this post. — Acme Recovery";
const POST =
  "I'm Jane Doe from Ohio. Acme Recovery calls 555-123-4567 all day about acct AB-12345 for Mercy Hospital. Email me at jane.doe@example.org";

let ctx: WebTestContext;
let claude: TestServer;
let answer = CLAUDE_TEXT;
let manager: Session;

beforeEach(async () => {
  answer = CLAUDE_TEXT;
  claude = await startHttpServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(textMessage(answer)));
  });
  ctx = await createWebTestContext({ ANTHROPIC_API_KEY: "sk-test-key", ANTHROPIC_BASE_URL: claude.url });
  manager = await login(ctx, "manager");
  const csv = [
    "reference,display_name,phones,emails,handles,client,state,status",
    "AB-12345,Jane Q. Doe,555-123-4567,jane.doe@example.org,x:jane_r,Mercy Hospital,OH,attorney_represented",
  ].join("\n");
  await upsertAccounts(ctx.deps, ctx.deps.workspaceId, parseAccountsCsv(csv).rows, SYSTEM_ACTOR, "csv");
});
afterEach(async () => {
  await claude.close();
  await ctx.deps.cleanup();
});

async function linkedMention(): Promise<number> {
  const id = await insertMention(ctx, {
    text: POST,
    textMasked: maskPii(POST).masked,
    category: "communication_tactics",
    relevant: true,
    authorHandle: "jane_r",
  });
  await ctx.deps.db.update(mentions).set({ authorName: "Jane Doe" }).where(eq(mentions.id, id));
  const links = (await (await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))).json()) as {
    items: { id: number }[];
  };
  expect(links.items).toHaveLength(1);
  // The link is suggested (shown, not stored) and not confirmed, so the attorney notice does not gate this test's drafting.
  return id;
}

describe("Claude drafts", () => {
  it("send the masked mention and the brand's public facts, never account data or unmasked personal data", async () => {
    const id = await linkedMention();
    const res = await ctx.app.request(
      `/api/mentions/${id}/replies`,
      authed(manager, { method: "POST", body: JSON.stringify({ origin: "claude" }) }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { reply: { origin: string; text: string }; lint: { ok: boolean } };
    expect(body.reply).toMatchObject({ origin: "claude", text: CLAUDE_TEXT });
    expect(body.lint.ok).toBe(true);

    expect(claude.requests).toHaveLength(1);
    const [request] = claude.requests;
    expect(request!.url).toBe("/v1/messages");
    expect(`${request!.headers["x-api-key"] ?? ""} ${request!.headers.authorization ?? ""}`).toContain(
      "sk-test-key",
    );
    const sent = request!.body;
    const payload = JSON.parse(sent) as { messages: { content: string }[] };
    const user = payload.messages[0]!.content;
    expect(user).toContain("<mention>");
    expect(user).toContain("Acme Recovery");
    expect(user).toContain("1-800-555-0100"); // the brand's own channel, which it must offer
    for (const secret of [
      "555-123-4567",
      "5551234567",
      "jane.doe@example.org",
      "AB-12345",
      "12345",
      "Mercy Hospital", // the client on the account, and the roster the linter uses
      "Big Bank", // a client brand of the workspace
      "Jane Q. Doe", // the account's display name
      "attorney_represented",
      "jane_r",
      "Jane Doe", // the poster's name, masked before the prompt leaves
    ]) {
      expect(sent, `the Claude request must not contain ${secret}`).not.toContain(secret);
    }
  });

  it("fall back to a template when Claude's draft fails the linter, keeping the refused draft as evidence", async () => {
    answer =
      "Sorry Jane, your balance with Mercy Hospital is $1,240; pay today to avoid court. — Acme Recovery";
    const id = await linkedMention();
    const res = await ctx.app.request(
      `/api/mentions/${id}/replies`,
      authed(manager, { method: "POST", body: JSON.stringify({ origin: "claude" }) }),
    );
    const body = (await res.json()) as {
      reply: { id: number; origin: string; text: string };
      lint: { ok: boolean };
      fallbackReason: string;
    };
    expect(body.reply.origin).toBe("template");
    expect(body.lint.ok).toBe(true);
    expect(body.fallbackReason).toContain("failed the linter");
    const lints = await ctx.deps.db
      .select()
      .from(replyLints)
      .where(eq(replyLints.replyId, body.reply.id))
      .orderBy(replyLints.id);
    expect(lints.map((l) => [l.text === answer, l.ok, l.userId])).toEqual([
      [true, false, null],
      [false, true, ctx.users.manager.id],
    ]);
    const rules = new Set((lints[0]!.violations as { rule: string }[]).map((v) => v.rule));
    for (const rule of ["B1", "B2", "B3", "B5"]) expect(rules).toContain(rule);
    // The account was there to be linked (suggested), yet none of it reached Claude or the draft.
    const links = (await (await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))).json()) as {
      items: unknown[];
    };
    expect(links.items).toHaveLength(1);
    expect(await ctx.deps.db.select().from(accountLinks)).toHaveLength(0);
  });
});
