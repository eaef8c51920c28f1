// /api/openapi.json, generated from the routes: each operation's query and body are the zod schemas its
// `validate` middlewares check (read from the app's route table), so the document cannot describe other inputs
// than the routes take. What a route cannot say of itself (its summary, the permission its service checks) sits
// beside it as an `ApiOperation`; src/web/openapi.test.ts fails on a route without one, or one without a route.
import { z } from "zod";
import { type Permission, rolesWith } from "../domain/permissions.js";
import { validatedInput } from "./validate.js";

export interface ApiOperation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Hono-style path (`/api/mentions/:id`); converted to OpenAPI `{id}`. */
  path: string;
  summary: string;
  /** What the caller's role must allow (src/domain/permissions.ts), when narrower than "any signed-in user". */
  permission?: Permission;
}

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
      required: ["code", "message"],
    },
  },
  required: ["error"],
};

function jsonSchema(schema: z.ZodType) {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

/** One entry of Hono's `app.routes`: each middleware and handler of a route is listed with its method and path. */
export interface RouteEntry {
  method: string;
  path: string;
  handler: unknown;
}

/** The query and JSON body each API route validates, by `method path` ("get /api/mentions"). */
function inputsByRoute(routes: readonly RouteEntry[]) {
  const inputs = new Map<string, { query?: z.ZodObject; body?: z.ZodType }>();
  for (const route of routes) {
    const input = validatedInput(route.handler);
    if (!input || (input.target !== "query" && input.target !== "json")) continue;
    const key = `${route.method.toLowerCase()} ${route.path}`;
    const entry = inputs.get(key) ?? {};
    if (input.target === "query") entry.query = input.schema as z.ZodObject;
    else entry.body = input.schema;
    inputs.set(key, entry);
  }
  return inputs;
}

export function buildOpenApi(operations: ApiOperation[], routes: readonly RouteEntry[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const inputs = inputsByRoute(routes);
  for (const described of operations) {
    const op = { ...described, ...inputs.get(`${described.method} ${described.path}`) };
    const path = op.path.replace(/:(\w+)/g, "{$1}");
    const pathParams = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, schema]) => ({
          name,
          in: "query",
          required: !(schema as z.ZodType).safeParse(undefined).success,
          schema: jsonSchema(schema as z.ZodType),
          ...((schema as z.ZodType).description ? { description: (schema as z.ZodType).description } : {}),
        }))
      : [];
    paths[path] ??= {};
    paths[path]![op.method] = {
      summary: op.summary,
      ...(op.permission ? { description: `Roles: ${rolesWith(op.permission).join(", ")}` } : {}),
      parameters: [...pathParams, ...queryParams],
      ...(op.body
        ? {
            requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } },
          }
        : {}),
      responses: {
        "200": { description: "OK" },
        "400": { description: "Invalid input", content: { "application/json": { schema: errorSchema } } },
        "401": { description: "Not signed in", content: { "application/json": { schema: errorSchema } } },
        "403": {
          description: "Role does not allow it, or CSRF token missing",
          content: { "application/json": { schema: errorSchema } },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Rapport API",
      version,
      description:
        "Every dashboard power as JSON. Authenticate with the session cookie from POST /api/session (then send its csrfToken as `x-csrf-token` on every state change) or with a personal API token: `Authorization: Bearer rpt_…` (no CSRF token needed).",
    },
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "rapport_session" },
        bearer: { type: "http", scheme: "bearer" },
      },
    },
    paths,
  };
}
