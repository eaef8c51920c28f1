// Classifies mentions stored without a classification (the classifier failed, or none was configured when they
// arrived) with the runtime's classifier. Scheduled every few minutes (src/jobs/schedule.ts); bounded per run
// so a Workers invocation stays short — what is left waits for the next run.
import { LocalEngine } from "../classifier/index.js";
import type { Deps } from "../deps.js";
import {
  type ReclassifyClassifier,
  type ReclassifyResult,
  reclassifyMentions,
} from "../services/classification/reclassify.js";

export const UNCLASSIFIED_PER_RUN = 2_000;

export async function runClassifyUnclassified(
  deps: Deps,
  options: { maxMentions?: number; batchSize?: number } = {},
): Promise<ReclassifyResult> {
  const classifier: ReclassifyClassifier = deps.classifier ?? new LocalEngine();
  const result = await reclassifyMentions(deps, {
    onlyUnclassified: true,
    classifier,
    maxMentions: options.maxMentions ?? UNCLASSIFIED_PER_RUN,
    batchSize: options.batchSize ?? 200,
    // Plain calls: these mentions are waiting in the live queue, not a backfill that can wait for a batch.
    batchApi: false,
    recordRun: false,
    // Ingest routed these without a classification, so an urgent one has not alerted and a rights flag has
    // made no event. Every router is safe to run again (outbox keys, already-attached follow-ups are skipped).
    lateRouters: deps.routers,
  });
  if (result.status === "stopped")
    throw new Error(`classifying unclassified mentions stopped: ${result.error}`);
  return result;
}
