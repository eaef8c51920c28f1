// A role is only offered what it may do: no action keys, bulk bar, status controls, reply link or Templates tab
// that would end in a 403. The keys come from one list filtered by src/auth/roles.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";

let ctx: WebTestContext;
let viewer: Session;
let responder: Session;
beforeEach(async () => {
  ctx = await createWebTestContext();
  viewer = await login(ctx, "viewer");
  responder = await login(ctx, "responder");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

const html = async (session: Session, path: string) => (await ctx.app.request(path, authed(session))).text();
const dataKeys = (page: string) => /<body data-keys="([^"]*)"/.exec(page)?.[1]?.split(" ");
const helpKeys = (page: string) =>
  [...(/<dl class="keys">([\s\S]*?)<\/dl>/.exec(page)?.[1] ?? "").matchAll(/<dt>([^<]*)<\/dt>/g)].map(
    (m) => m[1],
  );

describe("what each role is offered", () => {
  it("a viewer gets reading keys only, and no bulk bar, status controls, reply link or Templates tab", async () => {
    const id = await insertMention(ctx, { text: "they call me at work", severity: "high" });
    for (const path of ["/feed", "/", `/mentions/${id}`]) {
      const page = await html(viewer, path);
      expect(dataKeys(page)).toEqual(["j", "k", "o", "Enter", "/", "?"]);
      expect(helpKeys(page)).toEqual(["j / k", "o", "/", "?"]);
      expect(page).not.toContain('id="bulk"');
      expect(page).not.toContain('href="/templates"');
    }
    const mention = await html(viewer, `/mentions/${id}`);
    expect(mention).not.toContain(`/mentions/${id}/reply`);
    expect(mention).not.toContain("press r");
    expect(mention).not.toContain('name="status"');
    expect(mention).not.toContain("Assign to me");
    // What is hidden would indeed be refused.
    expect((await ctx.app.request(`/mentions/${id}/reply`, authed(viewer))).status).toBe(403);
    expect((await ctx.app.request("/templates", authed(viewer))).status).toBe(403);
  });

  it("a responder gets the triage keys, the bulk bar with a matching hint, and the reply link", async () => {
    const id = await insertMention(ctx, { text: "they call me at work", severity: "high" });
    const feed = await html(responder, "/feed");
    expect(dataKeys(feed)).toEqual(["j", "k", "o", "Enter", "x", "a", "d", "e", "r", "/", "?"]);
    expect(helpKeys(feed)).toEqual(["j / k", "o", "x", "a", "d", "e", "r", "/", "?"]);
    expect(feed).toContain('id="bulk"');
    expect(feed).toContain(
      "Keys: j/k move · o open · x select · a assign · d dismiss · e escalate · r reply · / search · ? help",
    );
    expect(feed).toContain('href="/templates"');
    expect(await html(responder, `/mentions/${id}`)).toContain(`href="/mentions/${id}/reply"`);
  });

  it("the login page offers no keys", async () => {
    const page = await (await ctx.app.request("/login")).text();
    expect(page).toContain("<body>");
    expect(helpKeys(page)).toEqual([]);
  });
});
