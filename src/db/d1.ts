// Cloudflare D1 behind the same `Database` shape as libSQL. D1 runs each statement in its own implicit
// transaction and offers atomic `batch()` instead of BEGIN/COMMIT, so:
// - the ingest store uses `batch()` explicitly (src/pipeline/store.ts, storePageOnD1);
// - `db.transaction(fn)` runs `fn`'s statements one after another without BEGIN (which D1 rejects). The
//   services that use it are single-user dashboard actions whose statements are each idempotent or guarded;
//   README "Workers" lists this difference.
import type { D1Database } from "@cloudflare/workers-types";
import { drizzle } from "drizzle-orm/d1";
import type { D1Handle, Db } from "./client.js";
import * as schema from "./schema/index.js";

export function openD1Database(binding: D1Database): D1Handle {
  const db = drizzle(binding as never, { schema, casing: "snake_case" }) as unknown as Db;
  // Without BEGIN: run the callback against the database itself, statement by statement.
  (db as unknown as { transaction: Db["transaction"] }).transaction = (async (
    fn: (tx: Db) => Promise<unknown>,
  ) => fn(db)) as Db["transaction"];
  return {
    kind: "d1",
    db,
    async batch(statements) {
      if (statements.length === 0) return [];
      const results = await binding.batch(statements.map((s) => binding.prepare(s.sql).bind(...s.args)));
      return results.map((r) => (r.results ?? []) as Record<string, unknown>[]);
    },
    close() {},
  };
}
