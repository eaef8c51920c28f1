// Every 15 minutes: queue last week's digest for each recipient whose Monday 08:00 (their time zone) has passed.
// 15 minutes is the promise: a director in any zone (including :30 and :45 offsets) gets it by 08:15.
import type { Deps } from "../deps.js";
import { type DigestRunReport, runSendDigests } from "../services/digest/send-digests.js";

export async function runSendDigestsJob(deps: Deps, now: Date): Promise<DigestRunReport> {
  const report = await runSendDigests(deps, now);
  if (report.queued.length > 0) deps.log.info("digests queued", { count: report.queued.length });
  return report;
}
