// `rapport sources pause|resume|remove`: the dashboard's services from the shell, audited with "cli" as the actor;
// removing asks for --yes first and keeps the mentions.
import { count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";
import { createWebTestContext, insertMention, type WebTestContext } from "../../test/web/helpers.js";
import { auditLog, mentions, sources } from "../db/schema/index.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => ctx.deps.cleanup());

const cli = (...args: string[]) =>
  runCli(["sources", ...args], {
    env: {
      DATABASE_URL: ctx.deps.env.DATABASE_URL,
      RAPPORT_SECRET: ctx.deps.env.RAPPORT_SECRET,
      RAPPORT_DEMO: "0",
      LOG_LEVEL: "silent",
    },
  });
const row = async () => (await ctx.deps.db.select().from(sources).where(eq(sources.id, ctx.sourceId)))[0]!;

describe("rapport sources pause, resume and remove", () => {
  it("pauses and resumes by name, audited as the CLI", async () => {
    expect(await cli("pause", "news-feed")).toMatchObject({ code: 0, stdout: 'Paused "news-feed".\n' });
    expect((await row()).enabled).toBe(false);
    expect((await cli("pause", "news-feed")).stdout).toBe('"news-feed" was already paused.\n');
    expect(await cli("resume", "news-feed")).toMatchObject({ code: 0, stdout: 'Resumed "news-feed".\n' });
    expect((await row()).enabled).toBe(true);
    const entries = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.entityType, "source"));
    expect(entries.map((e) => [e.action, e.actorEmail, e.workspaceId])).toEqual([
      ["source.pause", "cli", ctx.deps.workspaceId],
      ["source.resume", "cli", ctx.deps.workspaceId],
    ]);
    expect((await cli("pause", "no-such-source")).stderr).toContain('no source named "no-such-source"');
  });

  it("removes only with --yes, keeps the mentions, and lists the source no more", async () => {
    await insertMention(ctx, { text: "Acme Recovery called again", sourceId: ctx.sourceId });
    const dry = await cli("remove", "news-feed");
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain("its 1 mention(s) stay. Run again with --yes");
    expect((await row()).removedAt).toBeNull();
    expect(await cli("remove", "news-feed", "--yes")).toMatchObject({
      code: 0,
      stdout: 'Removed "news-feed"; its 1 mention(s) stay.\n',
    });
    expect((await row()).removedAt).not.toBeNull();
    const [kept] = await ctx.deps.db
      .select({ n: count() })
      .from(mentions)
      .where(eq(mentions.sourceId, ctx.sourceId));
    expect(kept!.n).toBe(1);
    expect((await cli("list")).stdout).not.toContain("news-feed");
    expect((await cli("remove", "news-feed", "--yes")).code).not.toBe(0);
  });
});
