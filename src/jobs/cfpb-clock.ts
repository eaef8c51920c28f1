// The CFPB response clock's job: every CFPB complaint gets its clock row (services/compliance/cfpb-complaints.ts),
// then each workspace's reminders due now are queued for Slack (at most once each: see cfpb-reminders.ts).
import { sql } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { mentionLink, publicBaseUrl } from "../platform/links.js";
import { syncCfpbComplaints } from "../services/compliance/cfpb-complaints.js";
import { queueCfpbReminders } from "../services/compliance/cfpb-reminders.js";

export interface CfpbClockReport {
  found: number;
  queued: number;
  noDestination: number;
}

export async function runCfpbClock(deps: Deps, now: Date): Promise<CfpbClockReport> {
  const found = await syncCfpbComplaints(deps.db, now);
  const workspaces = await deps.db.all<{ id: number }>(
    sql`SELECT DISTINCT workspace_id AS id FROM complaint_responses WHERE final_at IS NULL`,
  );
  const base = publicBaseUrl(deps.env);
  const report: CfpbClockReport = { found, queued: 0, noDestination: 0 };
  for (const { id } of workspaces) {
    const r = await queueCfpbReminders(deps.db, Number(id), now, {
      fallbackWebhookUrl: deps.env.SLACK_WEBHOOK_URL,
      mentionUrl: (mentionId) => mentionLink(base, mentionId),
    });
    report.queued += r.queued;
    report.noDestination += r.noDestination;
  }
  if (report.noDestination > 0)
    deps.log.warn("CFPB reminders due with no Slack webhook", { count: report.noDestination });
  return report;
}
