// The demo workspace a fresh `npm start` shows: a collecting company, two creditor clients it collects for,
// two users (a manager and an admin, so four-eyes approval can be tried), one demo source per brand that
// replays the bundled public complaints (connectors/demo.ts), and the company's platform sources (X, Reddit,
// Google reviews, Trustpilot, CFPB), paused, whose recorded payloads start.ts stores (src/demo/platforms.ts).
// Seeds only a database without any workspace.
import { count } from "drizzle-orm";
import type { DemoConfig } from "../../connectors/demo.js";
import { hashPassword as scryptHash } from "../auth/password.js";
import { inTransaction } from "../db/atomic.js";
import { brands, sources, users, workspaces } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { DEMO_PLATFORM_SOURCES } from "./platforms.js";

export const DEMO_PASSWORD = "rapport-demo";
export const DEMO_USERS = [
  { email: "demo@example.com", name: "Demo Manager", role: "manager" },
  { email: "admin@example.com", name: "Demo Admin", role: "admin" },
] as const;
/** What `npm start` prints in demo mode. */
export const DEMO_LOGIN = { email: DEMO_USERS[0].email, password: DEMO_PASSWORD } as const;

export const DEMO_WORKSPACE_NAME = "Demo Collections Co.";

type DemoSegment = "company" | "medical" | "auto";

const DEMO_BRANDS = [
  {
    segment: "company",
    name: "Summit Recovery Services",
    slug: "summit-recovery-services",
    kind: "company",
    keywords: ["Summit Recovery", "Summit Recovery Services", "@SummitRecovery", "summitrecovery.example"],
    // A rehab clinic with a similar name is not the company.
    exclusions: ["Summit Recovery Center"],
    contacts: ["1-800-555-0100", "summitrecovery.example/contact"],
    source: { name: "demo-summit", schedule: "* * * * *", backlog: 120, releasePerRun: 5 },
  },
  {
    segment: "medical",
    name: "Northwind Medical Group",
    slug: "northwind-medical-group",
    kind: "client",
    keywords: ["Northwind Medical", "Northwind Medical Group", "Northwind Health", "@NorthwindMed"],
    exclusions: [],
    contacts: [],
    source: { name: "demo-northwind", schedule: "*/2 * * * *", backlog: 20, releasePerRun: 1 },
  },
  {
    segment: "auto",
    name: "Bluebird Auto Finance",
    slug: "bluebird-auto-finance",
    kind: "client",
    keywords: ["Bluebird Auto", "Bluebird Auto Finance", "@BluebirdAuto"],
    exclusions: [],
    contacts: [],
    source: { name: "demo-bluebird", schedule: "*/2 * * * *", backlog: 10, releasePerRun: 1 },
  },
] as const satisfies ReadonlyArray<{
  segment: DemoSegment;
  name: string;
  slug: string;
  kind: "company" | "client";
  keywords: readonly string[];
  exclusions: readonly string[];
  contacts: readonly string[];
  source: { name: string; schedule: string; backlog: number; releasePerRun: number };
}>;

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type BrandRow = typeof brands.$inferSelect;
export type SourceRow = typeof sources.$inferSelect;

export interface SeedDemoOptions {
  /** Defaults to the app's scrypt hash (src/auth/password.ts); tests may pass a cheaper one. */
  hashPassword?: (password: string) => Promise<string>;
}

export type SeedDemoResult =
  | { seeded: false }
  | {
      seeded: true;
      workspace: WorkspaceRow;
      companyBrand: BrandRow;
      clientBrands: BrandRow[];
      users: { id: number; email: string; role: string }[];
      /** One demo source per brand, the company's first; poll them once right away so the feed is not empty. */
      sources: SourceRow[];
      /** The company's platform sources, paused (no credentials): their recorded payloads are stored once. */
      platformSources: SourceRow[];
      login: { email: string; password: string };
    };

async function hasWorkspace(deps: Pick<Deps, "db">): Promise<boolean> {
  const [row] = await deps.db.select({ n: count() }).from(workspaces);
  return (row?.n ?? 0) > 0;
}

export async function seedDemo(
  deps: Pick<Deps, "db">,
  options: SeedDemoOptions = {},
): Promise<SeedDemoResult> {
  if (await hasWorkspace(deps)) return { seeded: false };
  const hash = options.hashPassword ?? scryptHash;
  // Hashed outside the transaction: scrypt is slow on purpose and would hold the write lock.
  const passwordHashes = await Promise.all(DEMO_USERS.map(() => hash(DEMO_PASSWORD)));

  // IMMEDIATE takes the write lock before the check, so two processes starting at once seed one workspace.
  return inTransaction(
    deps.db,
    "seeding the demo",
    async (tx) => {
      const [existing] = await tx.select({ n: count() }).from(workspaces);
      if ((existing?.n ?? 0) > 0) return { seeded: false } as const;

      const [workspace] = await tx.insert(workspaces).values({ name: DEMO_WORKSPACE_NAME }).returning();
      if (!workspace) throw new Error("demo workspace was not created");

      const brandRows = await tx
        .insert(brands)
        .values(
          DEMO_BRANDS.map((b) => ({
            workspaceId: workspace.id,
            name: b.name,
            slug: b.slug,
            kind: b.kind,
            keywords: [...b.keywords],
            exclusions: [...b.exclusions],
            contacts: [...b.contacts],
          })),
        )
        .returning();

      const userRows = await tx
        .insert(users)
        .values(
          DEMO_USERS.map((u, i) => ({
            workspaceId: workspace.id,
            email: u.email,
            name: u.name,
            role: u.role,
            passwordHash: passwordHashes[i] as string,
          })),
        )
        .returning({ id: users.id, email: users.email, role: users.role });

      const sourceRows = await tx
        .insert(sources)
        .values(
          DEMO_BRANDS.map((b) => {
            const brand = brandRows.find((row) => row.slug === b.slug);
            const config: Partial<DemoConfig> = {
              segments: [b.segment],
              backlog: b.source.backlog,
              releasePerRun: b.source.releasePerRun,
            };
            return {
              workspaceId: workspace.id,
              brandId: brand?.id ?? null,
              name: b.source.name,
              type: "demo",
              schedule: b.source.schedule,
              config,
            };
          }),
        )
        .returning();

      const companyBrand = brandRows.find((b) => b.kind === "company");
      if (!companyBrand) throw new Error("demo company brand was not created");
      const platformRows = await tx
        .insert(sources)
        .values(
          DEMO_PLATFORM_SOURCES.map((p) => ({
            workspaceId: workspace.id,
            brandId: companyBrand.id,
            name: p.name,
            type: p.type,
            config: p.config,
            // Paused: without credentials a poll could only fail, and the demo must not reach the network.
            enabled: false,
          })),
        )
        .returning();
      return {
        seeded: true,
        workspace,
        companyBrand,
        clientBrands: brandRows.filter((b) => b.kind === "client"),
        users: userRows,
        sources: sourceRows,
        platformSources: platformRows,
        login: { ...DEMO_LOGIN },
      } as const;
    },
    { behavior: "immediate" },
  );
}
