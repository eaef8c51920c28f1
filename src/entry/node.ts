// `npm start`: migrate, seed the demo on an empty database, serve the dashboard, run the scheduler.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { startDemo } from "../demo/start.js";
import { buildDeps } from "../deps.js";
import { type AppEnv, EnvError, loadEnv } from "../env.js";
import { startScheduler } from "../jobs/scheduler.js";
import { buildRuntime } from "../runtime.js";
import { publicBaseUrl } from "../services/alerts/links.js";
import { ensureWorkspace } from "../services/workspace/ensure-workspace.js";
import { createApp } from "../web/app.js";

async function main() {
  let env: AppEnv;
  try {
    env = loadEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Listen first, so links in alerts and digests (publicBaseUrl) name the port actually bound (PORT=0 picks one);
  // requests that arrive before the app is ready are asked to retry.
  let app: ReturnType<typeof createApp> | null = null;
  const server = serve({
    fetch: (request, ...rest) =>
      app
        ? app.fetch(request, ...rest)
        : new Response("Rapport is starting", { status: 503, headers: { "retry-after": "1" } }),
    port: env.PORT,
    hostname: "0.0.0.0",
  });
  await once(server, "listening");
  env.PORT = (server.address() as AddressInfo).port;
  const deps = await buildRuntime(await buildDeps(env));
  const demo = env.RAPPORT_DEMO ? await startDemo(deps) : null;
  if (!env.RAPPORT_DEMO) await ensureWorkspace(deps);
  app = createApp(deps);
  console.log(`Rapport is running at ${publicBaseUrl(env)}`);
  if (demo) console.log(`Demo login: ${demo.email} / ${demo.password}  (RAPPORT_DEMO=0 turns the demo off)`);
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

await main();
