// The push endpoint. Mounted before session auth: a push source authenticates with its own token.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { authenticatePushSource, pushMentions } from "../../services/ingest/push-mentions.js";
import type { WebEnv } from "../context.js";

export function ingestRoutes(deps: Deps) {
  return new Hono<WebEnv>().post(
    "/:source",
    bodyLimit({
      maxSize: 5 * 1024 * 1024,
      onError: () => {
        throw badRequest("request body over 5 MB: send at most 1,000 mentions per request");
      },
    }),
    async (c) => {
      const authorization = c.req.header("authorization");
      const token = authorization?.toLowerCase().startsWith("bearer ")
        ? authorization.slice(7).trim()
        : undefined;
      const source = await authenticatePushSource(deps, c.req.param("source"), token);
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw badRequest("the body is not valid JSON");
      }
      const result = await pushMentions(deps, source, body);
      return c.json(
        result,
        result.rejected.length > 0 && result.accepted + result.duplicates === 0 ? 422 : 200,
      );
    },
  );
}
