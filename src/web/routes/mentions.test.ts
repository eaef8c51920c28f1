import { eq, inArray, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import type { AuthUser } from "../../auth/types.js";
import { mentions, sources, users, workspaces } from "../../db/schema/index.js";
import { toFtsQuery } from "../../services/mentions/fts-query.js";
import { type MentionListItem, selectListPage } from "../../services/mentions/list-mentions.js";

let ctx: WebTestContext;
let manager: Session;
beforeEach(async () => {
  ctx = await createWebTestContext();
  manager = await login(ctx, "manager");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

async function getJson(path: string, session = manager) {
  const res = await ctx.app.request(path, authed(session));
  return {
    status: res.status,
    body: (await res.json()) as {
      items: MentionListItem[];
      next: string | null;
      error?: { code: string; message: string };
    },
  };
}

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 10, 12, 0) + minutes * 60_000);

describe("GET /api/mentions", () => {
  it("lists newest first with source, brand, author, time and text", async () => {
    await insertMention(ctx, { text: "older", createdAt: at(0), authorHandle: "first" });
    await insertMention(ctx, {
      text: "newer",
      createdAt: at(5),
      brandIds: [ctx.deps.companyBrandId, ctx.clientBrandId],
    });
    const { status, body } = await getJson("/api/mentions");
    expect(status).toBe(200);
    expect(body.items.map((m) => m.text)).toEqual(["newer", "older"]);
    expect(body.items[0]).toMatchObject({
      source: { name: "news-feed", type: "rss" },
      createdAt: at(5).toISOString(),
      status: "new",
    });
    expect(body.items[0]!.brands.map((b) => b.slug).sort()).toEqual(["acme-recovery", "big-bank"]);
    expect(body.items[1]!.author.handle).toBe("first");
    expect(body.next).toBeNull();
  });

  it("pages with an opaque keyset cursor without gaps or repeats, ties on time included", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 25; i++)
      ids.push(await insertMention(ctx, { text: `m${i}`, createdAt: at(Math.floor(i / 3)) }));
    const seen: number[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const { body } = await getJson(
        `/api/mentions?limit=7${next ? `&next=${encodeURIComponent(next)}` : ""}`,
      );
      seen.push(...body.items.map((m) => m.id));
      next = body.next;
      pages++;
    } while (next);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const expected = [...ids].sort(
      (a, b) => Math.floor((b - ids[0]!) / 3) - Math.floor((a - ids[0]!) / 3) || b - a,
    );
    expect(seen).toEqual(expected);
    const bad = await getJson("/api/mentions?next=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(bad.body.error!.code).toBe("bad_request");
  });

  it("filters by source name, brand slug, category, status and date", async () => {
    await insertMention(ctx, {
      text: "rss company",
      createdAt: at(0),
      category: "legal_threats",
      status: "new",
    });
    await insertMention(ctx, {
      text: "review client",
      sourceId: ctx.otherSourceId,
      createdAt: at(60),
      brandIds: [ctx.clientBrandId],
      category: "praise",
      status: "dismissed",
    });
    await insertMention(ctx, {
      text: "rss client",
      createdAt: at(120),
      brandIds: [ctx.clientBrandId],
      category: "legal_threats",
      status: "triaged",
    });
    const texts = async (query: string) =>
      (await getJson(`/api/mentions?${query}`)).body.items.map((m) => m.text);
    expect(await texts("source=reviews")).toEqual(["review client"]);
    expect(await texts("brand=big-bank")).toEqual(["rss client", "review client"]);
    expect(await texts("category=legal_threats")).toEqual(["rss client", "rss company"]);
    expect(await texts("status=dismissed")).toEqual(["review client"]);
    expect(await texts(`since=${encodeURIComponent(at(30).toISOString())}`)).toEqual([
      "rss client",
      "review client",
    ]);
    expect(
      await texts(
        `since=${encodeURIComponent(at(30).toISOString())}&until=${encodeURIComponent(at(90).toISOString())}`,
      ),
    ).toEqual(["review client"]);
    expect(await texts("brand=big-bank&source=news-feed&category=legal_threats")).toEqual(["rss client"]);
    expect((await getJson("/api/mentions?source=nope")).status).toBe(400);
    expect((await getJson("/api/mentions?category=not_a_category")).status).toBe(400);
    expect((await getJson("/api/mentions?limit=5000")).status).toBe(400);
  });

  it("searches with FTS5, treating operators and quotes in the query as plain words", async () => {
    await insertMention(ctx, {
      text: "They threatened a lawsuit over a debt I never owed",
      createdAt: at(0),
    });
    await insertMention(ctx, { text: "Lawsuits everywhere, garnishment next", createdAt: at(1) });
    await insertMention(ctx, { text: "Great customer service today", createdAt: at(2) });
    const texts = async (q: string) =>
      (await getJson(`/api/mentions?q=${encodeURIComponent(q)}`)).body.items.map((m) => m.text);
    expect(await texts("lawsuit")).toEqual([
      "Lawsuits everywhere, garnishment next",
      "They threatened a lawsuit over a debt I never owed",
    ]);
    expect(await texts("lawsuit never")).toEqual(["They threatened a lawsuit over a debt I never owed"]);
    expect(await texts("SERVICE")).toEqual(["Great customer service today"]);
    for (const hostile of [
      '"',
      "lawsuit OR",
      "text:lawsuit",
      "NEAR(a b)",
      "*",
      "a AND",
      "') DROP TABLE mentions; --",
    ]) {
      const res = await getJson(`/api/mentions?q=${encodeURIComponent(hostile)}`);
      expect(res.status, hostile).toBe(200);
    }
    expect(await texts("text:lawsuit")).toEqual([]);
    expect(toFtsQuery('lawsuit" OR "x')).toBe('"lawsuit" "OR" "x"');
    expect(toFtsQuery("  ---  ")).toBeNull();
  });

  it("shows viewers the masked text only", async () => {
    await insertMention(ctx, { text: "Call me at 555-123-4567", textMasked: "Call me at [phone]" });
    const viewer = await login(ctx, "viewer");
    const asViewer = await getJson("/api/mentions", viewer);
    expect(asViewer.body.items[0]!.text).toBe("Call me at [phone]");
    expect(asViewer.body.items[0]!.masked).toBe(true);
    const asManager = await getJson("/api/mentions");
    expect(asManager.body.items[0]!.text).toBe("Call me at 555-123-4567");
    const page = await (await ctx.app.request("/feed", authed(viewer))).text();
    expect(page).toContain("Call me at [phone]");
    expect(page).not.toContain("555-123-4567");
  });
});

