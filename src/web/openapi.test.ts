// The API document cannot drift from the routes: every /api route the app serves is described in
// /api/openapi.json with its method, every described operation is served, and each one's inputs are the
// schemas its route validates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authed, createWebTestContext, login, type WebTestContext } from "../../test/web/helpers.js";
import { validatedInput } from "./validate.js";

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

  it("describes the inputs the routes validate", async () => {
    const response = await ctx.app.request("/api/openapi.json", authed(await login(ctx, "viewer")));
    const document = (await response.json()) as {
      paths: Record<
        string,
        Record<string, { parameters: { name: string; in: string }[]; requestBody?: { content: object } }>
      >;
    };
    // DESIGN's contract for the feed API, read from the route's own query validator.
    const list = document.paths["/api/mentions"]!.get!;
    expect(list.parameters.filter((p) => p.in === "query").map((p) => p.name)).toEqual(
      expect.arrayContaining(["source", "brand", "category", "status", "q", "since", "limit", "next"]),
    );
    // Bodies: validated JSON and bodies a handler parses itself (declared on the route) are both described;
    // an operation whose route takes no body has none.
    expect(document.paths["/api/replies/lint"]!.post!.requestBody).toBeDefined();
    expect(document.paths["/api/replies/{id}/approve"]!.post!.requestBody).toBeDefined();
    expect(document.paths["/api/accounts"]!.post!.requestBody).toBeDefined();
    expect(document.paths["/api/accounts"]!.get!.requestBody).toBeUndefined();
    for (const route of ctx.app.routes) {
      const input = validatedInput(route.handler);
      if (!route.path.startsWith("/api/") || !input || input.target !== "json") continue;
      const op = document.paths[route.path.replace(/:(\w+)/g, "{$1}")]?.[route.method.toLowerCase()];
      expect(op?.requestBody, `${route.method} ${route.path} validates a JSON body`).toBeDefined();
    }
  });
});
