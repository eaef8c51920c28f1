import { asc, eq } from "drizzle-orm";
import { sources, workspaces } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";

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

export async function findSourceByName(deps: Pick<Deps, "db">, name: string) {
  const rows = await deps.db.select().from(sources).where(eq(sources.name, name));
  return rows[0] ?? null;
}
