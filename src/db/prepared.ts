// Statements a request runs every time (the session or token lookup, the feed's small lookups), built once per
// database handle. Drizzle renders a query's SQL on every call, and for an indexed lookup that rendering costs
// more than running it (0.3 ms against 0.1 ms for the session join at 1M mentions). Keyed by handle, so a
// test's or a Worker's own database never sees another's statements.
import type { Db } from "./client.js";

const statements = new WeakMap<Db, Map<string, unknown>>();

export function prepareOnce<T>(db: Db, name: string, build: (db: Db) => T): T {
  let byName = statements.get(db);
  if (!byName) {
    byName = new Map();
    statements.set(db, byName);
  }
  let statement = byName.get(name) as T | undefined;
  if (statement === undefined) {
    statement = build(db);
    byName.set(name, statement);
  }
  return statement;
}
