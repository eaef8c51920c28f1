// The Rapport web app: dashboard pages and the JSON API, one Hono app for Node and Workers.
//
// Mounting a sub-app (replies, accounts, alerts…): write `export function repliesRoutes(deps: Deps) { return new
// Hono<WebEnv>()… }` and add ONE line in the "signed-in routes" block below, e.g.
//     app.route("/", repliesRoutes(deps));
// (or pass it at runtime: `createApp(deps, { routes: [{ path: "/", app: repliesRoutes(deps) }] })`).
// Everything mounted there already has: a signed-in user (`c.get("user")`: id, workspaceId, email, role), CSRF
// checked on every POST/PUT/PATCH/DELETE (forms: `<CsrfField token={c.get("auth")?.csrfToken} />` from
// views/layout.tsx; fetch: header `x-csrf-token`, the token is in `<meta name="csrf-token">`), errors mapped by
// `errorHandler` (throw AppError from src/errors.ts). Role checks: `requirePermission("triage")` or
// `requirePermission("manageAlerts")` from middleware/auth.ts, `can(role, permission)` from src/domain/permissions.ts.
// Audit every state change with `recordAudit(db or tx, {...})` from src/services/audit/record-audit.ts.
// Document API routes by adding `ApiOperation`s (openapi.ts) to `options.apiDocs` or the list below.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Deps } from "../deps.js";
import type { WebEnv } from "./context.js";
import { errorHandler } from "./errors.js";
import { csrfGuard, loadAuth, requireLogin } from "./middleware/auth.js";
import { type ApiOperation, buildOpenApi } from "./openapi.js";
import { accountsApiDocs, accountsRoutes } from "./routes/accounts.js";
import { adminApiDocs, adminRoutes } from "./routes/admin.js";
import { alertsApiDocs, alertsRoutes } from "./routes/alerts.js";
import { complianceApiDocs, complianceRoutes } from "./routes/compliance.js";
import { digestApiDocs, digestRoutes } from "./routes/digest.js";
import { ingestRoutes } from "./routes/ingest.js";
import { labelsRoutes } from "./routes/labels.js";
import { feedRoutes, mentionsApiDocs, mentionsApiRoutes } from "./routes/mentions.js";
import { repliesApiDocs, repliesApiRoutes, repliesRoutes } from "./routes/replies.js";
import { publicSessionRoutes, sessionApiDocs, sessionRoutes } from "./routes/session.js";
import { sourcesApiDocs, sourcesRoutes } from "./routes/sources.js";
import { faviconRoute, staticRoutes } from "./routes/static.js";
import { todayApiDocs, todayRoutes } from "./routes/today.js";

export interface CreateAppOptions {
  /** Extra sub-apps mounted behind login, after the built-in ones. */
  routes?: { path: string; app: Hono<WebEnv> }[];
  /** Their API operations, for /api/openapi.json. */
  apiDocs?: ApiOperation[];
}

export function createApp(deps: Deps, options: CreateAppOptions = {}) {
  const app = new Hono<WebEnv>();
  app.onError(errorHandler(deps.log));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: "same-origin",
      // A handler may set a stricter policy of its own (the digest e-mail preview: inline styles, nothing else).
      overwrite: false,
    }),
  );

  // Public: health, assets, login.
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.route("/static", staticRoutes());
  app.route("/", faviconRoute());
  app.route("/api/ingest", ingestRoutes(deps)); // push sources carry their own token, not a session
  app.use("*", loadAuth(deps));
  app.use("*", csrfGuard(deps));
  app.route("/", publicSessionRoutes(deps));

  // Signed-in routes: everything below needs a session or an API token.
  app.use("*", requireLogin());
  app.route("/", sessionRoutes(deps));
  app.route("/", todayRoutes(deps));
  app.route("/", feedRoutes(deps));
  app.route("/", mentionsApiRoutes(deps));
  app.route("/", sourcesRoutes(deps));
  app.route("/", adminRoutes(deps));
  app.route("/", repliesRoutes(deps)).route("/", repliesApiRoutes(deps)).route("/", accountsRoutes(deps));
  app.route("/", alertsRoutes(deps));
  app.route("/", digestRoutes(deps));
  app.route("/", labelsRoutes(deps));
  app.route("/", complianceRoutes(deps));
  for (const extra of options.routes ?? []) app.route(extra.path, extra.app);

  const apiDocs = [
    ...sessionApiDocs,
    ...mentionsApiDocs,
    ...todayApiDocs,
    ...sourcesApiDocs,
    ...adminApiDocs,
    ...repliesApiDocs,
    ...accountsApiDocs,
    ...alertsApiDocs,
    ...digestApiDocs,
    ...complianceApiDocs,
    ...(options.apiDocs ?? []),
  ];
  app.get("/api/openapi.json", (c) => c.json(buildOpenApi(apiDocs, app.routes, "1")));
  app.notFound((c) => {
    if (c.req.path.startsWith("/api/"))
      return c.json({ error: { code: "not_found", message: "No such API route" } }, 404);
    return c.text("Not found", 404);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
