// The audit seal on a D1 handle: batches only (no interactive transaction), paced to D1's per-invocation query
// limit, and the chain it builds verifies as the libSQL one does.
import { createClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import { markD1 } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import * as schema from "../../db/schema/index.js";
import { sealAuditLog, verifyAuditLog } from "./audit-chain.js";
import { recordAuditMany, SYSTEM_ACTOR } from "./record-audit.js";

let deps: TestDeps;
let client: ReturnType<typeof createClient>;
let d1: Db;
beforeEach(async () => {
  deps = await createTestDeps();
  client = createClient({ url: deps.env.DATABASE_URL });
  d1 = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  markD1(d1);
});
afterEach(async () => {
  client.close();
  await deps.cleanup();
});

const unsealed = async () =>
  Number(
    (await deps.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE hash IS NULL`))[0]!.n,
  );

it("seals a backlog in steps of 200 per run on D1, and the chain verifies", async () => {
  const entries = Array.from({ length: 450 }, (_, i) => ({
    actor: SYSTEM_ACTOR,
    action: "test.entry",
    entityType: "test",
    entityId: i,
    workspaceId: deps.workspaceId,
  }));
  await recordAuditMany(deps.db, entries);
  const backlog = await unsealed();
  expect(backlog).toBeGreaterThanOrEqual(450);
  const secret = deps.env.RAPPORT_SECRET;
  expect((await sealAuditLog(d1, secret)).sealed).toBe(200);
  expect(await unsealed()).toBe(backlog - 200);
  expect((await sealAuditLog(d1, secret)).sealed).toBe(200);
  expect((await sealAuditLog(d1, secret)).sealed).toBe(backlog - 400);
  expect(await unsealed()).toBe(0);
  expect((await sealAuditLog(d1, secret)).sealed).toBe(0);
  const reports = await verifyAuditLog(deps.db, secret);
  expect(reports.flatMap((r) => r.problems)).toEqual([]);
  expect(reports.reduce((n, r) => n + r.sealed, 0)).toBe(backlog);
  // And libSQL continues the same chain.
  await recordAuditMany(deps.db, entries.slice(0, 3));
  expect((await sealAuditLog(deps.db, secret)).sealed).toBe(3);
  expect((await verifyAuditLog(deps.db, secret)).flatMap((r) => r.problems)).toEqual([]);
});
