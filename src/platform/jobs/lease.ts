// A lease in the database stops two processes (or Workers invocations) running the same job at once.
// It expires on its own, so a crashed holder blocks the job for at most `ttlMs`.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { leases } from "../../db/schema/index.js";

export async function acquireLease(
  db: Db,
  name: string,
  holder: string,
  ttlMs: number,
  now: Date,
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const rows = await db
    .insert(leases)
    .values({ name, holder, expiresAt })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder, expiresAt },
      setWhere: sql`${leases.expiresAt} < ${now.getTime()} OR ${leases.holder} = ${holder}`,
    })
    .returning({ holder: leases.holder });
  return rows[0]?.holder === holder;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}

/** Runs `fn` only if the lease is free; returns undefined when another holder has it. */
export async function withLease<T>(
  db: Db,
  name: string,
  holder: string,
  ttlMs: number,
  now: Date,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (!(await acquireLease(db, name, holder, ttlMs, now))) return { ran: false };
  try {
    return { ran: true, value: await fn() };
  } finally {
    await releaseLease(db, name, holder);
  }
}
