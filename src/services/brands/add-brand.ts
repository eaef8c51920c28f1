// Adds a brand: the company itself, or a creditor client it collects for (never named in public replies).

import type { SlaMinutes } from "../../db/schema/brands.js";
import { brands } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";

export interface AddBrandInput {
  workspaceId: number;
  name: string;
  kind: "company" | "client";
  keywords?: string[];
  exclusions?: string[];
  contacts?: string[];
  slaMinutes?: SlaMinutes;
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[\s_-]+/g, "-");
}

export async function addBrand(deps: Pick<Deps, "db">, input: AddBrandInput) {
  const name = input.name.trim();
  const slug = slugify(name);
  if (!slug) throw badRequest(`brand name "${input.name}" needs at least one letter or digit`);
  const [row] = await deps.db
    .insert(brands)
    .values({
      workspaceId: input.workspaceId,
      name,
      slug,
      kind: input.kind,
      keywords: input.keywords ?? [],
      exclusions: input.exclusions ?? [],
      contacts: input.contacts ?? [],
      slaMinutes: input.slaMinutes ?? {},
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw badRequest(`a brand "${slug}" already exists`);
  return row;
}
