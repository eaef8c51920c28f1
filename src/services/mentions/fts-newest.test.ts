// A search that matches many mentions is answered from its newest matches (fts-probe.ts `newestMatches`,
// list-mentions.ts): every page must still be exactly the page plain SQL gives (all matches, the workspace's
// only, filters applied, newest first), whether it fills from the newest matches or has to read them all, and
// it must follow a write to the index at once.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { sources, workspaces } from "../../db/schema/index.js";
import { NEWEST_MATCHES } from "./fts-probe.js";

const NOW = Date.parse("2026-03-10T12:00:00Z");
let ctx: WebTestContext;
let manager: Session;

beforeEach(async () => {
  ctx = await createWebTestContext({}, () => new Date(NOW));
  manager = await login(ctx, "manager");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

/**
 * `count` mentions in one statement (the full-text and counter triggers run as for any insert): every `every`-th
 * one about a credit report, the rest not; posting times scattered so that the id order says nothing about them.
 */
async function seedMany(sourceId: number, count: number, every: number, status = "new", offset = 0) {
  await ctx.deps.db.run(
    sql.raw(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
      INSERT INTO mentions (source_id, external_id, text, text_masked, created_at, fetched_at, content_hash, status, flags, meta)
      SELECT ${sourceId}, 'bulk-${sourceId}-${offset}-' || i,
        CASE WHEN i % ${every} = 0 THEN 'Acme put it on my credit report again' ELSE 'Acme called about the balance' END,
        CASE WHEN i % ${every} = 0 THEN 'Acme put it on my credit report again' ELSE 'Acme called about the balance' END,
        ${NOW} - ((i * 7919 + ${offset}) % 500000) * 60000, ${NOW}, 'bulk-${sourceId}-${offset}-' || i, '${status}', '[]', '{}'
      FROM n`),
  );
}

/** Every matching id of the workspace in the feed's order, by plain SQL over the full-text index. */
async function expectedIds(where = "1 = 1"): Promise<number[]> {
  const rows = await ctx.deps.db.all<{ id: number }>(
    sql.raw(`SELECT m.id AS id FROM mentions m JOIN sources s ON s.id = m.source_id
      WHERE s.workspace_id = ${ctx.deps.workspaceId} AND ${where}
        AND m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH '"credit" "report"*')
      ORDER BY m.created_at DESC, m.id DESC`),
  );
  return rows.map((r) => Number(r.id));
}

/** Every page of the search, following `next`. */
async function searchAll(extra = "", limit = 200): Promise<number[]> {
  const ids: number[] = [];
  let next: string | null = null;
  do {
    const url: string = `/api/mentions?q=credit+report&limit=${limit}${extra}${next ? `&next=${encodeURIComponent(next)}` : ""}`;
    const res = await ctx.app.request(url, authed(manager));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: number }[]; next: string | null };
    ids.push(...body.items.map((m) => m.id));
    next = body.next;
  } while (next);
  return ids;
}

describe("a search matching many mentions", () => {
  it("pages through every match in order, past the newest ones it remembers", async () => {
    await seedMany(ctx.sourceId, 2 * NEWEST_MATCHES + 500, 1);
    await seedMany(ctx.sourceId, 3000, 3, "new", 13);
    const want = await expectedIds();
    expect(want.length).toBeGreaterThan(NEWEST_MATCHES * 2);
    expect(await searchAll()).toEqual(want);
  });

  it("reads every match when the filters leave too few of the newest ones", async () => {
    await seedMany(ctx.sourceId, NEWEST_MATCHES + 500, 1);
    // Older than every one of the above, and the only dismissed ones.
    await ctx.deps.db.run(
      sql.raw(`UPDATE mentions SET status = 'dismissed', created_at = created_at - 400 * 86400000
        WHERE id IN (SELECT id FROM mentions ORDER BY id LIMIT 120)`),
    );
    const want = await expectedIds("m.status = 'dismissed'");
    expect(want.length).toBe(120);
    expect(await searchAll("&status=dismissed", 50)).toEqual(want);
    expect(await searchAll("", 200)).toEqual(await expectedIds());
  });

  it("counts only the workspace's own matches when another workspace's are newer", async () => {
    const [elsewhere] = await ctx.deps.db.insert(workspaces).values({ name: "Another agency" }).returning();
    const [theirs] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: elsewhere!.id, name: "theirs", type: "rss" })
      .returning();
    await seedMany(theirs!.id, NEWEST_MATCHES + 500, 1);
    // Ours: older than all of theirs.
    await seedMany(ctx.sourceId, 300, 2, "new", 99);
    await ctx.deps.db.run(
      sql.raw(
        `UPDATE mentions SET created_at = created_at - 400 * 86400000 WHERE source_id = ${ctx.sourceId}`,
      ),
    );
    const want = await expectedIds();
    expect(want.length).toBe(150);
    expect(await searchAll("", 50)).toEqual(want);
  });

  it("shows a mention stored after the same search ran, first", async () => {
    await seedMany(ctx.sourceId, NEWEST_MATCHES + 100, 1);
    const before = await searchAll("", 200);
    expect(before).toEqual(await expectedIds());
    const fresh = await insertMention(ctx, {
      text: "my credit report is wrong because of Acme",
      createdAt: new Date(NOW - 1000),
    });
    const after = await searchAll("", 200);
    expect(after[0]).toBe(fresh);
    expect(after).toEqual(await expectedIds());
  });
});
