// One side of bench/statement-cache.ts: `seed` fills the demo database; `plain` or `cached` serves it in process
// and prints {page: mean ms per request} as JSON.
import { cacheCompiledStatements } from "../src/db/statement-cache.js";
import { startDemo } from "../src/demo/start.js";
import { buildDeps } from "../src/deps.js";
import { loadEnv } from "../src/env.js";
import { silentLogger } from "../src/log.js";
import { buildRuntime } from "../src/runtime.js";
import { createApp } from "../src/web/app.js";

const [file, mode] = process.argv.slice(2);
if (mode === "cached") cacheCompiledStatements();
const env = loadEnv({
  DATABASE_URL: `file:${file}`,
  RAPPORT_DEMO: "1",
  RAPPORT_SECRET: "bench-secret-bench-secret-bench-0000",
  LOG_LEVEL: "silent",
  PUBLIC_URL: "http://127.0.0.1:8787",
});
const deps = await buildRuntime(await buildDeps(env, { log: silentLogger, migrate: mode === "seed" }));
if (mode === "seed") {
  await startDemo(deps);
  process.exit(0);
}
const demo = await startDemo(deps);
const app = createApp(deps);
const login = await app.request("/api/session", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: demo!.email, password: demo!.password }),
});
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
const pages = ["/feed", "/api/mentions?limit=50", "/"];
const figures: Record<string, number> = {};
for (const page of pages) {
  const get = async () => {
    const response = await app.request(page, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`${page} answered ${response.status}`);
    await response.arrayBuffer();
  };
  for (let i = 0; i < 1000; i++) await get(); // V8 and SQLite's page cache warm
  const started = performance.now();
  for (let i = 0; i < 1000; i++) await get();
  figures[page] = (performance.now() - started) / 1000;
}
console.log(JSON.stringify(figures));
process.exit(0);
