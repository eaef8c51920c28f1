// Saved views: a named filter query per person. The query is stored as the feed URL's parameters.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { prepareOnce } from "../../db/prepared.js";
import { savedViews } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { badRequest, notFound } from "../../errors.js";
import { mentionFiltersSchema } from "../mentions/schemas.js";

export const saveViewSchema = z.object({
  name: z.string().trim().min(1).max(80),
  /** Filter parameters as in GET /api/mentions (`{"brand":"acme","status":"new"}`). */
  query: z.record(z.string(), z.string()),
});

export interface SavedView {
  id: number;
  name: string;
  query: Record<string, string>;
  url: string;
}

const ALLOWED_KEYS = new Set([...Object.keys(mentionFiltersSchema.shape), "sort"]);

function toView(row: { id: number; name: string; query: Record<string, string> }): SavedView {
  return { ...row, url: `/feed?${new URLSearchParams(row.query)}` };
}

export async function saveView(
  deps: Deps,
  viewer: AuthUser,
  input: z.infer<typeof saveViewSchema>,
): Promise<SavedView> {
  // Only real filters are kept (never a cursor), and only non-empty ones.
  const query = Object.fromEntries(
    Object.entries(input.query).filter(([k, v]) => ALLOWED_KEYS.has(k) && v !== ""),
  );
  const check = mentionFiltersSchema.safeParse(query);
  if (!check.success)
    throw badRequest(`This view's filters are invalid: ${check.error.issues[0]?.message ?? ""}`);
  const [row] = await deps.db
    .insert(savedViews)
    .values({ userId: viewer.id, name: input.name, query })
    .returning();
  return toView(row!);
}

/** Every feed page lists them: built once (see src/db/prepared.ts). */
const viewsOfUser = (db: Db) =>
  db
    .select()
    .from(savedViews)
    .where(eq(savedViews.userId, sql.placeholder("userId")))
    .orderBy(asc(savedViews.name))
    .prepare();

export async function listViews(deps: Deps, viewer: AuthUser): Promise<SavedView[]> {
  const rows = await prepareOnce(deps.db, "saved-views-of-user", viewsOfUser).all({ userId: viewer.id });
  return rows.map(toView);
}

export async function deleteView(deps: Deps, viewer: AuthUser, id: number): Promise<void> {
  const rows = await deps.db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, viewer.id)))
    .returning({ id: savedViews.id });
  if (rows.length === 0) throw notFound("Saved view");
}
