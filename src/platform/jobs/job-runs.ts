// Every job run is recorded: start, end, items, error, and the lease it runs under. A run whose lease is no
// longer held by its holder belongs to a process that died: it is closed as `abandoned` (at scheduler start, and
// whenever someone takes its lease), instead of showing "running" forever.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { jobRuns } from "../../db/schema/index.js";
import { heldLease } from "./current-lease.js";

export async function startRun(db: Db, job: string, now: Date, sourceId?: number): Promise<number> {
  const lease = heldLease();
  const [row] = await db
    .insert(jobRuns)
    .values({
      job,
      startedAt: now,
      status: "running",
      ...(sourceId !== undefined ? { sourceId } : {}),
      ...(lease ? { lease: lease.name, holder: lease.holder } : {}),
    })
    .returning({ id: jobRuns.id });
  return row!.id;
}

export async function finishRun(
  db: Db,
  runId: number,
  outcome: { status: "ok" | "error" | "skipped"; items?: number; error?: string },
  now: Date,
): Promise<void> {
  await db
    .update(jobRuns)
    .set({ endedAt: now, status: outcome.status, items: outcome.items ?? 0, error: outcome.error ?? null })
    .where(eq(jobRuns.id, runId));
}

/**
 * Closes "running" rows whose lease is not live in their holder's hands (of one lease, or all): their process
 * stopped without finishing them. Runs started outside any lease (a CLI backfill) are left alone: nothing
 * says whether they are alive.
 */
export async function closeAbandonedRuns(db: Db, now: Date, leaseName?: string): Promise<number> {
  const rows = await db
    .update(jobRuns)
    .set({
      status: "abandoned",
      endedAt: now,
      error: "the process running it stopped (crash or kill) before it finished; the next run starts over",
    })
    .where(
      and(
        eq(jobRuns.status, "running"),
        leaseName !== undefined ? eq(jobRuns.lease, leaseName) : sql`${jobRuns.lease} IS NOT NULL`,
        // Spelled out: drizzle names columns bare in an UPDATE, and a bare `holder` here would be the lease's own.
        sql`NOT EXISTS (SELECT 1 FROM leases WHERE leases.name = job_runs.lease AND leases.holder = job_runs.holder AND leases.expires_at > ${now.getTime()})`,
      ),
    )
    .returning({ id: jobRuns.id });
  return rows.length;
}
