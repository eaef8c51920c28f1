import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient, type InValue, type Row } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "./schema/index.js";

/**
 * The database as every module sees it: the same type on libSQL (Node, Turso) and D1 (Workers). It has no
 * `transaction`: D1 cannot run one, so atomic work goes through src/db/atomic.ts (`atomicBatch` on both,
 * `inTransaction` on libSQL, refused by name on D1).
 */
export type Db = Omit<BaseSQLiteDatabase<"async", unknown, typeof schema>, "transaction">;

export interface WriteTx {
  /** Drizzle bound to the open transaction. */
  db: Db;
  /** A raw parameterised statement in the same transaction, for hot paths where query building dominates. */
  exec(sql: string, args: InValue[]): Promise<Row[]>;
}

/** libSQL (embedded file or Turso): interactive transactions. */
export interface LibsqlDatabase {
  kind: "libsql";
  db: Db;
  client: Client;
  /** Runs `fn` in one write transaction: all of it commits, or none of it. */
  writeTransaction<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  close(): void;
}

/** A statement for D1's atomic `batch()`; D1 has no interactive transactions (see src/db/d1.ts). */
export interface D1Statement {
  sql: string;
  args: unknown[];
}

export interface D1Handle {
  kind: "d1";
  db: Db;
  /** Runs the statements atomically (one implicit transaction) and returns each one's rows. */
  batch(statements: D1Statement[]): Promise<Record<string, unknown>[][]>;
  close(): void;
}

export type Database = LibsqlDatabase | D1Handle;

/** How long a statement waits for another process's write lock on an embedded file before failing. */
export const BUSY_TIMEOUT_MS = 5000;

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../migrations");

export function openDatabase(url: string, authToken?: string): LibsqlDatabase {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    if (path && path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  // The embedded client pools its connections and opens more while a transaction holds one, so a per-connection
  // setting given by PRAGMA would reach only the first: the busy timeout goes in the config, which every
  // connection gets. With it, a process waits for another's write lock instead of failing with SQLITE_BUSY.
  const client = createClient({
    url,
    ...(authToken ? { authToken } : {}),
    ...(url.startsWith("file:") ? { timeout: BUSY_TIMEOUT_MS } : {}),
  });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    kind: "libsql",
    db,
    client,
    async writeTransaction(fn) {
      const transaction = await client.transaction("write");
      try {
        const result = await fn({
          db: drizzle(transaction as unknown as Client, { schema, casing: "snake_case" }) as unknown as Db,
          exec: async (sql, args) => (await transaction.execute({ sql, args })).rows,
        });
        await transaction.commit();
        return result;
      } catch (error) {
        await transaction.rollback().catch(() => {});
        throw error;
      } finally {
        transaction.close();
      }
    },
    close: () => client.close(),
  };
}

/** Per-connection settings; `migrateDatabase` applies them, processes that do not migrate call this alone. */
export async function configureConnection(database: LibsqlDatabase): Promise<void> {
  if (database.client.protocol === "file") {
    // WAL (kept in the file, so once is enough) lets the dashboard read while a poll writes.
    await database.client.execute("PRAGMA journal_mode = WAL");
  }
  await database.client.execute("PRAGMA foreign_keys = ON");
}

export async function migrateDatabase(database: LibsqlDatabase): Promise<void> {
  await configureConnection(database);
  await migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
}
