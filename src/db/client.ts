import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type Client } from "@libsql/client";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "./schema/index.js";

/** The database as every module sees it: the same type on libSQL (Node, Turso) and D1 (Workers). */
export type Db = BaseSQLiteDatabase<"async", unknown, typeof schema>;

export interface Database {
  db: Db;
  client: Client;
  close(): void;
}

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../migrations");

export function openDatabase(url: string, authToken?: string): Database {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    if (path && path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({ url, ...(authToken ? { authToken } : {}) });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  return { db, client, close: () => client.close() };
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.client.protocol === "file") {
    // WAL lets the dashboard read while a poll writes; busy_timeout makes concurrent processes wait, not fail.
    await database.client.execute("PRAGMA journal_mode = WAL");
    await database.client.execute("PRAGMA busy_timeout = 5000");
  }
  await database.client.execute("PRAGMA foreign_keys = ON");
  await migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
}
