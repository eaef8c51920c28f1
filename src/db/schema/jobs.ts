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
    status: text({ enum: ["running", "ok", "error", "skipped"] }).notNull(),
    items: integer().notNull().default(0),
    error: text(),
  },
  (t) => [
    index("job_runs_job_started").on(t.job, t.startedAt),
    index("job_runs_source").on(t.sourceId, t.startedAt),
  ],
);

/** A lease stops two processes (or two Workers invocations) running the same job at once. */
export const leases = sqliteTable("leases", {
  name: text().primaryKey(),
  holder: text().notNull(),
  expiresAt: instant().notNull(),
});
