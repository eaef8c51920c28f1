import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DEMO_FILE, loadDemoRows } from "../../connectors/demo.js";
import { verifyPassword } from "../auth/password.js";
import {
  accountIdentifiers,
  accounts,
  brands,
  mentionBrands,
  mentions,
  sources,
  users,
  workspaces,
} from "../db/schema/index.js";
import { buildDeps, type Deps } from "../deps.js";
import { hmacIdentifier } from "../domain/accounts/crypto.js";
import { isStrongLinkScore } from "../domain/accounts/match.js";
import { normalizeReference } from "../domain/accounts/normalize.js";
import { loadEnv } from "../env.js";
import { silentLogger } from "../log.js";
import { pollSource } from "../pipeline/poll.js";
import { isSecretField } from "../platform/credentials.js";
import { linksForMention } from "../services/accounts/accounts.js";
import { DEMO_LOGIN, DEMO_PASSWORD, seedDemo } from "./seed.js";
import { startDemo } from "./start.js";

const T0 = new Date("2026-03-10T12:00:00.000Z");

/** Items in the recorded payloads, counted straight from the JSON (not through the connectors' code). */
const PLATFORMS = JSON.parse(readFileSync("data/demo/platforms.json", "utf8")) as {
  type: string;
  // The raw pages, read by hand below: deliberately not through the connectors' schemas.
  pages: { data?: unknown[] & { children?: unknown[] }; hits?: { hits: unknown[] }; reviews?: unknown[] }[];
}[];
const RECORDED_ITEMS: Record<string, number> = Object.fromEntries(
  PLATFORMS.map(({ type, pages }) => [
    type,
    pages.reduce(
      (n, page) =>
        n +
        (type === "x"
          ? (page.data?.length ?? 0)
          : type === "reddit"
            ? (page.data?.children?.length ?? 0)
            : type === "cfpb"
              ? (page.hits?.hits.length ?? 0)
              : (page.reviews?.length ?? 0)),
      0,
    ),
  ]),
);
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
    expect(sourceRows.map((s) => [s.type, s.brandId, s.enabled])).toEqual([
      ["demo", first.companyBrand.id, true],
      ["demo", first.clientBrands[0]!.id, true],
      ["demo", first.clientBrands[1]!.id, true],
      // The company's platform sources, paused: no credentials, and the demo never reaches the network.
      ["x", first.companyBrand.id, false],
      ["reddit", first.companyBrand.id, false],
      ["google", first.companyBrand.id, false],
      ["trustpilot", first.companyBrand.id, false],
      ["cfpb", first.companyBrand.id, false],
    ]);
    expect(sourceRows[0]!.schedule).toBe("* * * * *");
    expect(first.sources.map((s) => s.id)).toEqual(sourceRows.slice(0, 3).map((s) => s.id));
    expect(first.platformSources.map((s) => s.id)).toEqual(sourceRows.slice(3).map((s) => s.id));
    for (const source of first.platformSources)
      expect(Object.keys(source.config).filter((k) => isSecretField(k))).toEqual([]);
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
    const recordedTotal = Object.values(RECORDED_ITEMS).reduce((a, b) => a + b, 0);
    expect(first).toEqual({
      ...DEMO_LOGIN,
      seeded: true,
      released: 120 + 20 + 10,
      recorded: Object.fromEntries(Object.entries(RECORDED_ITEMS).map(([type, n]) => [`${type}-summit`, n])),
      accounts: 5,
    });
    const again = await startDemo(deps, { hashPassword: cheapHash });
    expect(again).toEqual({ ...DEMO_LOGIN, seeded: false, released: 0, recorded: {}, accounts: 0 });
    const [total] = await deps.db.select({ n: count() }).from(mentions);
    expect(total?.n).toBe(150 + recordedTotal);
  });

  it("reports no demo login on a database that holds a real workspace", async () => {
    const deps = await emptyDeps();
    await deps.db.insert(workspaces).values({ name: "Real Co" });
    expect(await startDemo(deps, { hashPassword: cheapHash })).toBeNull();
  });
});

