// What the filter bar offers: the workspace's sources, brands and people.
import { asc, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { brands, sources, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";

export interface FilterOptions {
  sources: { name: string; type: string }[];
  brands: { slug: string; name: string; kind: string }[];
  users: { id: number; email: string }[];
}

export async function filterOptions(deps: Deps, viewer: AuthUser): Promise<FilterOptions> {
  const [sourceRows, brandRows, userRows] = await Promise.all([
    deps.db
      .select({ name: sources.name, type: sources.type })
      .from(sources)
      .where(eq(sources.workspaceId, viewer.workspaceId))
      .orderBy(asc(sources.name)),
    deps.db
      .select({ slug: brands.slug, name: brands.name, kind: brands.kind })
      .from(brands)
      .where(eq(brands.workspaceId, viewer.workspaceId))
      .orderBy(asc(brands.kind), asc(brands.name)),
    deps.db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(eq(users.workspaceId, viewer.workspaceId))
      .orderBy(asc(users.email)),
  ]);
  return { sources: sourceRows, brands: brandRows, users: userRows };
}
