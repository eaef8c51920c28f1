// Cloudflare D1 behind the same `Database` shape as libSQL. D1 runs each statement in its own implicit
// transaction and offers atomic `batch()` instead of BEGIN/COMMIT, so:
// - the ingest store uses `batch()` explicitly (src/pipeline/store.ts, storePageOnD1);
// - other multi-statement writes use `atomicBatch` (src/db/atomic.ts), atomic here as on libSQL;
// - work that needs an interactive transaction (`inTransaction`) is refused with NeedsTransactionsError, which
//   names the fix (Turso). Nothing runs statement by statement while looking atomic: drizzle's own
//   `transaction` is replaced by the same refusal, for any caller that reaches it around the types.
import type { D1Database } from "@cloudflare/workers-types";
import { drizzle } from "drizzle-orm/d1";
import { markD1, NeedsTransactionsError } from "./atomic.js";
import type { D1Handle, Db } from "./client.js";
import * as schema from "./schema/index.js";

export function openD1Database(binding: D1Database): D1Handle {
  const db = drizzle(binding as never, { schema, casing: "snake_case" }) as unknown as Db;
  markD1(db);
  (db as unknown as { transaction: unknown }).transaction = async () => {
    throw new NeedsTransactionsError("this change");
  };
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