describe("the demo's platform sources and accounts", () => {
  const actorFor = async (deps: Deps) => {
    const [manager] = await deps.db.select().from(users).where(eq(users.email, DEMO_LOGIN.email));
    return {
      id: manager!.id,
      workspaceId: manager!.workspaceId,
      email: manager!.email,
      name: "Demo Manager",
      role: "manager" as const,
    };
  };

  it("stores the recorded payloads per platform, with the platform's facts, dated in the days before the start", async () => {
    const deps = await emptyDeps();
    await startDemo(deps, { hashPassword: cheapHash });
    for (const [type, expected] of Object.entries(RECORDED_ITEMS)) {
      const source = await sourceNamed(deps, `${type}-summit`);
      expect(await mentionCount(deps, source.id), type).toBe(expected);
      // Recorded, not polled: the Sources page says "not polled yet", and nothing was fetched.
      expect(source).toMatchObject({ enabled: false, lastRunAt: null, health: "ok" });
    }
    const rows = await deps.db
      .select({
        text: mentions.text,
        createdAt: mentions.createdAt,
        flags: mentions.flags,
        type: sources.type,
      })
      .from(mentions)
      .innerJoin(sources, eq(sources.id, mentions.sourceId))
      .where(eq(sources.enabled, false));
    // The recorded words, with the made-up company renamed to the demo's.
    expect(rows.map((r) => r.text)).toContain(
      "@SummitRecovery you've called my mom four times this week about a debt that isn't even hers. Stop.",
    );
    expect(rows.some((r) => /acme/i.test(r.text))).toBe(false);
    // Every CFPB complaint reaches the regulator, as the connector says.
    for (const row of rows.filter((r) => r.type === "cfpb")) expect(row.flags).toContain("regulator");
    for (const row of rows) {
      expect(row.createdAt.getTime()).toBeLessThanOrEqual(T0.getTime() - 2 * 3_600_000);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(T0.getTime() - 2 * 3_600_000 - 5 * 86_400_000);
    }
  });

  it("is the same on every fresh start", async () => {
    const snapshot = async () => {
      const deps = await emptyDeps();
      await startDemo(deps, { hashPassword: cheapHash });
      return deps.db
        .select({ id: mentions.externalId, text: mentions.text, at: mentions.createdAt })
        .from(mentions)
        .orderBy(mentions.externalId);
    };
    expect(await snapshot()).toEqual(await snapshot());
  });

  it("imports the demo accounts with identifiers only as keyed hashes, and linking has a strong and a weak case", async () => {
    const deps = await emptyDeps();
    await startDemo(deps, { hashPassword: cheapHash });
    const stored = await deps.db.select().from(accounts);
    expect(stored.map((a) => a.reference).sort()).toEqual([
      "SRS-100231",
      "SRS-100872",
      "SRS-101455",
      "SRS-102210",
      "SRS-103007",
    ]);
    const identifiers = await deps.db.select().from(accountIdentifiers);
    const dump = JSON.stringify(identifiers);
    for (const clear of ["5125550143", "dana.reyes@example.net", "4155550199", "jane.d@example.org"])
      expect(dump).not.toContain(clear);
    const dana = stored.find((a) => a.reference === "SRS-100231")!;
    const secret = deps.env.RAPPORT_SECRET;
    expect(identifiers.filter((i) => i.accountId === dana.id).map((i) => i.valueHash)).toEqual(
      expect.arrayContaining([
        hmacIdentifier(secret, "reference", normalizeReference("SRS-100231")),
        hmacIdentifier(secret, "phone", "+15125550143"),
        hmacIdentifier(secret, "email", "dana.reyes@example.net"),
      ]),
    );

    const manager = await actorFor(deps);
    const danaPosts = await deps.db
      .select({ id: mentions.id, text: mentions.text })
      .from(mentions)
      .where(eq(mentions.authorHandle, "danar_tx"));
    const withReference = danaPosts.find((m) => m.text.includes("SRS-100231"))!;
    const withoutReference = danaPosts.find((m) => !m.text.includes("SRS-100231"))!;
    const strong = (await linksForMention(deps, manager, withReference.id))[0]!;
    expect(strong.account.reference).toBe("SRS-100231");
    expect(isStrongLinkScore(strong.score)).toBe(true);
    const weak = (await linksForMention(deps, manager, withoutReference.id))[0]!;
    expect(weak.account.reference).toBe("SRS-100231");
    expect(isStrongLinkScore(weak.score)).toBe(false);
  });
});
