// Hourly, a few minutes past the hour (late mentions of the last hour are in by then): judge the hour that just
// ended for every counted key; new spikes get a row and a Slack alert in one transaction.
import type { Deps } from "../deps.js";
import { runSpikeDetection, type SpikeRunReport } from "../services/alerts/spike-detection.js";

export async function runDetectSpikes(deps: Deps, now: Date): Promise<SpikeRunReport> {
  const report = await runSpikeDetection(deps, now);
  if (report.newSpikes > 0 || report.updated > 0)
    deps.log.info("spikes", { ...report, hour: report.hour.toISOString() });
  return report;
}
