import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LibsqlDatabase, openDatabase } from "./client.js";
import {
  cacheCompiledStatements,
  cachedStatementCount,
  compiledStatementCount,
  STATEMENTS_PER_CONNECTION,
} from "./statement-cache.js";

describe("compiled statement cache (embedded file)", () => {
  let dir: string;
  let file: string;
  const cleanups: (() => void)[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rapport-statements-"));
    file = join(dir, "rapport.db");
    cacheCompiledStatements();
  });
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = () => {
    const connection = new Database(file);
    cleanups.push(() => connection.open && connection.close());
    return connection;
  };
  const client = (): LibsqlDatabase => {
    const database = openDatabase(`file:${file}`);
    cleanups.push(() => database.close());
    return database;
  };

  it("compiles a repeated SQL text once per connection", () => {
    const connection = connect();
    const sql = "SELECT ?1 + 1 AS answer";
    const first = connection.prepare(sql);
    expect(connection.prepare(sql)).toBe(first);
    expect(connection.prepare("SELECT 2 AS answer")).not.toBe(first);
    // Another connection compiles its own: a statement belongs to its connection.
    expect(connect().prepare(sql)).not.toBe(first);
    expect(first.all([41])).toEqual([{ answer: 42 }]);
    expect(first.all([1])).toEqual([{ answer: 2 }]);
  });

  it("keeps answering correctly through the client: new arguments, a failed run, a schema change", async () => {
    const { client: db } = client();
    await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)");
    const insert = "INSERT INTO notes (body) VALUES (?)";
    await db.execute({ sql: insert, args: ["first"] });
    await expect(db.execute({ sql: insert, args: ["first"] })).rejects.toThrow(/UNIQUE/);
    // The statement that failed runs again with other arguments.
    await db.execute({ sql: insert, args: ["second"] });
    const named = "SELECT id, body FROM notes ORDER BY id";
    expect((await db.execute(named)).rows.map((row) => row.body)).toEqual(["first", "second"]);
    const star = "SELECT * FROM notes ORDER BY id";
    expect((await db.execute(star)).columns).toEqual(["id", "body"]);
    await db.execute("ALTER TABLE notes ADD COLUMN author TEXT DEFAULT 'rapport'");
    await db.execute({ sql: insert, args: ["third"] });
    // A named statement kept from before the change reads the new rows; `*` is compiled afresh and sees the
    // new column at once.
    expect((await db.execute(named)).rows.map((row) => [row.id, row.body])).toEqual([
      [1, "first"],
      [2, "second"],
      [3, "third"],
    ]);
    const after = await db.execute(star);
    expect(after.columns).toEqual(["id", "body", "author"]);
    expect(after.rows.map((row) => row.author)).toEqual(["rapport", "rapport", "rapport"]);
  });

  it("reaches the client's own driver: a repeated statement through openDatabase compiles once", async () => {
    const database = client();
    await database.client.execute("CREATE TABLE notes (body TEXT)");
    const insert = "INSERT INTO notes (body) VALUES (?)";
    const before = compiledStatementCount();
    for (const body of ["one", "two", "three"]) await database.client.execute({ sql: insert, args: [body] });
    expect(compiledStatementCount() - before).toBe(1);
  });

  it("rolls back writes made through kept statements with their transaction", async () => {
    const database = client();
    await database.client.execute("CREATE TABLE notes (body TEXT)");
    const insert = "INSERT INTO notes (body) VALUES (?)";
    await database.client.execute({ sql: insert, args: ["kept"] });
    await expect(
      database.writeTransaction(async (tx) => {
        await tx.exec(insert, ["rolled back"]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const rows = await database.client.execute("SELECT body FROM notes");
    expect(rows.rows.map((row) => row.body)).toEqual(["kept"]);
  });

  it("binds NULL where a run leaves a parameter out, as a fresh statement does, not the last run's value", () => {
    const connection = connect();
    const positional = "SELECT ?1 AS a, ?2 AS b";
    expect(connection.prepare(positional).all([1, 2])).toEqual([{ a: 1, b: 2 }]);
    expect(connection.prepare(positional).all([3])).toEqual([{ a: 3, b: null }]);
    expect(connection.prepare(positional).all([4, 5])).toEqual([{ a: 4, b: 5 }]);
    const named = "SELECT :a AS a, :b AS b";
    expect(connection.prepare(named).all({ a: 1, b: 2 })).toEqual([{ a: 1, b: 2 }]);
    expect(connection.prepare(named).all({ a: 3 })).toEqual([{ a: 3, b: null }]);
  });

  it("hands a kept statement back in the modes prepare gives, whatever its last caller switched on", () => {
    const connection = connect();
    expect(connection.prepare("PRAGMA user_version").pluck(true).all()).toEqual([0]);
    expect(connection.prepare("PRAGMA user_version").all()).toEqual([{ user_version: 0 }]);
    connection.prepare("SELECT 1 AS one").raw(true);
    expect(connection.prepare("SELECT 1 AS one").all()).toEqual([{ one: 1 }]);
  });

  it("compiles `*` statements every time (their columns would go stale), but keeps `count(*)`", () => {
    const connection = connect();
    connection.exec("CREATE TABLE notes (body TEXT)");
    expect(connection.prepare("SELECT * FROM notes")).not.toBe(connection.prepare("SELECT * FROM notes"));
    const counted = connection.prepare("SELECT count(*) AS n FROM notes");
    expect(connection.prepare("SELECT count(*) AS n FROM notes")).toBe(counted);
  });

  it("holds at most a bounded number per connection, evicting the least recently used", () => {
    const connection = connect();
    const first = connection.prepare("SELECT 0");
    for (let i = 1; i < STATEMENTS_PER_CONNECTION; i++) connection.prepare(`SELECT ${i}`);
    expect(connection.prepare("SELECT 0")).toBe(first); // used again: now the most recent
    connection.prepare(`SELECT ${STATEMENTS_PER_CONNECTION}`); // evicts "SELECT 1"
    expect(cachedStatementCount(connection)).toBe(STATEMENTS_PER_CONNECTION);
    expect(connection.prepare("SELECT 0")).toBe(first);
  });

  it("drops a connection's statements when it closes", () => {
    const connection = connect();
    connection.prepare("SELECT 1");
    expect(cachedStatementCount(connection)).toBe(1);
    connection.close();
    expect(cachedStatementCount(connection)).toBe(0);
  });
});
