// Compiled statements kept per connection of the embedded (file) database.
//
// @libsql/client compiles every statement on every call: for the feed's list query that is ~100 µs of a ~2 ms
// page, and a quarter of the time the page spends in SQLite. SQLite statements are made to be reused: libsql
// resets one before each run, and re-compiles it by itself if the schema changed since. The client offers no
// hook for this, so `Database.prototype.prepare` of its `libsql` driver is wrapped (once per process) to answer
// a repeated SQL text on the same connection with the statement it compiled before. Safe because the client
// runs each statement to completion synchronously (`all` or `run`, never a lazy iterator) before it returns,
// so one statement is never in use twice at once. Installed by the Node entry (`npm start`); the Worker bundle
// never loads the native driver.
//
// A kept statement reports the result columns it was compiled with until it next runs, and the client reads
// them before running it: after a schema change a `SELECT *` would come back once under the old column list.
// Statements with a `*` (other than `count(*)`) are therefore compiled every time; named columns, which is all
// drizzle writes, do not change under an added column.
import Database from "libsql";

/** Per connection; a page's queries are a few dozen shapes, so this only evicts when something generates SQL. */
export const STATEMENTS_PER_CONNECTION = 256;

type LibsqlDatabase = InstanceType<typeof Database>;
type Statement = ReturnType<LibsqlDatabase["prepare"]>;

const caches = new WeakMap<LibsqlDatabase, Map<string, Statement>>();
let installed = false;
let compiled = 0;

export function cacheCompiledStatements(): void {
  if (installed) return;
  installed = true;
  const prepare = Database.prototype.prepare;
  const close = Database.prototype.close;
  const compile = (connection: LibsqlDatabase, sql: string): Statement => {
    compiled++;
    return prepare.call(connection, sql);
  };
  function prepareCached(this: LibsqlDatabase, sql: string): Statement {
    let cache = caches.get(this);
    if (!cache) {
      cache = new Map();
      caches.set(this, cache);
    }
    const cached = cache.get(sql);
    if (cached) {
      // Most recently used last, so the first entry is the one to evict.
      cache.delete(sql);
      cache.set(sql, cached);
      return asFreshlyPrepared(cached);
    }
    const statement = compile(this, sql);
    if (!isCacheable(sql)) return statement;
    if (cache.size >= STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!);
    cache.set(
      sql,
      bindEveryRunAlike(statement, () => compile(this, sql)),
    );
    return statement;
  }
  Database.prototype.prepare = prepareCached as typeof prepare;
  // Kept statements hold their connection open until they are collected: closing lets them go.
  Database.prototype.close = function closeDroppingStatements(this: LibsqlDatabase) {
    caches.delete(this);
    return close.call(this);
  };
}

const isCacheable = (sql: string) => !sql.replace(/count\(\*\)/gi, "").includes("*");

/** A statement's output modes as `prepare` returns them: another caller may have switched them on. */
function asFreshlyPrepared(statement: Statement): Statement {
  statement.pluck(false);
  try {
    statement.raw(false);
  } catch {
    // raw() throws for statements that return no rows: there is no mode to reset
  }
  return statement;
}

type Run = "run" | "get" | "all" | "iterate";

/**
 * A kept statement keeps the values bound by its last run. A run that binds other parameters than the first did
 * (fewer positions, other names) would silently reuse the previous run's values where a fresh statement has NULL:
 * that run gets a statement of its own, exactly as without the cache.
 */
function bindEveryRunAlike(statement: Statement, compileAnother: () => Statement): Statement {
  let firstShape: number | string | undefined;
  const methods = statement as unknown as Record<Run, (...params: unknown[]) => unknown>;
  for (const method of ["run", "get", "all", "iterate"] as const) {
    const original = methods[method];
    methods[method] = function runAlike(this: Statement, ...params: unknown[]) {
      const shape = parameterShape(params);
      firstShape ??= shape;
      if (shape === firstShape) return original.apply(this, params);
      const another = compileAnother() as unknown as Record<Run, (...params: unknown[]) => unknown>;
      return another[method]!(...params);
    };
  }
  return statement;
}

/** Positional runs by their count, named ones by their names (the client binds an array, drizzle always). */
function parameterShape(params: unknown[]): number | string {
  if (params.length !== 1) return params.flat().length;
  const [only] = params;
  if (Array.isArray(only)) return only.length;
  if (only !== null && typeof only === "object") return `named:${Object.keys(only).sort().join(",")}`;
  return 1;
}

/** How many compiled statements a connection holds (for tests). */
export function cachedStatementCount(connection: LibsqlDatabase): number {
  return caches.get(connection)?.size ?? 0;
}

/** How many statements have been compiled since the process started (for tests). */
export function compiledStatementCount(): number {
  return compiled;
}
