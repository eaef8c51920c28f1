// Rebuilds the trigger-kept tallies (queue_counts, daily_counts) from `mentions`: after a bulk load that ran
// without the triggers (bench/web.ts drops them to load a million rows), or to repair. Same definitions as the
// triggers in migrations/0007_queue_and_daily_counts.sql.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { IN_OPEN_QUEUE } from "./scope.js";

export async function rebuildCounts(db: Db): Promise<void> {
  await db.run(sql`DELETE FROM queue_counts`);
  await db.run(
    sql`INSERT INTO queue_counts (source_id, open, unanswered, arrived_overdue)
        SELECT source_id, count(*), coalesce(sum(first_response_at IS NULL), 0),
          coalesce(sum(first_response_at IS NULL AND sla_due_at <= fetched_at), 0)
        FROM mentions WHERE ${IN_OPEN_QUEUE} GROUP BY source_id`,
  );
  await db.run(sql`DELETE FROM daily_counts`);
  await db.run(
    sql`INSERT INTO daily_counts (source_id, day, category, count)
        SELECT source_id, created_at / 86400000, coalesce(category, 'unclassified'), count(*)
        FROM mentions GROUP BY 1, 2, 3`,
  );
}
