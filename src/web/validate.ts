// `@hono/zod-validator` with our error shape: a failed validation is an AppError("bad_request") listing each
// problem, so every route answers the same `{ "error": { "code", "message", "details" } }`.
import { zValidator } from "@hono/zod-validator";
import type { MiddlewareHandler, ValidationTargets } from "hono";
import type { z } from "zod";
import { badRequest } from "../errors.js";

export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw invalid(result.error);
  });
  validators.set(middleware, { target, schema });
  return middleware;
}

/**
 * For a route whose handler reads its input itself (an optional body; a batch reported row by row), the schema it
 * parses with, declared on the route so /api/openapi.json describes it like any validated input. Checks nothing.
 */
export function parsedInHandler<Schema extends z.ZodType>(
  target: "json" | "query",
  schema: Schema,
): MiddlewareHandler {
  const middleware: MiddlewareHandler = async (_c, next) => next();
  validators.set(middleware, { target, schema });
  return middleware;
}

/** What each `validate` middleware checks, so /api/openapi.json describes the inputs the routes really take. */
const validators = new WeakMap<object, { target: keyof ValidationTargets; schema: z.ZodType }>();

/** The input a route handler (one entry of `app.routes`) validates, if it is a `validate` middleware. */
export function validatedInput(handler: unknown) {
  return typeof handler === "function" ? validators.get(handler) : undefined;
}

/** For input a route assembles itself (e.g. a form whose blank fields mean "not given"): the same 400 as `validate`. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

function invalid(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  return badRequest(
    issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; "),
    issues,
  );
}
