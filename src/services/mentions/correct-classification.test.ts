// A person's correction moves the mention's spike count to its new category, as reclassification does: spike
// detection reads hourly_counts per brand × category × source.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { hourlyCounts } from "../../db/schema/index.js";
import { countKeys, hourOf } from "../../pipeline/store.js";

let ctx: WebTestContext;
beforeAll(async () => {
  ctx = await createWebTestContext();
});
afterAll(async () => ctx.deps.cleanup());

describe("correcting a classification", () => {
  it("moves the mention's hourly count from its old category to the new one", async () => {
    const createdAt = new Date("2026-12-01T14:20:00Z");
    const id = await insertMention(ctx, {
      text: "they threatened to garnish",
      category: "payment_service",
      createdAt,
    });
    const [, oldKey] = countKeys(ctx.deps.companyBrandId, "payment_service", ctx.sourceId);
    const [, newKey] = countKeys(ctx.deps.companyBrandId, "legal_threats", ctx.sourceId);
    await ctx.deps.db.insert(hourlyCounts).values({ key: oldKey!, hour: hourOf(createdAt), count: 3 });

    const manager = await login(ctx, "manager");
    const res = await ctx.app.request(
      `/api/mentions/${id}/classification`,
      authed(manager, {
        method: "POST",
        body: JSON.stringify({ category: "legal_threats", severity: "high", flags: [] }),
      }),
    );
    expect(res.status).toBe(200);
    const counts = (await ctx.deps.db.all(
      sql`SELECT key, count FROM hourly_counts WHERE hour = ${hourOf(createdAt).getTime()} ORDER BY key`,
    )) as { key: string; count: number }[];
    expect(counts).toEqual(
      [
        { key: oldKey, count: 2 },
        { key: newKey, count: 1 },
      ].sort((a, b) => a.key!.localeCompare(b.key!)),
    );
  });
});
