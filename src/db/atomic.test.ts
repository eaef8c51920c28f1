// The two ways to write atomically (src/db/atomic.ts): a batch that commits as one on libSQL and on D1, and an
// interactive transaction that D1 refuses by name before anything runs.
import { createClient } from "@libsql/client";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../test/helpers/deps.js";
import { AppError, ERROR_STATUS } from "../errors.js";
import { atomicBatch, changedRows, inTransaction, isD1, markD1, NeedsTransactionsError } from "./atomic.js";
import type { Db } from "./client.js";
import { openD1Database } from "./d1.js";
import * as schema from "./schema/index.js";
import { workspaces } from "./schema/index.js";

let deps: TestDeps;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(async () => {
  await deps.cleanup();
});

const names = async () =>
  (await deps.db.select({ name: workspaces.name }).from(workspaces)).map((w) => w.name);

/** A second drizzle over the same file, marked as D1's: what openD1Database hands the services. */
function d1Like(): { db: Db; close: () => void } {
  const client = createClient({ url: deps.env.DATABASE_URL });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  markD1(db);
  return { db, close: () => client.close() };
}

describe("atomicBatch", () => {
  it("applies every statement or none: a failing later statement undoes the earlier ones", async () => {
    const before = await names();
    await expect(
      atomicBatch(deps.db, [
        deps.db.insert(workspaces).values({ name: "batch one" }),
        deps.db.run(
          sql`INSERT INTO workspaces (id, name, settings, created_at) VALUES (NULL, NULL, '{}', 0)`,
        ),
      ]),
    ).rejects.toThrow(/NOT NULL/);
    expect(await names()).toEqual(before);

    const [inserted, renamed] = await atomicBatch(deps.db, [
      deps.db.insert(workspaces).values({ name: "batch two" }).returning({ id: workspaces.id }),
      deps.db.run(sql`UPDATE workspaces SET name = 'batch two, renamed' WHERE name = 'batch two'`),
    ]);
    expect(inserted).toHaveLength(1);
    expect(changedRows(renamed)).toBe(1);
    expect(await names()).toEqual([...before, "batch two, renamed"]);
  });

  it("works on a D1 handle too (no interactive transaction involved)", async () => {
    const d1 = d1Like();
    try {
      await atomicBatch(d1.db, [d1.db.insert(workspaces).values({ name: "on d1" })]);
      expect(await names()).toContain("on d1");
    } finally {
      d1.close();
    }
  });

  it("inside an interactive transaction, runs in order and rolls back with it", async () => {
    const before = await names();
    await expect(
      inTransaction(deps.db, "testing", async (tx) => {
        await atomicBatch(tx as unknown as Db, [
          tx.insert(workspaces).values({ name: "in tx" }),
          tx.update(workspaces).set({ name: "in tx, renamed" }).where(eq(workspaces.name, "in tx")),
        ]);
        expect((await tx.select().from(workspaces).where(eq(workspaces.name, "in tx, renamed"))).length).toBe(
          1,
        );
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await names()).toEqual(before);
  });
});

describe("inTransaction", () => {
  it("commits on libSQL", async () => {
    await inTransaction(deps.db, "testing", async (tx) => {
      await tx.insert(workspaces).values({ name: "committed" });
    });
    expect(await names()).toContain("committed");
  });

  it("refuses on D1 before anything runs, naming the action and the fix", async () => {
    const d1 = d1Like();
    let ran = false;
    try {
      const error = await inTransaction(d1.db, "adding a note", async (tx) => {
        ran = true;
        await tx.insert(workspaces).values({ name: "never" });
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NeedsTransactionsError);
      expect(error).toBeInstanceOf(AppError);
      expect(ERROR_STATUS[(error as AppError).code]).toBe(501);
      expect((error as Error).message).toMatch(
        /^Adding a note needs a database transaction, which Cloudflare D1 does not offer.*nothing was changed.*DATABASE_URL=libsql:\/\//,
      );
      expect(ran).toBe(false);
      expect(await names()).not.toContain("never");
    } finally {
      d1.close();
    }
  });

  it("is the only way in: the D1 handle's own transaction throws the same error at once", async () => {
    const { db } = openD1Database({} as never);
    expect(isD1(db)).toBe(true);
    const raw = (db as unknown as { transaction: (fn: () => Promise<void>) => Promise<void> }).transaction;
    let ran = false;
    await expect(
      raw(async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(NeedsTransactionsError);
    expect(ran).toBe(false);
    // @ts-expect-error — Db has no `transaction`: atomic work goes through atomicBatch or inTransaction.
    expect(db.transaction).toBeTypeOf("function");
  });
});
