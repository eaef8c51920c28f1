// `npm start`: migrate, seed the demo on an empty database, serve the dashboard, run the scheduler.
//
// The web server runs in WEB_WORKERS processes (node:cluster, default one per CPU core) sharing the port: one
// Node process renders on one core, and a busy dashboard is CPU-bound, not database-bound. The primary process
// migrates, seeds the demo and runs the scheduler (so every job runs in one process; the job leases also guard
// a second machine); the workers only serve. Everything they share lives in the database (sessions, login
// rate limits, job leases); the only per-process state is the filter-option cache (a few seconds, see
// src/services/mentions/filter-options.ts). libSQL files are safe across processes in WAL mode.
import cluster, { type Worker } from "node:cluster";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { serve } from "@hono/node-server";
import { configureConnection } from "../db/client.js";
import { cacheCompiledStatements } from "../db/statement-cache.js";
import { startDemo } from "../demo/start.js";
import { buildDeps } from "../deps.js";
import { type AppEnv, EnvError, loadEnv, requirePublicUrl } from "../env.js";
import { startScheduler } from "../jobs/scheduler.js";
import { publicBaseUrl } from "../platform/links.js";
import { buildRuntime } from "../runtime.js";
import { sealStoredWebhooks } from "../services/alerts/settings.js";
import { sealStoredCredentials } from "../services/sources/seal-stored-credentials.js";
import { ensureWorkspace } from "../services/workspace/ensure-workspace.js";
import { createApp } from "../web/app.js";

/** Worker → primary: my message listener is attached; tell me when the database is ready. */
const HELLO = "rapport:hello";
/** Primary → worker: the database is migrated (and the demo seeded); start answering. */
const READY = "rapport:ready";
/** Worker → primary: answering requests. */
const SERVING = "rapport:serving";
/** Workers that die before serving, in a row, after which the primary gives up instead of restarting forever. */
const MAX_FAILED_STARTS = 5;
/**
 * The default stays small: each process holds ~200 MB, and on Node 20 the core count is the host's, not a
 * container's CPU quota (32 processes on a 32-core host would not fit a 1-CPU container's memory).
 */
const DEFAULT_MAX_WORKERS = 4;

function webWorkers(env: AppEnv): number {
  // An in-memory database is private to its process: workers would each see an empty one.
  if (/^file:(:memory:)?$|:memory:/.test(env.DATABASE_URL)) return 1;
  return env.WEB_WORKERS ?? Math.min(availableParallelism(), DEFAULT_MAX_WORKERS);
}

/** A port someone else holds is a setup problem with a one-line fix, not a stack trace. */
function exitIfPortTaken(error: unknown, env: AppEnv): never {
  if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    console.error(`Port ${env.PORT} is already in use: stop the other server or set PORT to a free port.`);
    process.exit(1);
  }
  throw error;
}

/** Listens first, so links in alerts and digests (publicBaseUrl) name the port actually bound (PORT=0 picks
 * one); requests that arrive before the app is ready are asked to retry. */
async function listen(env: AppEnv) {
  let app: ReturnType<typeof createApp> | null = null;
  const server = serve({
    fetch: (request, ...rest) =>
      app
        ? app.fetch(request, ...rest)
        : new Response("Rapport is starting", { status: 503, headers: { "retry-after": "1" } }),
    port: env.PORT,
    hostname: env.HOST,
  });
  await once(server, "listening");
  env.PORT = (server.address() as AddressInfo).port;
  return { server, setApp: (ready: ReturnType<typeof createApp>) => (app = ready) };
}

/** Migrate, then the demo or the first workspace: once, in the process that runs the scheduler. */
async function prepare(env: AppEnv) {
  const deps = await buildRuntime(await buildDeps(env));
  const demo = env.RAPPORT_DEMO ? await startDemo(deps) : null;
  if (!env.RAPPORT_DEMO) await ensureWorkspace(deps);
  // An upgrade by restart seals credentials stored before sealing existed, as `rapport migrate` does.
  const sealed = await sealStoredCredentials(deps);
  if (sealed > 0) deps.log.info("sealed stored source credentials", { sources: sealed });
  const webhooks = await sealStoredWebhooks(deps);
  if (webhooks > 0) deps.log.info("sealed stored Slack webhooks", { brands: webhooks });
  return { deps, demo };
}

function announce(env: AppEnv, demo: Awaited<ReturnType<typeof prepare>>["demo"]) {
  console.log(`Rapport is running at ${publicBaseUrl(env)}`);
  if (demo) console.log(`Demo login: ${demo.email} / ${demo.password}  (RAPPORT_DEMO=0 turns the demo off)`);
}

