// The server half of bench/web.ts, in its own process so its memory can be measured alone.
// Usage: tsx bench/web-server.ts <database file>; prints {"port":N} when listening.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { buildDeps } from "../src/deps.js";
import { loadEnv } from "../src/env.js";
import { silentLogger } from "../src/log.js";
import { createApp } from "../src/web/app.js";

const file = process.argv[2];
if (!file) throw new Error("usage: web-server.ts <database file>");
const env = loadEnv({
  NODE_ENV: "production",
  DATABASE_URL: `file:${file}`,
  RAPPORT_DEMO: "0",
  RAPPORT_SECRET: "bench-secret-bench-secret-bench-secret-00",
  LOG_LEVEL: "silent",
});
const deps = await buildDeps(env, { log: silentLogger, migrate: false });
if (deps.database.kind === "libsql") {
  await deps.database.client.execute("PRAGMA journal_mode = WAL");
  await deps.database.client.execute("PRAGMA busy_timeout = 5000");
}
const app = createApp(deps);
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
server.once("listening", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on("SIGTERM", () => {
  server.close();
  deps.database.close();
  process.exit(0);
});
