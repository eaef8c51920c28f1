import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, json } from "./_columns.js";

/**
 * Everything that leaves Rapport (Slack alerts, e-mails, account webhooks) is written here in the same
 * transaction as the data that caused it, and delivered by a job. The idempotency key makes it once.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: id(),
    /** The workspace whose data caused the message: its admins (and no one else's) see and retry it. */
    workspaceId: integer(),
    kind: text({ enum: ["slack", "email", "webhook"] }).notNull(),
    idempotencyKey: text().notNull().unique(),
    destination: text().notNull(),
    payload: json<unknown>().notNull(),
    /** `sending`: an attempt is in flight (a row left so by a dead process is resolved at the next run);
     * `unknown`: an attempt got no answer and the receiver cannot dedupe (Slack), so it is not sent again unasked. */
    status: text({ enum: ["pending", "sending", "sent", "failed", "unknown"] })
      .notNull()
      .default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: instant().notNull(),
    lastError: text(),
    /** What a person must do when delivery failed permanently. */
    fix: text(),
    createdAt: createdAt(),
    sentAt: instant(),
  },
  (t) => [index("outbox_due").on(t.status, t.nextAttemptAt)],
);
