import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUSY_TIMEOUT_MS, configureConnection, type LibsqlDatabase, openDatabase } from "./client.js";

describe("openDatabase (embedded file)", () => {
  let dir: string;
  const opened: LibsqlDatabase[] = [];
  const open = async () => {
    const database = openDatabase(`file:${join(dir, "rapport.db")}`);
    opened.push(database);
    await configureConnection(database);
    return database;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rapport-client-"));
  });
  afterEach(() => {
    for (const database of opened.splice(0)) database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives every pooled connection the busy timeout, not only the first", async () => {
    const database = await open();
    // A transaction holds the first connection, so these run on a second one the pool opens for them.
    const transaction = await database.client.transaction("read");
    try {
      const timeout = await database.client.execute("PRAGMA busy_timeout");
      const foreignKeys = await database.client.execute("PRAGMA foreign_keys");
      expect(Object.values(timeout.rows[0]!)[0]).toBe(BUSY_TIMEOUT_MS);
      expect(Object.values(foreignKeys.rows[0]!)[0]).toBe(1);
    } finally {
      transaction.close();
    }
  });

  it("waits for another process's write lock on any connection instead of failing with SQLITE_BUSY", async () => {
    const web = await open();
    await web.client.execute("CREATE TABLE notes (body TEXT)");
    // Another process takes the write lock, says so, and keeps it for 300 ms (a poll storing its page).
    const scheduler = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("libsql"))(process.argv[1]);
         db.exec("BEGIN IMMEDIATE");
         db.exec("INSERT INTO notes VALUES ('from the scheduler')");
         console.log("locked");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, 300);`,
        join(dir, "rapport.db"),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = once(scheduler, "exit");
    await once(scheduler.stdout!, "data");
    // Meanwhile this process writes on a second pooled connection (a read transaction holds the first).
    const reader = await web.client.transaction("read");
    try {
      await web.client.execute("INSERT INTO notes VALUES ('from the dashboard')");
    } finally {
      reader.close();
    }
    expect((await exited)[0]).toBe(0);
    const rows = await web.client.execute("SELECT body FROM notes ORDER BY body");
    expect(rows.rows.map((row) => row.body)).toEqual(["from the dashboard", "from the scheduler"]);
  });
});
