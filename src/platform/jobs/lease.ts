// A lease in the database stops two processes (or Workers invocations) running the same job at once. It is
// short and heartbeated: the holder renews it while it works, so a job may run as long as it needs, and a holder
// that died (kill -9, a lost machine) frees it within LEASE_TTL_MS — not after the job's whole budget, which
// once blocked every poll for 15 minutes after a crash.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { leases } from "../../db/schema/index.js";
import { currentLease } from "./current-lease.js";
import { closeAbandonedRuns } from "./job-runs.js";

/** A lease nobody renews lapses after this: a dead holder blocks its job for at most this long. */
export const LEASE_TTL_MS = 45_000;
/** How often a live holder renews: three chances before the lease would lapse under a slow database. */
export const LEASE_RENEW_MS = 15_000;

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

/** Pushes the expiry on, if this holder still has the lease. False: it lapsed and someone else took it. */
export async function renewLease(
  db: Db,
  name: string,
  holder: string,
  ttlMs: number,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(leases)
    .set({ expiresAt: new Date(now.getTime() + ttlMs) })
    .where(and(eq(leases.name, name), eq(leases.holder, holder)))
    .returning({ name: leases.name });
  return rows.length > 0;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}

/**
 * Runs `fn` only if the lease is free (returns `{ ran: false }` when another holder has it), renewing it every
 * LEASE_RENEW_MS until `fn` settles. `ttlMs` is the most a lapse may take (at most LEASE_TTL_MS). Runs recorded
 * under this lease by a holder that no longer has it are closed as abandoned first: their process is gone.
 */
export async function withLease<T>(
  db: Db,
  name: string,
  holder: string,
  ttlMs: number,
  now: Date,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const ttl = Math.min(ttlMs, LEASE_TTL_MS);
  if (!(await acquireLease(db, name, holder, ttl, now))) return { ran: false };
  // Renewals keep the caller's clock (tests pass a fixed `now`), advanced by the time really spent.
  const startedAt = Date.now();
  const clock = () => new Date(now.getTime() + (Date.now() - startedAt));
  const timer = setInterval(
    () => {
      renewLease(db, name, holder, ttl, clock()).catch(() => {
        // A busy database: the next renewal (two more before the lease lapses) tries again.
      });
    },
    Math.min(LEASE_RENEW_MS, Math.max(10, Math.floor(ttl / 3))),
  );
  try {
    await closeAbandonedRuns(db, now, name);
    return { ran: true, value: await currentLease.run({ name, holder }, fn) };
  } finally {
    clearInterval(timer);
    await releaseLease(db, name, holder);
  }
}
