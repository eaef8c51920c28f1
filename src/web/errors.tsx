// The one place HTTP maps AppError codes to statuses. JSON for the API and fetches, a page for browsers.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, ERROR_STATUS } from "../errors.js";
import type { Logger } from "../log.js";
import type { WebEnv } from "./context.js";
import { ErrorPage } from "./views/error-page.js";

export function wantsJson(c: Context): boolean {
  if (c.req.path.startsWith("/api/")) return true;
  const accept = c.req.header("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

export function errorHandler(log: Logger) {
  return (err: Error, c: Context<WebEnv>) => {
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (err instanceof HTTPException && err.status < 500) {
      const code = (Object.entries(ERROR_STATUS).find(([, status]) => status === err.status)?.[0] ??
        "bad_request") as keyof typeof ERROR_STATUS;
      appError = new AppError(code, err.message || "Bad request");
    } else {
      log.error("request failed", {
        path: c.req.path,
        method: c.req.method,
        error: String(err?.stack ?? err),
      });
      appError = new AppError("internal", "Something went wrong on our side. It has been logged.");
    }
    const status = ERROR_STATUS[appError.code];
    const retryAfter = (appError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retryAfter) c.header("Retry-After", String(retryAfter));
    if (wantsJson(c)) {
      return c.json(
        {
          error: {
            code: appError.code,
            message: appError.message,
            // What a client can act on: the fields at fault, or what to confirm. Other details stay server-side.
            ...(appError.details && (appError.code === "bad_request" || appError.code === "conflict")
              ? { details: appError.details }
              : {}),
          },
        },
        status,
      );
    }
    return c.html(
      <ErrorPage status={status} message={appError.message} user={c.get("auth")?.user ?? null} />,
      status,
    );
  };
}