describe("feed page", () => {
  it("renders mention text inert: script and onerror payloads are escaped, CSP forbids inline script", async () => {
    await insertMention(ctx, {
      text: `<script>alert(1)</script> and <img src=x onerror=alert(1)>`,
      authorHandle: `"><svg onload=alert(1)>`,
      url: "javascript:alert(1)",
    });
    const res = await ctx.app.request("/feed", authed(manager));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<img src=x onerror=alert(1)>");
    expect(html).not.toContain("<svg onload");
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // The only scripts are served files.
    expect(html.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/static\/app\.js\?v=\w+" defer(="")?>$/),
    ]);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
  });

  it("filters by the form fields and links to the next page", async () => {
    for (let i = 0; i < 55; i++) await insertMention(ctx, { text: `mention number ${i}`, createdAt: at(i) });
    await insertMention(ctx, {
      text: "a trustpilot review",
      sourceId: ctx.otherSourceId,
      createdAt: at(100),
    });
    const html = await (await ctx.app.request("/feed?source=&brand=&q=", authed(manager))).text();
    expect(html).toContain("a trustpilot review");
    expect(html).toMatch(/href="\/feed\?[^"]*next=/);
    const filtered = await (await ctx.app.request("/feed?source=reviews", authed(manager))).text();
    expect(filtered).toContain("a trustpilot review");
    expect(filtered).not.toContain("mention number");
  });

  it("groups near-duplicates under their first mention and one decision covers the group", async () => {
    const head = await insertMention(ctx, { text: "same complaint", contentHash: "h1", createdAt: at(0) });
    const copy = await insertMention(ctx, {
      text: "same complaint",
      contentHash: "h1",
      createdAt: at(1),
      groupId: head,
    });
    const html = await (await ctx.app.request("/feed", authed(manager))).text();
    expect(html).toContain("+1 near-duplicates");
    expect(html.match(/same complaint/g)).toHaveLength(1);
    const res = await ctx.app.request(
      "/api/mentions/status",
      authed(manager, { method: "POST", body: JSON.stringify({ ids: [head], status: "dismissed" }) }),
    );
    const result = (await res.json()) as { changed: number[] };
    expect(result.changed.sort()).toEqual([head, copy].sort());
    const all = await getJson("/api/mentions");
    expect(all.body.items.map((m) => m.status)).toEqual(["dismissed", "dismissed"]);
  });
});

describe("selectListPage", () => {
  it("keeps to the viewer's workspace and masks for their role, whatever the caller's condition says", async () => {
    const [elsewhere] = await ctx.deps.db.insert(workspaces).values({ name: "Another agency" }).returning();
    const [theirSource] = await ctx.deps.db
      .insert(sources)
      .values({ workspaceId: elsewhere!.id, name: "their-feed", type: "rss" })
      .returning();
    const theirs = await insertMention(ctx, { text: "not yours", sourceId: theirSource!.id, brandIds: [] });
    const ours = await insertMention(ctx, {
      text: "call me on 555-123-4567",
      textMasked: "call me on [phone]",
    });
    const [row] = await ctx.deps.db.select().from(users).where(eq(users.id, ctx.users.viewer.id));
    const viewer: AuthUser = {
      id: row!.id,
      workspaceId: row!.workspaceId,
      email: row!.email,
      name: row!.name ?? "",
      role: "viewer",
    };
    const page = (ids: number[]) =>
      selectListPage(ctx.deps, viewer, {
        where: inArray(mentions.id, ids),
        orderBy: sql`${mentions.id}`,
        limit: 10,
        countDuplicates: false,
      });
    expect(await page([theirs])).toEqual([]);
    const [item] = await page([ours, theirs]);
    expect(item).toMatchObject({ id: ours, text: "call me on [phone]", masked: true });
  });
});
