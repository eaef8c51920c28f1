// A production install (RAPPORT_DEMO=0) starts with one empty workspace, so users, brands and sources can be
// added at once. The demo creates its own workspace instead (it seeds only an empty database).
import { workspaces } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";

export async function ensureWorkspace(deps: Pick<Deps, "db">, name = "Rapport"): Promise<number> {
  const [existing] = await deps.db.select({ id: workspaces.id }).from(workspaces).limit(1);
  if (existing) return existing.id;
  const [created] = await deps.db.insert(workspaces).values({ name }).returning({ id: workspaces.id });
  return created!.id;
}
