import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Derived tallies kept by SQL triggers on `mentions` (see the migration that creates them), so they change in the
// same transaction as the rows they count, whichever code path writes: the store, a status change, a reply, a
// reclassification, a purge. Today and the queue read these instead of counting a backlog that can reach a
// million rows. No foreign keys: they are derived data, rebuilt from `mentions` by
// src/services/metrics/rebuild-counts.ts.

/** Open queue per source: `open` (relevant, open status, SLA clock set), of which `unanswered` (no first
 * response) and, of those, `arrivedOverdue` (already past the SLA when Rapport stored the post: a backfill,
 * not the team's miss). */
export const queueCounts = sqliteTable("queue_counts", {
  sourceId: integer().primaryKey(),
  open: integer().notNull().default(0),
  unanswered: integer().notNull().default(0),
  arrivedOverdue: integer().notNull().default(0),
});

/** Mentions per source, UTC day (days since the epoch, by the post's own time) and category ('unclassified'
 * when none): Today's 30-day charts read ~30 × sources × categories rows, not every mention of the month. */
export const dailyCounts = sqliteTable(
  "daily_counts",
  {
    sourceId: integer().notNull(),
    day: integer().notNull(),
    category: text().notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.sourceId, t.day, t.category] }),
    // The count too: Today's charts read their 30 days from this index alone.
    index("daily_counts_covering").on(t.sourceId, t.day, t.category, t.count),
  ],
);
