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

/**
 * The same, remembered per workspace for a few seconds: the lists change rarely and every feed page shows
 * them. Built per app (never at module scope), so tests and processes do not share it.
 */
export function cachedFilterOptions(ttlMs = 10_000) {
  const cache = new Map<number, { at: number; value: Promise<FilterOptions> }>();
  return (deps: Deps, viewer: AuthUser): Promise<FilterOptions> => {
    const now = Date.now();
    const hit = cache.get(viewer.workspaceId);
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = filterOptions(deps, viewer);
    cache.set(viewer.workspaceId, { at: now, value });
    value.catch(() => cache.delete(viewer.workspaceId));
    return value;
  };
}
