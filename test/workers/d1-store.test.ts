// The D1 store path (atomic batch, then routers, then cursor) run against a D1-shaped handle over a libSQL file,
// so a crash between the steps can be injected.
import { createClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { D1Handle, Db } from "../../src/db/client.js";
import * as schema from "../../src/db/schema/index.js";
import { hourlyCounts, mentions, sources } from "../../src/db/schema/index.js";
import type { PreparedMention } from "../../src/pipeline/prepare.js";
import type { Router } from "../../src/pipeline/route.js";
import { storePage } from "../../src/pipeline/store.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";

let deps: TestDeps;
let d1: D1Handle;
let sourceId: number;
const now = new Date("2026-11-22T09:00:00Z");

beforeEach(async () => {
  deps = await createTestDeps();
  const client = createClient({ url: deps.env.DATABASE_URL });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  d1 = {
    kind: "d1",
    db,
    async batch(statements) {
      const results = await client.batch(
        statements.map((s) => ({ sql: s.sql, args: s.args as never })),
        "write",
      );
      return results.map((r) => r.rows.map((row) => ({ ...row }) as Record<string, unknown>));
    },
    close: () => client.close(),
  };
  const [source] = await deps.db
    .insert(sources)
    .values({ workspaceId: deps.workspaceId, name: "edge", type: "file", config: { path: "x" } })
    .returning();
  sourceId = source!.id;
});
afterEach(async () => {
  d1.close();
  await deps.cleanup();
});

const page = (n: number): PreparedMention[] =>
  Array.from({ length: n }, (_, i) => ({
    mention: { externalId: `e${i}`, text: `mention ${i}`, createdAt: now },
    textMasked: `mention ${i}`,
    contentHash: `h${i % 3}`,
    authorKey: null,
    brandIds: [deps.companyBrandId],
    classification: null,
  }));

const total = async (table: typeof mentions | typeof hourlyCounts, expr = sql<number>`count(*)`) =>
  Number((await deps.db.select({ n: expr }).from(table))[0]!.n);

describe("D1 store path", () => {
  it("stores a page once, with brand tags, group heads, counts and the cursor", async () => {
    const routed: number[] = [];
    const router: Router = async (_tx, stored) => {
      routed.push(...stored.map((m) => m.id));
    };
    const first = await storePage(d1, page(7), {
      sourceId,
      now,
      brandSla: new Map(),
      cursor: { value: { n: 1 } },
      routers: [router],
    });
    expect(first.inserted).toHaveLength(7);
    expect(routed).toHaveLength(7);
    const again = await storePage(d1, page(7), {
      sourceId,
      now,
      brandSla: new Map(),
      cursor: { value: { n: 2 } },
      routers: [router],
    });
    expect(again).toMatchObject({ inserted: [], duplicates: 7 });
    expect(routed).toHaveLength(7);
    expect(await total(mentions)).toBe(7);
    expect(await total(hourlyCounts, sql<number>`sum(count)`)).toBe(14); // brand + brand×category×source keys
    const rows = await deps.db.select().from(mentions).orderBy(mentions.id);
    expect(rows.filter((r) => r.contentHash === "h0").map((r) => r.groupId)).toEqual([
      rows[0]!.id,
      rows[0]!.id,
      rows[0]!.id,
    ]);
    expect(rows.every((r) => r.routedAt !== null)).toBe(true);
    const [source] = await deps.db.select().from(sources).where(sql`id = ${sourceId}`);
    expect(source!.cursor).toEqual({ n: 2 });
  });

  it("routes on retry what a crash between the batch and the routers left unrouted, and keeps the cursor back", async () => {
    let crash = true;
    const routed: number[] = [];
    const router: Router = async (_tx, stored) => {
      if (crash) throw new Error("isolate died");
      routed.push(...stored.map((m) => m.id));
    };
    await expect(
      storePage(d1, page(4), {
        sourceId,
        now,
        brandSla: new Map(),
        cursor: { value: { n: 1 } },
        routers: [router],
      }),
    ).rejects.toThrow("isolate died");
    expect(await total(mentions)).toBe(4);
    const [before] = await deps.db.select().from(sources).where(sql`id = ${sourceId}`);
    expect(before!.cursor).toBeNull();

    crash = false;
    const retry = await storePage(d1, page(4), {
      sourceId,
      now,
      brandSla: new Map(),
      cursor: { value: { n: 1 } },
      routers: [router],
    });
    expect(retry.inserted).toHaveLength(0);
    expect(routed).toHaveLength(4);
    expect(await total(mentions)).toBe(4);
    expect(await total(hourlyCounts, sql<number>`sum(count)`)).toBe(8);
    const [after] = await deps.db.select().from(sources).where(sql`id = ${sourceId}`);
    expect(after!.cursor).toEqual({ n: 1 });
  });
});

describe("wrangler.toml", () => {
  it("declares exactly the cron expressions of the schedule table", async () => {
    const { readFileSync } = await import("node:fs");
    const { JOBS } = await import("../../src/jobs/schedule.js");
    const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    const crons = JSON.parse(toml.match(/^crons = (\[.*\])$/m)![1]!) as string[];
    expect([...crons].sort()).toEqual([...new Set(JOBS.map((j) => j.cron))].sort());
  });
});
