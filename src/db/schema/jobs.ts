import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, instant } from "./_columns.js";

export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: id(),
    job: text().notNull(),
    sourceId: integer(),
    startedAt: instant().notNull(),
    endedAt: instant(),
    /** `abandoned`: its process died while it was running (found when the lease it ran under was free). */
    status: text({ enum: ["running", "ok", "error", "skipped", "abandoned"] }).notNull(),
    items: integer().notNull().default(0),
    error: text(),
    /** The lease the run was started under and its holder: while that lease lives, the run does. */
    lease: text(),
    holder: text(),
  },
  (t) => [
    index("job_runs_job_started").on(t.job, t.startedAt),
    index("job_runs_source").on(t.sourceId, t.startedAt),
    index("job_runs_running").on(t.lease).where(sql`status = 'running'`),
  ],
);

/** A lease stops two processes (or two Workers invocations) running the same job at once. */
export const leases = sqliteTable("leases", {
  name: text().primaryKey(),
  holder: text().notNull(),
  expiresAt: instant().notNull(),
});
