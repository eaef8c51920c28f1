// What the reply linter needs to know about a brand: its name and own channels (allowed in public) and the
// creditor clients of its workspace (never to be named in public).
import { asc } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { brands } from "../../db/schema/index.js";
import type { BrandLintContext } from "../../domain/compliance/lint.js";

/** The brand by slug or name; without one, the first company brand (the CLI's default). */
export async function loadBrandContext(db: Db, brand?: string): Promise<BrandLintContext | null> {
  const rows = await db.select().from(brands).orderBy(asc(brands.id));
  const wanted = brand?.trim().toLowerCase();
  const chosen = wanted
    ? rows.find((b) => b.slug === wanted || b.name.toLowerCase() === wanted)
    : (rows.find((b) => b.kind === "company") ?? rows[0]);
  if (!chosen) return null;
  const clients = rows
    .filter((b) => b.workspaceId === chosen.workspaceId && b.kind === "client")
    .map((b) => b.name);
  return { brandName: chosen.name, ownContacts: chosen.contacts, clients };
}
