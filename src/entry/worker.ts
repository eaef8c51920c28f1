// Cloudflare Workers entry: the same Hono app (`fetch`), the same job functions chosen by cron expression
// (`scheduled`), and a queue consumer that polls one source per message. Deps are built per event from the
// bindings, validated once here at the edge.
import type {
  D1Database,
  ExecutionContext,
  MessageBatch,
  Queue,
  ScheduledController,
} from "@cloudflare/workers-types";
import { eq } from "drizzle-orm";
import classifyPrompt from "../../prompts/classify.md";
import { LocalModel, type ModelBundle } from "../classifier/local-model.js";
import weights from "../classifier/model/weights.json";
import { openDatabase } from "../db/client.js";
import { openD1Database } from "../db/d1.js";
import { sources } from "../db/schema/index.js";
import { createDeps, type Deps } from "../deps.js";
import { EnvError, loadEnv, requirePublicUrl } from "../env.js";
import { findDueSources, pollWithLease } from "../jobs/poll-due-sources.js";
import { JOBS } from "../jobs/schedule.js";
import { runJob } from "../jobs/scheduler.js";
import { buildRuntime } from "../runtime.js";
import { createApp } from "../web/app.js";

export type QueueMessage = { type: "poll"; sourceId: number; scheduledAt: string };

export interface WorkerBindings {
  /** D1, or leave unbound and set DATABASE_URL=libsql://… (+ DATABASE_AUTH_TOKEN) for Turso. */
  DB?: D1Database;
  POLL_QUEUE?: Queue<QueueMessage>;
  [variable: string]: unknown;
}

/** The job the queue fans out instead of running inline: one message per due source. */
const FAN_OUT_JOB = "poll-due-sources";

/** Pages one queue message may fetch: keeps an invocation well inside the subrequest and CPU limits; the
 * cursor is saved per page, so the next cron run simply continues. */
const PAGES_PER_MESSAGE = 5;

let localModel: LocalModel | undefined; // parsed weights: pure data, safe to reuse across events in an isolate

async function workerDeps(bindings: WorkerBindings): Promise<Deps> {
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(bindings)) if (typeof value === "string") vars[key] = value;
  const env = loadEnv({ ...vars, RAPPORT_SCHEDULER: "0", RAPPORT_DEMO: vars.RAPPORT_DEMO ?? "0" });
  requirePublicUrl(env); // the cron sends alerts and digests
  const database = bindings.DB
    ? openD1Database(bindings.DB)
    : openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  const deps = createDeps(env, database);
  localModel ??= new LocalModel(weights as unknown as ModelBundle);
  return buildRuntime(deps, { classifierAssets: { localModel, claudePrompt: classifyPrompt } });
}

function configurationError(error: unknown): Response | null {
  if (!(error instanceof EnvError)) return null;
  // One clear 500 naming the variable, not a crash deep inside a handler.
  return new Response(JSON.stringify({ error: { code: "configuration", message: error.message } }), {
    status: 500,
    headers: { "content-type": "application/json" },
  });
}

export default {
  async fetch(request: Request, bindings: WorkerBindings, ctx: ExecutionContext): Promise<Response> {
    let deps: Deps;
    try {
      deps = await workerDeps(bindings);
    } catch (error) {
      const response = configurationError(error);
      if (response) return response;
      throw error;
    }
    return createApp(deps).fetch(request, bindings, ctx as never);
  },

  async scheduled(
    controller: ScheduledController,
    bindings: WorkerBindings,
    ctx: ExecutionContext,
  ): Promise<void> {
    const deps = await workerDeps(bindings);
    const now = new Date(controller.scheduledTime);
    const holder = `worker:cron:${controller.scheduledTime}`;
    for (const job of JOBS.filter((j) => j.cron === controller.cron)) {
      if (job.name === FAN_OUT_JOB && bindings.POLL_QUEUE) {
        const due = await findDueSources(deps, now);
        // Queues take at most 100 messages per sendBatch.
        for (let i = 0; i < due.length; i += 100) {
          await bindings.POLL_QUEUE.sendBatch(
            due
              .slice(i, i + 100)
              .map((s) => ({ body: { type: "poll", sourceId: s.id, scheduledAt: now.toISOString() } })),
          );
        }
        continue;
      }
      ctx.waitUntil(runJob(deps, job, holder, now));
    }
  },

  async queue(batch: MessageBatch<QueueMessage>, bindings: WorkerBindings): Promise<void> {
    const deps = await workerDeps(bindings);
    for (const message of batch.messages) {
      try {
        const [source] = await deps.db.select().from(sources).where(eq(sources.id, message.body.sourceId));
        if (!source?.enabled) {
          message.ack(); // deleted or disabled since it was enqueued
          continue;
        }
        // A poll that fails is recorded on the source (health, backoff) and acked; only an unexpected crash
        // retries the message. Retrying is safe: the cursor moves with the mentions it covers.
        await pollWithLease(deps, source, deps.now(), `worker:queue:${message.id}`, {
          maxPages: PAGES_PER_MESSAGE,
        });
        message.ack();
      } catch (error) {
        deps.log.error("queue poll crashed; retrying", {
          sourceId: message.body.sourceId,
          error: String(error),
        });
        message.retry();
      }
    }
  },
};