async function singleProcess(env: AppEnv) {
  const { server, setApp } = await listen(env).catch((error: unknown) => exitIfPortTaken(error, env));
  const { deps, demo } = await prepare(env);
  setApp(createApp(deps));
  announce(env, demo);
  const scheduler = env.RAPPORT_SCHEDULER ? startScheduler(deps) : null;
  const shutdown = async (signal: string) => {
    deps.log.info("shutting down", { signal });
    server.close();
    await scheduler?.stop();
    deps.database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

async function primary(env: AppEnv, count: number) {
  let ready = false;
  let stopping = false;
  let failedStarts = 0;
  const waiting = new Set<Worker>();
  const servingWorkers = new Set<Worker>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    // The worker says hello once its listener is attached (a message sent before that is lost), then gets
    // READY now or as soon as the database is prepared.
    worker.on("message", (message: unknown) => {
      if (message === HELLO) {
        if (ready) worker.send(READY);
        else waiting.add(worker);
      } else if (message === SERVING) {
        failedStarts = 0;
        servingWorkers.add(worker);
      }
    });
    return worker;
  };
  // A worker that dies unexpectedly is replaced after a pause; one that keeps dying before it serves (a broken
  // configuration, a port someone else holds) stops the server with its reason instead of looping.
  cluster.on("exit", (worker, code, signal) => {
    waiting.delete(worker);
    const wasServing = servingWorkers.delete(worker);
    if (stopping) return;
    if (!wasServing && ++failedStarts >= MAX_FAILED_STARTS) {
      console.error(
        `web workers failed to start ${failedStarts} times in a row (last: ${signal ?? code}); stopping`,
      );
      process.exit(1);
    }
    console.error(`web worker exited (${signal ?? code}); starting another`);
    setTimeout(() => {
      if (!stopping) fork();
    }, 1000);
  });
  const first = once(cluster, "listening") as Promise<[Worker, AddressInfo]>;
  const workers = Array.from({ length: count }, fork);
  env.PORT = (await first)[1].port;
  const { deps, demo } = await prepare(env);
  ready = true;
  // Announced once every worker answers, so whoever waits for the line can use the server at once.
  const serving = workers.map(
    (worker) =>
      new Promise<void>((resolve) => {
        if (servingWorkers.has(worker)) return resolve();
        const onMessage = (message: unknown) => {
          if (message !== SERVING) return;
          worker.off("message", onMessage);
          resolve();
        };
        worker.on("message", onMessage);
        worker.once("exit", () => resolve());
      }),
  );
  for (const worker of waiting) if (worker.isConnected()) worker.send(READY);
  waiting.clear();
  await Promise.all(serving);
  announce(env, demo);
  const scheduler = env.RAPPORT_SCHEDULER ? startScheduler(deps) : null;

  const shutdown = async (signal: string) => {
    stopping = true;
    deps.log.info("shutting down", { signal, workers: count });
    const exited = Object.values(cluster.workers ?? {}).map((worker) =>
      worker && !worker.isDead() ? once(worker, "exit") : Promise.resolve(),
    );
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    await scheduler?.stop();
    await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 5000))]);
    deps.database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

async function worker(env: AppEnv) {
  const listening = listen(env).catch((error: unknown) => exitIfPortTaken(error, env));
  let started = false;
  let close = () => {};
  process.on("message", async (message) => {
    if (message !== READY || started) return;
    started = true;
    const deps = await buildRuntime(await buildDeps(env, { migrate: false }));
    if (deps.database.kind === "libsql") await configureConnection(deps.database);
    const { setApp } = await listening;
    setApp(createApp(deps));
    close = () => deps.database.close();
    process.send?.(SERVING);
  });
  process.send?.(HELLO);
  const { server } = await listening;
  let stopping = false;
  const shutdown = () => {
    if (stopping) return; // SIGTERM and the primary's disconnect can both arrive
    stopping = true;
    // Requests in flight finish first (for up to five seconds), then the database closes.
    const exit = () => {
      close();
      process.exit(0);
    };
    server.close(exit);
    setTimeout(exit, 5000).unref();
  };
  // Ctrl-C reaches every process of the group; the primary going away (killed, crashed) ends its workers too.
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  process.once("disconnect", shutdown);
}

async function main() {
  let env: AppEnv;
  try {
    env = loadEnv(process.env);
    requirePublicUrl(env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Node only (the Worker bundle must not load the native driver): every process keeps its compiled statements.
  cacheCompiledStatements();
  if (cluster.isWorker) return worker(env);
  const count = webWorkers(env);
  return count > 1 ? primary(env, count) : singleProcess(env);
}

await main();
