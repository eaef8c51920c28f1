// A real Rapport server on 127.0.0.1:<random port> over a temp database, for the browser suite and the bench.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { cacheCompiledStatements } from "../../src/db/statement-cache.js";
import { createApp } from "../../src/web/app.js";
import { createWebTestContext, type WebTestContext } from "../web/helpers.js";

export interface RunningServer {
  ctx: WebTestContext;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startServer(
  overrides: Record<string, string> = {},
  now?: () => Date,
): Promise<RunningServer> {
  cacheCompiledStatements(); // as `npm start` does
  const ctx = await createWebTestContext(overrides, now);
  const app = createApp(ctx.deps);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    ctx,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.deps.cleanup();
    },
  };
}
