import { and, asc, eq, isNull } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { sources, workspaces } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError, notFound } from "../../errors.js";

/** Who changes a source: a signed-in person, or the CLI (id null) acting on a workspace. */
export type SourceActor = Pick<AuthUser, "workspaceId"> & { id: number | null; email: string | null };

/** The workspace the CLI acts on: a single-tenant install has exactly one. */
export async function defaultWorkspaceId(deps: Pick<Deps, "db">): Promise<number> {
  const [row] = await deps.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .orderBy(asc(workspaces.id))
    .limit(1);
  if (!row)
    throw new AppError("not_found", "no workspace yet: run `npm start` once (demo) or create one first");
  return row.id;
}

/** A source by name, removed ones left out (their name lives on only in their mentions). */
export async function findSourceByName(deps: Pick<Deps, "db">, name: string, workspaceId?: number) {
  const rows = await deps.db
    .select()
    .from(sources)
    .where(
      and(
        eq(sources.name, name),
        isNull(sources.removedAt),
        workspaceId === undefined ? undefined : eq(sources.workspaceId, workspaceId),
      ),
    );
  return rows[0] ?? null;
}

/** A source of the viewer's workspace that has not been removed; 404 otherwise (another workspace's included). */
export async function sourceInWorkspace(
  deps: Pick<Deps, "db">,
  viewer: Pick<AuthUser, "workspaceId">,
  id: number,
) {
  const [source] = await deps.db
    .select()
    .from(sources)
    .where(and(eq(sources.id, id), eq(sources.workspaceId, viewer.workspaceId), isNull(sources.removedAt)));
  if (!source) throw notFound("Source");
  return source;
}
