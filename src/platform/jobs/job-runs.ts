// Every job run is recorded: start, end, items, error.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { jobRuns } from "../../db/schema/index.js";

export async function startRun(db: Db, job: string, now: Date, sourceId?: number): Promise<number> {
  const [row] = await db
    .insert(jobRuns)
    .values({ job, startedAt: now, status: "running", ...(sourceId !== undefined ? { sourceId } : {}) })
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
