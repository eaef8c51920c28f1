// Atomic work, honestly. libSQL (an embedded file, or Turso) offers interactive transactions: read, decide,
// write, and all of it commits or none of it. Cloudflare D1 offers no BEGIN/COMMIT, only `batch()`: a list of
// statements fixed in advance that commits as one. So a multi-statement write takes one of two shapes:
// - `atomicBatch(db, [...])`: the statements are known before any of them runs (a later one may still depend on
//   an earlier one's effect through its own WHERE, e.g. `… WHERE EXISTS (…)`). Atomic on libSQL and on D1.
// - `inTransaction(db, action, fn)`: the work reads and decides between writes. libSQL only: on D1 it throws
//   `NeedsTransactionsError` at once, before any statement runs, naming the action and the fix (Turso). D1 never
//   runs such work statement by statement pretending to be atomic.
// `Db` (src/db/client.ts) has no `transaction` method, so these two are the only ways to write atomically.
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { BaseSQLiteDatabase, SQLiteTransactionConfig } from "drizzle-orm/sqlite-core";
import { AppError } from "../errors.js";
import type { Db } from "./client.js";
import type * as schema from "./schema/index.js";

type FullDb = BaseSQLiteDatabase<"async", unknown, typeof schema>;
/** A database handle bound to an open interactive transaction (libSQL). */
export type TxDb = Parameters<Parameters<FullDb["transaction"]>[0]>[0];

export type BatchStatement = BatchItem<"sqlite">;

/** Marks a drizzle instance as D1's (set by openD1Database): no interactive transactions there. */
const D1_DB = Symbol.for("rapport.d1");

export function markD1(db: Db): void {
  (db as unknown as Record<symbol, boolean>)[D1_DB] = true;
}

export function isD1(db: Db): boolean {
  return (db as unknown as Record<symbol, boolean>)[D1_DB] === true;
}

export const TURSO_FIX =
  "On Workers, keep the database on Turso instead of D1 (remove the D1 binding, set DATABASE_URL=libsql://… " +
  'and the DATABASE_AUTH_TOKEN secret; README "Scaling out on Cloudflare Workers"), or run Rapport on Node (npm start)';

/** Work that needs an interactive transaction was asked of a D1 database. Shown to people as is (HTTP 501). */
export class NeedsTransactionsError extends AppError {
  constructor(readonly action: string) {
    super(
      "unsupported",
      `${capitalise(action)} needs a database transaction, which Cloudflare D1 does not offer (only single ` +
        "statements and fixed batches), and doing it statement by statement could leave it half done, so " +
        `nothing was changed. ${TURSO_FIX}.`,
    );
    this.name = "NeedsTransactionsError";
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Runs `fn` in one interactive write transaction (libSQL). On D1 it throws NeedsTransactionsError before anything
 * runs. `action` says in words what the work is ("changing a mention's status"), for that error.
 */
export function inTransaction<T>(
  db: Db,
  action: string,
  fn: (tx: TxDb) => Promise<T>,
  config?: SQLiteTransactionConfig,
): Promise<T> {
  if (isD1(db)) return Promise.reject(new NeedsTransactionsError(action));
  const transaction = (db as Partial<Pick<FullDb, "transaction">>).transaction;
  if (typeof transaction !== "function")
    throw new Error("inTransaction needs the database handle, not a transaction (nest the work instead)");
  return transaction.call(db, fn, config) as Promise<T>;
}

/**
 * Runs the statements as one atomic batch, in order, on libSQL and on D1 alike, and returns each one's result.
 * Called with a handle that is already inside an interactive transaction, it runs them there, in order: that
 * transaction makes them atomic.
 */
export function atomicBatch<T extends readonly [BatchStatement, ...BatchStatement[]]>(
  db: Db,
  statements: T,
): Promise<BatchResponse<T>>;
export function atomicBatch(db: Db, statements: readonly BatchStatement[]): Promise<unknown[]>;
export async function atomicBatch(db: Db, statements: readonly BatchStatement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  if (isD1(db)) bindRawStatementsOnD1(db, statements);
  const batch = (db as { batch?: (items: readonly BatchStatement[]) => Promise<unknown[]> }).batch;
  if (typeof batch === "function") return batch.call(db, statements);
  const results: unknown[] = [];
  for (const statement of statements) results.push(await statement);
  return results;
}

/**
 * drizzle's D1 `batch()` binds each statement's parameters through its prepared `stmt`, which a raw
 * `db.run(sql…)` / `db.all(sql…)` does not have ("Cannot read properties of undefined (reading 'bind')" as soon
 * as it has a parameter): prepare one for it on the D1 binding. A libSQL handle (also one marked as D1 in tests)
 * has no `prepare` and needs none.
 */
function bindRawStatementsOnD1(db: Db, statements: readonly BatchStatement[]): void {
  const client = (db as unknown as { session?: { client?: { prepare?: (sql: string) => unknown } } }).session
    ?.client;
  if (typeof client?.prepare !== "function") return;
  for (const statement of statements) {
    const prepared = (
      statement as unknown as { _prepare?: () => { stmt?: unknown; getQuery?: () => { sql: string } } }
    )._prepare?.();
    if (prepared && prepared.stmt === undefined && typeof prepared.getQuery === "function")
      prepared.stmt = client.prepare(prepared.getQuery().sql);
  }
}

/** Rows a `run` statement changed, as libSQL (`rowsAffected`) and D1 (`meta.changes`) each report it. */
export function changedRows(result: unknown): number {
  const r = result as { rowsAffected?: number; meta?: { changes?: number } } | undefined;
  return Number(r?.rowsAffected ?? r?.meta?.changes ?? 0);
}
