// The Node scheduler: node-cron fires each job of the schedule table; a lease in the database keeps two
// processes from running the same job; every run is recorded.
import { randomUUID } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { Deps } from "../deps.js";
import { closeAbandonedRuns, finishRun, startRun } from "../platform/jobs/job-runs.js";
import { withLease } from "../platform/jobs/lease.js";
import { JOBS, type JobDefinition } from "./schedule.js";

export async function runJob(deps: Deps, job: JobDefinition, holder: string, now = deps.now()) {
  const result = await withLease(deps.db, `job:${job.name}`, holder, job.leaseMs, now, async () => {
    const runId = await startRun(deps.db, job.name, now);
    try {
      const items = await job.run(deps, now, holder);
      await finishRun(
        deps.db,
        runId,
        { status: "ok", items: typeof items === "number" ? items : 0 },
        deps.now(),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error("job failed", { job: job.name, error: message });
      await finishRun(deps.db, runId, { status: "error", error: message }, deps.now());
    }
  });
  return result.ran;
}

export function startScheduler(deps: Deps, jobs: JobDefinition[] = JOBS): { stop(): Promise<void> } {
  const holder = `node:${process.pid}:${randomUUID().slice(0, 8)}`;
  // A job still running when its next tick comes is not started again here: node-cron's own guard cannot see a
  // promise its callback does not return. Across processes the job's lease does the same.
  const inFlight = new Map<string, Promise<unknown>>();
  // "running" rows a killed process left behind are closed now, not shown as running forever.
  const sweep = closeAbandonedRuns(deps.db, deps.now()).catch((error: unknown) =>
    deps.log.error("closing abandoned job runs failed", { error: String(error) }),
  );
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      () => {
        if (inFlight.has(job.name)) {
          deps.log.debug("job still running, tick skipped", { job: job.name });
          return;
        }
        const run = runJob(deps, job, holder)
          .catch((error: unknown) =>
            deps.log.error("scheduler error", { job: job.name, error: String(error) }),
          )
          .finally(() => inFlight.delete(job.name));
        inFlight.set(job.name, run);
      },
      { name: job.name },
    ),
  );
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
      await sweep;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
