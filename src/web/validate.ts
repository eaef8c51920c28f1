// `@hono/zod-validator` with our error shape: a failed validation is an AppError("bad_request") listing each
// problem, so every route answers the same `{ "error": { "code", "message", "details" } }`.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { badRequest } from "../errors.js";

export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalid(result.error);
  });
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
