// Search remembers its full-text probe per process (src/services/mentions/fts-probe.ts): results must still
// follow every write to the index — a new mention, an edited text, a purge — and every filter change.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { mentions } from "../../db/schema/index.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

describe("search after writes", () => {
  it("finds mentions stored, edited and removed since the same search ran", async () => {
    const manager = await login(ctx, "manager");
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    const search = async (q: string, extra = "") => {
      const res = await ctx.app.request(`/api/mentions?q=${encodeURIComponent(q)}${extra}`, authed(manager));
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: { id: number }[] }).items.map((m) => m.id).sort((a, b) => a - b);
    };
    const first = await insertMention(ctx, { text: "Acme garnishment letter arrived" });
    const unrelated = await insertMention(ctx, { text: "Acme called twice today" });
    expect(await search("garnishment")).toEqual([first]);

    const second = await insertMention(ctx, { text: "a garnishment threat from Acme" });
    expect(await search("garnishment")).toEqual([first, second]);

    await ctx.deps.db
      .update(mentions)
      .set({ text: "Acme garnishment again", textMasked: "Acme garnishment again" })
      .where(eq(mentions.id, unrelated));
    expect(await search("garnishment")).toEqual(sorted([first, second, unrelated]));

    await ctx.deps.db.delete(mentions).where(eq(mentions.id, first));
    expect(await search("garnishment")).toEqual(sorted([second, unrelated]));

    // Filters apply after the probe: a status change shows at once, though the index did not change.
    await ctx.deps.db.update(mentions).set({ status: "dismissed" }).where(eq(mentions.id, second));
    expect(await search("garnishment", "&status=new")).toEqual([unrelated]);
    expect(await search("garnish")).toEqual(sorted([second, unrelated]));
    expect(await search("nothing-like-this")).toEqual([]);
  });
});
