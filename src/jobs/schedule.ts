// The schedule table: one row per job. The Node scheduler (src/jobs/scheduler.ts) and the Workers cron
// handler both read it, so the two runtimes run the same jobs on the same clock.
import type { Deps } from "../deps.js";
import { sealAuditLog } from "../services/audit/audit-chain.js";
import { runCfpbClock } from "./cfpb-clock.js";
import { runDeliverOutbox } from "./deliver-outbox.js";
import { runDetectSpikes } from "./detect-spikes.js";
import { runPollDueSources } from "./poll-due-sources.js";
import { runPurge } from "./purge.js";
import { runClassifyUnclassified } from "./reclassify.js";
import { runSendDigestsJob } from "./send-digests.js";

export interface JobDefinition {
  name: string;
  cron: string;
  /** How long the job's lease lasts: longer than the job can take, short enough to recover from a crash. */
  leaseMs: number;
  /** Resolves to the number of items handled, when the job counts any. */
  run(deps: Deps, now: Date, holder: string): Promise<unknown>;
}

export const JOBS: JobDefinition[] = [
  {
    name: "poll-due-sources",
    cron: "* * * * *",
    leaseMs: 15 * 60_000,
    async run(deps, now, holder) {
      const outcomes = await runPollDueSources(deps, now, holder);
      return outcomes.reduce((n, o) => n + o.inserted, 0);
    },
  },
  {
    // Links each new audit entry into its workspace's hash chain within a minute (rapport audit verify).
    name: "audit-seal",
    cron: "* * * * *",
    leaseMs: 10 * 60_000,
    async run(deps) {
      return (await sealAuditLog(deps.db, deps.env.RAPPORT_SECRET)).sealed;
    },
  },
  {
    name: "deliver-outbox",
    cron: "* * * * *",
    leaseMs: 10 * 60_000,
    async run(deps, now) {
      const report = await runDeliverOutbox(deps, now);
      return report.sent;
    },
  },
  {
    // Five minutes past: mentions of the hour that just ended have been polled by then.
    name: "detect-spikes",
    cron: "5 * * * *",
    leaseMs: 30 * 60_000,
    async run(deps, now) {
      const report = await runDetectSpikes(deps, now);
      return report.newSpikes;
    },
  },
  {
    name: "send-digests",
    cron: "*/15 * * * *",
    leaseMs: 15 * 60_000,
    async run(deps, now) {
      const report = await runSendDigestsJob(deps, now);
      return report.queued.length;
    },
  },
  {
    // CFPB complaints get their response clock, and Slack reminders 3 days and 1 day before each deadline.
    // A cron the Workers trigger list already has (wrangler.toml), so both runtimes run it.
    name: "cfpb-clock",
    cron: "*/5 * * * *",
    leaseMs: 10 * 60_000,
    async run(deps, now) {
      const report = await runCfpbClock(deps, now);
      return report.queued;
    },
  },
  {
    name: "purge",
    cron: "17 3 * * *",
    leaseMs: 30 * 60_000,
    async run(deps, now) {
      const report = await runPurge(deps, now);
      return report.mentions;
    },
  },
  {
    // Mentions stored while the classifier failed get their classification (and SLA clock) within minutes.
    name: "classify-unclassified",
    cron: "*/5 * * * *",
    leaseMs: 15 * 60_000,
    async run(deps) {
      const result = await runClassifyUnclassified(deps);
      return result.processed;
    },
  },
];
