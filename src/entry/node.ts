// `npm start`: migrate, seed the demo on an empty database, serve the dashboard, run the scheduler.
import { serve } from "@hono/node-server";
import { startDemo } from "../demo/start.js";
import { buildDeps } from "../deps.js";
import { type AppEnv, EnvError, loadEnv } from "../env.js";
import { startScheduler } from "../jobs/scheduler.js";
import { buildRuntime } from "../runtime.js";
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
  const deps = await buildRuntime(await buildDeps(env));
  const demo = env.RAPPORT_DEMO ? await startDemo(deps) : null;
  if (!env.RAPPORT_DEMO) await ensureWorkspace(deps);
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: "0.0.0.0" }, (info) => {
    const url = env.PUBLIC_URL ?? `http://localhost:${info.port}`;
    console.log(`Rapport is running at ${url}`);
    if (demo)
      console.log(`Demo login: ${demo.email} / ${demo.password}  (RAPPORT_DEMO=0 turns the demo off)`);
  });
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
