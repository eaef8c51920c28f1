// The feed's flag filter (?flag=dispute): exactly the mentions carrying the flag, in this workspace, newest first,
// read through that flag's partial index (a flag nobody carries must not read every mention).
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import type { AuthUser } from "../../auth/types.js";
import { sources, workspaces } from "../../db/schema/index.js";
import type { Flag } from "../../domain/taxonomy.js";
import { countQuery } from "./count-mentions.js";
import { listMentions } from "./list-mentions.js";

let ctx: WebTestContext;
let manager: AuthUser;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 12);

beforeEach(async () => {
  ctx = await createWebTestContext();
  manager = { ...ctx.users.manager, workspaceId: ctx.deps.workspaceId, name: "Manager", role: "manager" };
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

describe("the flag filter", () => {
  it("lists exactly the mentions with the flag, newest first, and none of another workspace's", async () => {
    const flagsByHour: Flag[][] = [[], ["dispute"], ["attorney", "dispute"], ["bankruptcy"], [], ["dispute"]];
    const ids: number[] = [];
    for (const [hour, flags] of flagsByHour.entries())
      ids.push(
        await insertMention(ctx, {
          text: `post ${hour}`,
          flags,
          createdAt: new Date(T0 + hour * HOUR),
        }),
      );
    const [other] = await ctx.deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
    const [theirs] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: other!.id, name: "theirs", type: "rss", config: {} })
      .returning();
    await insertMention(ctx, { text: "their dispute", flags: ["dispute"], sourceId: theirs!.id });

    const list = async (flag: Flag) =>
      (await listMentions(ctx.deps, manager, { flag })).items.map((m) => m.id);
    // Expected from the fixture itself, newest first.
    const carrying = (flag: Flag) =>
      flagsByHour.flatMap((flags, hour) => (flags.includes(flag) ? [ids[hour]!] : [])).reverse();
    expect(await list("dispute")).toEqual(carrying("dispute"));
    expect(await list("attorney")).toEqual(carrying("attorney"));
    expect(await list("servicemember")).toEqual([]);
  });

  it("walks the partial index of the mentions carrying that flag, not every mention", async () => {
    const plan = (
      await ctx.deps.db.all<{ detail: string }>(
        sql`EXPLAIN QUERY PLAN ${await countQuery(ctx.deps, manager, { flag: "servicemember" })}`,
      )
    )
      .map((r) => r.detail)
      .join("\n");
    expect(plan).toMatch(/mentions USING (COVERING )?INDEX mentions_flag_servicemember/);
  });
});
