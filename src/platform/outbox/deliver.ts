// Delivers due outbox rows. Runs under the `deliver-outbox` job lease; rows are also claimed in the database, so
// even two deliverers (an expired lease, a manual run) never send the same row at once.
import type { Db } from "../../db/client.js";
import type { Logger } from "../../log.js";
import { nextAttempt } from "../notify/retry.js";
import type { DeliveryResult } from "../notify/types.js";
import {
  claimDueOutbox,
  markFailed,
  markRetry,
  markSending,
  markSent,
  markUnknown,
  releaseClaim,
  resolveInterruptedSends,
} from "./outbox.js";
import type { OutboxSenders } from "./senders.js";

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
  /** Sent without an answer: not sent again on their own (see DeliveryResult "unknown"). */
  unknown: number;
}

const UNKNOWN_FIX =
  "Look in the Slack channel: if the message is there, nothing is missing. If it is not, press Retry to send it once more.";

export async function deliverOutbox(
  ctx: { db: Db; log: Logger; senders: OutboxSenders },
  now: Date,
  options: DeliverOptions = {},
): Promise<DeliverReport> {
  const report: DeliverReport = { sent: 0, retried: 0, failed: 0, deferred: 0, unknown: 0 };
  await resolveInterruptedSends(ctx.db, now, UNKNOWN_FIX);
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
    let result: DeliveryResult;
    await markSending(ctx.db, row.id);
    try {
      result = await ctx.senders[row.kind](row);
    } catch (error) {
      result = { status: "retry", reason: error instanceof Error ? error.message : String(error) };
    }
    if (result.status === "unknown") {
      // E-mail and webhooks carry their idempotency key (Message-ID, Idempotency-Key): a retry is safe for them.
      if (row.kind !== "slack") result = { status: "retry", reason: result.reason };
      else {
        await markUnknown(ctx.db, row.id, result.reason, UNKNOWN_FIX);
        ctx.log.warn("outbox delivery outcome unknown", { id: row.id, kind: row.kind, error: result.reason });
        report.unknown++;
        continue;
      }
    }
    if (result.status === "ok") {
      await markSent(ctx.db, row.id, now);
      report.sent++;
      continue;
    }
    if (result.status === "permanent") {
      await markFailed(ctx.db, row.id, result.reason, result.fix);
      ctx.log.warn("outbox delivery refused", { id: row.id, kind: row.kind, error: result.reason });
      report.failed++;
      continue;
    }
    const next = nextAttempt(row.attempts + 1, result, now);
    if (next === null) {
      // A day of retries: stop and ask a person (Retry in the dashboard sends it again). Never silently dropped.
      const what =
        row.kind === "email"
          ? "mail server (SMTP_URL)"
          : row.kind === "slack"
            ? "Slack webhook"
            : "webhook endpoint";
      await markFailed(
        ctx.db,
        row.id,
        result.reason,
        `Still failing after a day of retries (${result.reason}). Check that the ${what} is reachable, then press Retry.`,
      );
      report.failed++;
      continue;
    }
    await markRetry(ctx.db, row.id, result.reason, next);
    blocked.set(destinationKey, next);
    report.retried++;
  }
  return report;
}
