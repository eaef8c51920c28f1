// Signing in and out: the login page and form, and `POST/DELETE /api/session` for scripts.

import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { listApiTokens } from "../../auth/api-tokens.js";
import { peekOneTimeToken } from "../../auth/one-time-links.js";
import { createSession, deleteSession, SESSION_COOKIE } from "../../auth/sessions.js";
import { users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { authenticate } from "../../services/users/authenticate.js";
import { setPasswordWithToken } from "../../services/users/manage-users.js";
import type { WebEnv } from "../context.js";
import { clearSessionCookie, clientIp, safeNextPath, setSessionCookie } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { WelcomePage } from "../views/admin-pages.js";
import { LoginPage } from "../views/login-page.js";

export const loginSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
});

/** Routes reachable without a session. */
export function publicSessionRoutes(deps: Deps) {
  return new Hono<WebEnv>()
    .get("/login", (c) => {
      if (c.get("auth")) return c.redirect(safeNextPath(c.req.query("next")), 302);
      return c.html(<LoginPage next={safeNextPath(c.req.query("next"))} />);
    })
    .post("/login", async (c) => {
      const next = safeNextPath(c.req.query("next"));
      const form = loginSchema.safeParse(await c.req.parseBody());
      if (!form.success)
        return c.html(<LoginPage next={next} error="Enter your e-mail and password." />, 400);
      try {
        const user = await authenticate(deps, { ...form.data, ip: clientIp(c, deps.env.TRUSTED_PROXIES) });
        setSessionCookie(c, deps, await createSession(deps, user.id));
        return c.redirect(next, 303);
      } catch (err) {
        if (err instanceof AppError && (err.code === "unauthorized" || err.code === "rate_limited")) {
          return c.html(
            <LoginPage next={next} error={err.message} email={form.data.email} />,
            err.code === "rate_limited" ? 429 : 401,
          );
        }
        throw err;
      }
    })
    .get("/welcome/:token", async (c) => {
      const token = c.req.param("token");
      const found = await peekOneTimeToken(deps, token);
      if (!found)
        return c.html(
          <LoginPage
            next="/"
            error="This link has expired or was already used. Ask an admin for a new one."
          />,
          400,
        );
      const [person] = await deps.db
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, found.userId));
      return c.html(
        <WelcomePage
          token={token}
          email={person?.email ?? ""}
          purpose={found.purpose}
          apiTokens={(await listApiTokens(deps, found.userId)).map((t) => t.name)}
        />,
      );
    })
    .post("/welcome/:token", async (c) => {
      const token = c.req.param("token");
      const body = await c.req.parseBody();
      const password = body.password;
      try {
        // Only an explicit "keep" keeps the tokens: a form posted without the choice ends them.
        const user = await setPasswordWithToken(
          deps,
          token,
          typeof password === "string" ? password : "",
          body.api_tokens === "keep" ? "keep" : "revoke",
        );
        setSessionCookie(c, deps, await createSession(deps, user.id));
        return c.redirect("/", 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "bad_request") throw error;
        const found = await peekOneTimeToken(deps, token);
        if (!found) return c.html(<LoginPage next="/" error={error.message} />, 400);
        const [person] = await deps.db
          .select({ email: users.email })
          .from(users)
          .where(eq(users.id, found.userId));
        return c.html(
          <WelcomePage
            token={token}
            email={person?.email ?? ""}
            purpose={found.purpose}
            error={error.message}
            apiTokens={(await listApiTokens(deps, found.userId)).map((t) => t.name)}
          />,
          400,
        );
      }
    })
    .post("/api/session", validate("json", loginSchema), async (c) => {
      const user = await authenticate(deps, {
        ...c.req.valid("json"),
        ip: clientIp(c, deps.env.TRUSTED_PROXIES),
      });
      const session = await createSession(deps, user.id);
      setSessionCookie(c, deps, session);
      return c.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
    });
}

/** Routes that need a session (mounted after `requireLogin`). */
export function sessionRoutes(deps: Deps) {
  const end = async (c: Context<WebEnv>) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await deleteSession(deps, cookie);
    clearSessionCookie(c, deps);
  };
  return new Hono<WebEnv>()
    .get("/api/session", (c) => {
      const auth = c.get("auth")!;
      return c.json({
        user: auth.user,
        via: auth.via,
        csrfToken: auth.csrfToken,
        expiresAt: auth.sessionExpiresAt?.toISOString() ?? null,
      });
    })
    .delete("/api/session", async (c) => {
      await end(c);
      return c.json({ ok: true });
    })
    .post("/logout", async (c) => {
      await end(c);
      return c.redirect("/login", 303);
    });
}

export const sessionApiDocs: ApiOperation[] = [
  {
    method: "post",
    path: "/api/session",
    summary: "Sign in: sets the session cookie, returns the user and the CSRF token",
  },
  { method: "get", path: "/api/session", summary: "Who is signed in, and the CSRF token for this session" },
  { method: "delete", path: "/api/session", summary: "Sign out" },
];
