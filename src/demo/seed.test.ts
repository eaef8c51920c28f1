import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DEMO_FILE, loadDemoRows } from "../../connectors/demo.js";
import { verifyPassword } from "../auth/password.js";
import { brands, mentionBrands, mentions, sources, users, workspaces } from "../db/schema/index.js";
import { buildDeps, type Deps } from "../deps.js";
import { loadEnv } from "../env.js";
import { silentLogger } from "../log.js";
import { pollSource } from "../pipeline/poll.js";
import { DEMO_LOGIN, DEMO_PASSWORD, seedDemo } from "./seed.js";
import { startDemo } from "./start.js";

const T0 = new Date("2026-03-10T12:00:00.000Z");
let cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

/** An empty, migrated database file: the state of a fresh clone's first `npm start`. */
async function emptyDeps(): Promise<Deps> {
  const dir = mkdtempSync(join(tmpdir(), "rapport-demo-seed-"));
  const env = loadEnv({
    NODE_ENV: "test",
    DATABASE_URL: `file:${join(dir, "test.db")}`,
    RAPPORT_SECRET: "test-secret-test-secret-test-secret-00",
    LOG_LEVEL: "silent",
  });
  const deps = await buildDeps(env, { log: silentLogger, now: () => T0 });
  cleanups.push(() => {
    deps.database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return deps;
}

const cheapHash = async (password: string) => `plain$${password}`;

async function sourceNamed(deps: Deps, name: string) {
  const [row] = await deps.db.select().from(sources).where(eq(sources.name, name));
  if (!row) throw new Error(`no source ${name}`);
  return row;
}

async function mentionCount(deps: Deps, sourceId: number): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(mentions).where(eq(mentions.sourceId, sourceId));
  return row?.n ?? 0;
}

describe("seedDemo", () => {
  it("creates the demo workspace once: a company brand, two client brands, two users and the demo sources", async () => {
    const deps = await emptyDeps();
    const first = await seedDemo(deps);
    const second = await seedDemo(deps, { hashPassword: cheapHash });
    expect(second).toEqual({ seeded: false });
    if (!first.seeded) throw new Error("first seed did nothing");

    expect(await deps.db.select().from(workspaces)).toHaveLength(1);
    expect(first.workspace.name).toBe("Demo Collections Co.");
    expect(first.companyBrand).toMatchObject({
      name: "Summit Recovery Services",
      kind: "company",
      contacts: ["1-800-555-0100", "summitrecovery.example/contact"],
    });
    expect(first.clientBrands.map((b) => [b.name, b.kind])).toEqual([
      ["Northwind Medical Group", "client"],
      ["Bluebird Auto Finance", "client"],
    ]);
    expect(await deps.db.select().from(brands)).toHaveLength(3);

    const userRows = await deps.db.select().from(users);
    expect(userRows.map((u) => [u.email, u.role])).toEqual([
      ["demo@example.com", "manager"],
      ["admin@example.com", "admin"],
    ]);
    for (const user of userRows) expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash)).toBe(true);
    expect(first.login).toEqual(DEMO_LOGIN);

    const sourceRows = await deps.db.select().from(sources);
    expect(sourceRows.map((s) => [s.type, s.brandId])).toEqual([
      ["demo", first.companyBrand.id],
      ["demo", first.clientBrands[0]!.id],
      ["demo", first.clientBrands[1]!.id],
    ]);
    expect(sourceRows[0]!.schedule).toBe("* * * * *");
    expect(first.sources.map((s) => s.id)).toEqual(sourceRows.map((s) => s.id));
  });

  it("leaves a database that already has a workspace alone", async () => {
    const deps = await emptyDeps();
    await deps.db.insert(workspaces).values({ name: "Real Co" });
    expect(await seedDemo(deps, { hashPassword: cheapHash })).toEqual({ seeded: false });
    expect(await deps.db.select().from(brands)).toHaveLength(0);
    expect(await deps.db.select().from(users)).toHaveLength(0);
  });

  it("after one poll the feed holds the backlog once; each later poll adds releasePerRun", async () => {
    const deps = await emptyDeps();
    const seed = await seedDemo(deps, { hashPassword: cheapHash });
    if (!seed.seeded) throw new Error("not seeded");
    const company = seed.sources[0]!;

    const first = await pollSource(deps, company, { now: T0 });
    expect(first).toMatchObject({ status: "ok", inserted: 120, duplicates: 0 });
    expect(await mentionCount(deps, company.id)).toBe(120);

    const t1 = new Date(T0.getTime() + 60_000);
    const second = await pollSource(deps, await sourceNamed(deps, company.name), { now: t1 });
    expect(second).toMatchObject({ status: "ok", inserted: 5, duplicates: 0 });
    expect(await mentionCount(deps, company.id)).toBe(125);

    const newest = await deps.db.select().from(mentions).where(eq(mentions.sourceId, company.id));
    const fresh = newest.filter((m) => m.createdAt.getTime() > T0.getTime());
    expect(fresh).toHaveLength(5);
    for (const m of fresh) expect(m.createdAt.getTime()).toBeLessThanOrEqual(t1.getTime());
    expect(newest.every((m) => m.createdAt.getTime() >= T0.getTime() - 7 * 24 * 3_600_000)).toBe(true);

    // Every company-feed mention is tagged with the company brand (the bundled texts name no brand).
    const [tagged] = await deps.db
      .select({ n: count() })
      .from(mentionBrands)
      .where(eq(mentionBrands.brandId, seed.companyBrand.id));
    expect(tagged?.n).toBe(125);
  });

  it("replays client-segment rows for the client brands", async () => {
    const deps = await emptyDeps();
    const seed = await seedDemo(deps, { hashPassword: cheapHash });
    if (!seed.seeded) throw new Error("not seeded");
    const [, northwindSource] = seed.sources;
    const outcome = await pollSource(deps, northwindSource!, { now: T0 });
    expect(outcome.inserted).toBe(20);
    const rows = await deps.db
      .select({ meta: mentions.meta })
      .from(mentions)
      .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
      .where(
        and(eq(mentions.sourceId, northwindSource!.id), eq(mentionBrands.brandId, seed.clientBrands[0]!.id)),
      );
    expect(rows).toHaveLength(20);
    const medicalRows = await loadDemoRows({ file: DEFAULT_DEMO_FILE, segments: ["medical"] });
    const medicalIds = new Set(medicalRows.map((r) => r.original_id));
    for (const { meta } of rows) {
      expect(medicalIds.has((meta.provenance as { id: string }).id)).toBe(true);
    }
  });
});

describe("startDemo", () => {
  it("seeds and fills every demo source on the first start, and only reports the login afterwards", async () => {
    const deps = await emptyDeps();
    const first = await startDemo(deps, { hashPassword: cheapHash });
    expect(first).toEqual({ ...DEMO_LOGIN, seeded: true, released: 120 + 20 + 10 });
    const again = await startDemo(deps, { hashPassword: cheapHash });
    expect(again).toEqual({ ...DEMO_LOGIN, seeded: false, released: 0 });
    const [total] = await deps.db.select({ n: count() }).from(mentions);
    expect(total?.n).toBe(150);
  });

  it("reports no demo login on a database that holds a real workspace", async () => {
    const deps = await emptyDeps();
    await deps.db.insert(workspaces).values({ name: "Real Co" });
    expect(await startDemo(deps, { hashPassword: cheapHash })).toBeNull();
  });
});
