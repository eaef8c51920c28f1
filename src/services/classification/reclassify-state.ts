// Where an interrupted reclassification stopped, kept in the `leases` table so resuming needs no schema of its
// own: the row `reclassify-position:<scope>` holds the last mention id whose batch committed (as JSON in
// `holder`), and its `expiresAt` makes a position older than POSITION_TTL_MS count as gone — a run started a
// month later starts over rather than silently skipping what changed since. A finished run deletes the row.
import { and, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { leases } from "../../db/schema/index.js";

export const POSITION_TTL_MS = 7 * 86_400_000;

export interface SavedPosition {
  lastId: number;
  processed: number;
  changed: number;
}

const positionName = (scope: string) => `reclassify-position:${scope}`;

export async function loadPosition(db: Db, scope: string, now: Date): Promise<SavedPosition | null> {
  const [row] = await db
    .select({ holder: leases.holder })
    .from(leases)
    .where(and(eq(leases.name, positionName(scope)), gt(leases.expiresAt, now)));
  if (!row) return null;
  try {
    const parsed = JSON.parse(row.holder) as Partial<SavedPosition>;
    if (typeof parsed.lastId !== "number") return null;
    return { lastId: parsed.lastId, processed: parsed.processed ?? 0, changed: parsed.changed ?? 0 };
  } catch {
    return null;
  }
}

export async function savePosition(db: Db, scope: string, position: SavedPosition, now: Date): Promise<void> {
  await positionStatement(db, scope, position, now);
}

/** The statement that saves the position, not yet run: for an atomic batch (D1). */
export function positionStatement(db: Db, scope: string, position: SavedPosition, now: Date) {
  const holder = JSON.stringify(position);
  const expiresAt = new Date(now.getTime() + POSITION_TTL_MS);
  return db
    .insert(leases)
    .values({ name: positionName(scope), holder, expiresAt })
    .onConflictDoUpdate({ target: leases.name, set: { holder, expiresAt } });
}

/**
 * A statement, not yet run, that adds to the saved position's `changed` count the rows `changedRows` selects
 * (a subquery evaluated when the batch runs, after the batch's own writes before it).
 */
export function addChangedStatement(db: Db, scope: string, changedRows: SQL) {
  return db.run(sql`
    UPDATE leases SET holder = json_set(holder, '$.changed', coalesce(holder ->> '$.changed', 0) + (${changedRows}))
    WHERE name = ${positionName(scope)}`);
}

export async function clearPosition(db: Db, scope: string): Promise<void> {
  await db.delete(leases).where(eq(leases.name, positionName(scope)));
}
