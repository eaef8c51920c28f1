// Delivers due outbox rows. Runs under the `deliver-outbox` job lease; rows are also claimed in the database, so
// even two deliverers (an expired lease, a manual run) never send the same row at once.
import type { Db } from "../../db/client.js";
import type { Logger } from "../../log.js";
import { claimDueOutbox, markFailed, markRetry, markSent, releaseClaim } from "./outbox.js";
import { retryDelayMs, shouldGiveUp } from "./retry-policy.js";
import type { DeliveryOutcome, OutboxSenders } from "./senders.js";

export interface DeliverOptions {
  /** Rows per run; the rest wait for the next minute. */
  limit?: number;
  /** How long a claimed row is hidden from other deliverers: longer than sending it can take. */
  claimMs?: number;
}

export interface DeliverReport {
  sent: number;
  retried: number;
  failed: number;
  /** Claimed but not tried because their destination had just failed in this run. */
  deferred: number;
}

export async function deliverOutbox(
  ctx: { db: Db; log: Logger; senders: OutboxSenders },
  now: Date,
  options: DeliverOptions = {},
): Promise<DeliverReport> {
  const report: DeliverReport = { sent: 0, retried: 0, failed: 0, deferred: 0 };
  const rows = await claimDueOutbox(ctx.db, now, options.limit ?? 100, options.claimMs ?? 5 * 60_000);
  // A destination that is down or rate-limiting gets one request per run, not one per queued message.
  const blocked = new Map<string, Date>();
  for (const row of rows) {
    // E-mails all go through the one SMTP server; Slack and webhooks through their own URLs.
    const destinationKey = row.kind === "email" ? "email" : `${row.kind}:${row.destination}`;
    const blockedUntil = blocked.get(destinationKey);
    if (blockedUntil) {
      await releaseClaim(ctx.db, row.id, blockedUntil);
      report.deferred++;
      continue;
    }
    let outcome: DeliveryOutcome;
    try {
      outcome = await ctx.senders[row.kind](row);
    } catch (error) {
      outcome = { status: "retry", error: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.status === "sent") {
      await markSent(ctx.db, row.id, now);
      report.sent++;
    } else if (outcome.status === "failed") {
      await markFailed(ctx.db, row.id, outcome.error, outcome.fix);
      ctx.log.warn("outbox delivery failed permanently", {
        id: row.id,
        kind: row.kind,
        error: outcome.error,
      });
      report.failed++;
    } else if (shouldGiveUp(row.createdAt, now)) {
      await markFailed(
        ctx.db,
        row.id,
        outcome.error,
        `Still failing after a day of retries (${outcome.error}). Check that the ${row.kind === "email" ? "mail server (SMTP_URL)" : row.kind === "slack" ? "Slack webhook" : "webhook endpoint"} is reachable, then press Retry.`,
      );
      report.failed++;
    } else {
      const next = new Date(now.getTime() + retryDelayMs(row.attempts + 1, outcome.retryAfterMs));
      await markRetry(ctx.db, row.id, outcome.error, next);
      blocked.set(destinationKey, next);
      report.retried++;
    }
  }
  return report;
}
