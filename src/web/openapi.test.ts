// The API document cannot drift from the routes: every /api route the app serves is described in
// /api/openapi.json with its method, and every described operation is served.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authed, createWebTestContext, login, type WebTestContext } from "../../test/web/helpers.js";

// Served but deliberately outside the document: the document itself, and the push API, which takes a source's
// token rather than a session (README "Push API").
const UNDOCUMENTED = [/^\/api\/openapi\.json$/, /^\/api\/ingest(\/|$)/];

/** Hono path → OpenAPI paths: `:id` → `{id}`, and a parameter limited to words (`:decision{confirm|reject}`) → each word. */
function expand(path: string): string[] {
  const choice = /:(\w+)\{([\w|]+)\}/.exec(path);
  if (choice) return choice[2]!.split("|").flatMap((word) => expand(path.replace(choice[0], word)));
  return [path.replace(/:(\w+)/g, "{$1}")];
}

let ctx: WebTestContext;
beforeAll(async () => {
  ctx = await createWebTestContext();
});
afterAll(async () => ctx.deps.cleanup());

describe("/api/openapi.json", () => {
  it("describes exactly the API routes the app serves", async () => {
    const served = new Set(
      ctx.app.routes
        .filter(
          (r) =>
            r.path.startsWith("/api/") && r.method !== "ALL" && !UNDOCUMENTED.some((p) => p.test(r.path)),
        )
        .flatMap((r) => expand(r.path).map((path) => `${r.method} ${path}`)),
    );
    const response = await ctx.app.request("/api/openapi.json", authed(await login(ctx, "viewer")));
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    const described = new Set(
      Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect([...served].filter((op) => !described.has(op)).sort(), "served but not described").toEqual([]);
    expect([...described].filter((op) => !served.has(op)).sort(), "described but not served").toEqual([]);
  });
});
