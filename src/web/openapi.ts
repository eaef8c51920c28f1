// /api/openapi.json, generated from the same zod schemas the routes validate with.
import { z } from "zod";
import { type Permission, rolesWith } from "../domain/permissions.js";

export interface ApiOperation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Hono-style path (`/api/mentions/:id`); converted to OpenAPI `{id}`. */
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
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

export function buildOpenApi(operations: ApiOperation[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
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
