// Legal holds against the real retention purge: a held mention (or one about a held brand) outlives its
// retention; lifting the hold lets the next purge take it; placing and lifting are audited; admins only.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { runPurge } from "../../jobs/purge.js";

let ctx: WebTestContext;
let env: Record<string, string>;
const twoYearsAgo = new Date(Date.now() - 2 * 366 * 86_400_000);
const exists = async (id: number) =>
  ((await ctx.deps.db.all(sql`SELECT count(*) AS n FROM mentions WHERE id = ${id}`)) as [{ n: number }])[0]
    .n === 1;

beforeAll(async () => {
  ctx = await createWebTestContext();
  env = {
    DATABASE_URL: ctx.deps.env.DATABASE_URL,
    RAPPORT_DEMO: "0",
    LOG_LEVEL: "silent",
    RAPPORT_SECRET: ctx.deps.env.RAPPORT_SECRET,
  };
});
afterAll(async () => ctx.deps.cleanup());

describe("legal holds", () => {
  it("keep a held mention past its retention until the hold is lifted, audited both ways", async () => {
    const held = await insertMention(ctx, { text: "my attorney has your letters", createdAt: twoYearsAgo });
    const free = await insertMention(ctx, { text: "old and unanswered", createdAt: twoYearsAgo });
    const admin = await login(ctx, "admin");
    const placed = await ctx.app.request(
      "/api/legal-holds",
      authed(admin, {
        method: "POST",
        body: JSON.stringify({
          entityType: "mention",
          entityId: held,
          reason: "Matter 2026-114, counsel's request",
        }),
      }),
    );
    expect(placed.status).toBe(201);
    const hold = (await placed.json()) as { id: number };

    await runPurge(ctx.deps, new Date());
    expect(await exists(held)).toBe(true);
    expect(await exists(free)).toBe(false);

    const lifted = await runCli(["holds", "lift", String(hold.id)], { env });
    expect(lifted.code).toBe(0);
    await runPurge(ctx.deps, new Date());
    expect(await exists(held)).toBe(false);

    const audit = (await ctx.deps.db.all(
      sql`SELECT action, actor_email AS actor FROM audit_log WHERE action LIKE 'legal_hold.%' ORDER BY id`,
    )) as { action: string; actor: string }[];
    expect(audit).toEqual([
      { action: "legal_hold.place", actor: "admin@example.com" },
      { action: "legal_hold.lift", actor: "cli" },
    ]);
  });

  it("a hold on a brand keeps every mention about it", async () => {
    const mention = await insertMention(ctx, {
      text: "Big Bank sent my file to collections",
      createdAt: twoYearsAgo,
      brandIds: [ctx.clientBrandId],
    });
    const [brand] = (await ctx.deps.db.all(sql`SELECT slug FROM brands WHERE id = ${ctx.clientBrandId}`)) as [
      { slug: string },
    ];
    const placed = await runCli(["holds", "place", "--brand", brand.slug, "--reason", "CFPB inquiry"], {
      env,
    });
    expect(placed.code).toBe(0);
    await runPurge(ctx.deps, new Date());
    expect(await exists(mention)).toBe(true);
    expect((await runCli(["holds", "list"], { env })).stdout).toContain("in force");
  });

  it("is for admins, and names what is missing", async () => {
    const manager = await login(ctx, "manager");
    expect((await ctx.app.request("/api/legal-holds", authed(manager))).status).toBe(403);
    const noReason = await runCli(["holds", "place", "--mention", "1"], { env });
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain("Say why the hold is placed");
  });
});
