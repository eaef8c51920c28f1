// Slack reminders before each CFPB deadline (3 days and 1 day before, and once when one passes), through the
// outbox. The key is the complaint, the stage, the deadline day and the window (cfpb-clock.ts reminderDue), and
// the outbox's unique key makes a second enqueue a no-op: a job that crashed after queueing some reminders, or
// runs twice, never sends one twice; one that was down when a window opened sends it on its next run.
import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { brands, mentionBrands } from "../../db/schema/index.js";
import {
  type CfpbReminder,
  cfpbClockWords,
  dayLabel,
  reminderDue,
} from "../../domain/compliance/cfpb-clock.js";
import { maskFor } from "../../domain/masking.js";
import { escapeMrkdwn, truncate } from "../../notify/slack.js";
import type { SlackPayload } from "../../platform/notify/slack.js";
import { slackDestination } from "../../platform/outbox/destinations.js";
import { enqueueOutbox } from "../../platform/outbox/outbox.js";
import { type CfpbComplaint, loadCfpbComplaints } from "./cfpb-complaints.js";

/** "Sun, Dec 27": a deadline is the end of that Eastern day, which may be up to two days off ("within a day" was not). */
const deadlineDay = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString("en-US", {
    timeZone: "UTC",
    weekday: "short",
    month: "short",
    day: "numeric",
  });

const safe = (text: string, max: number) => truncate(escapeMrkdwn(maskFor("slack", text)), max);

export function buildCfpbReminderMessage(
  complaint: CfpbComplaint,
  reminder: CfpbReminder,
  mentionUrl: string,
  now: Date,
): SlackPayload {
  const what = reminder.stage === "response" ? "company response (15 days)" : "final response (60 days)";
  const headline =
    reminder.lead === 0
      ? `CFPB complaint: the ${what} is overdue`
      : `CFPB complaint: the ${what} is due by the end of ${deadlineDay(reminder.dueDay)} (US Eastern)`;
  const origin =
    complaint.origin === "portal"
      ? `From the CFPB complaint database (${safe(complaint.sourceName, 100)})`
      : `A post on ${safe(complaint.sourceName, 100)} says a CFPB complaint was filed: the day is estimated from the post; check the CFPB company portal`;
  return {
    text: `${headline}: ${cfpbClockWords(complaint.clock, now)}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: truncate(headline, 150), emoji: true } },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*${escapeMrkdwn(cfpbClockWords(complaint.clock, now))}*\nReceived ${dayLabel(complaint.receivedDay)} (US Eastern). ${origin}.`,
        },
      },
      ...(complaint.issue
        ? [
            {
              type: "section" as const,
              text: { type: "mrkdwn" as const, text: `*Issue*\n${safe(complaint.issue, 300)}` },
            },
          ]
        : []),
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `>${safe(complaint.textMasked.replace(/\s+/g, " ").trim(), 600)}`,
        },
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Open in Rapport" },
            url: mentionUrl,
            action_id: "open_mention",
            style: "primary",
          },
        ],
      },
    ],
  };
}

export interface ReminderReport {
  /** Reminders newly queued (a window already reminded is not counted again). */
  queued: number;
  /** Reminders due with nowhere to go (no brand webhook and no SLACK_WEBHOOK_URL). */
  noDestination: number;
}

/** Queues the reminders due now for one workspace's open complaints. */
export async function queueCfpbReminders(
  db: Db,
  workspaceId: number,
  now: Date,
  options: { fallbackWebhookUrl?: string | undefined; mentionUrl: (id: number) => string },
): Promise<ReminderReport> {
  const report: ReminderReport = { queued: 0, noDestination: 0 };
  const due = (await loadCfpbComplaints(db, workspaceId, now, { openOnly: true }))
    .map((complaint) => ({
      complaint,
      reminder: reminderDue(complaint.clock, complaint.storedAt, complaint.mentionId),
    }))
    .filter((d): d is { complaint: CfpbComplaint; reminder: CfpbReminder } => d.reminder !== null);
  if (due.length === 0) return report;
  const links = await db
    .select({ mentionId: mentionBrands.mentionId, webhook: brands.slackWebhookUrl, brandId: brands.id })
    .from(mentionBrands)
    .innerJoin(brands, eq(brands.id, mentionBrands.brandId))
    .where(
      inArray(
        mentionBrands.mentionId,
        due.map((d) => d.complaint.mentionId),
      ),
    );
  for (const { complaint, reminder } of due) {
    // The complaint's first brand with its own webhook, else the channel for all brands.
    const own = links
      .filter((l) => l.mentionId === complaint.mentionId)
      .sort((a, b) => a.brandId - b.brandId)
      .find((l) => l.webhook);
    const destination = slackDestination(own?.webhook, options.fallbackWebhookUrl);
    if (!destination) {
      report.noDestination++;
      continue;
    }
    const queued = await enqueueOutbox(
      db,
      {
        kind: "slack",
        idempotencyKey: reminder.key,
        destination,
        payload: buildCfpbReminderMessage(complaint, reminder, options.mentionUrl(complaint.mentionId), now),
        workspaceId,
      },
      now,
    );
    if (queued) report.queued++;
  }
  return report;
}
