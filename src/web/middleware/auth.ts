// Authentication (session cookie or API token), CSRF, and role checks. Mounted once in app.tsx; sub-apps use
// `requirePermission` (src/domain/permissions.ts) and `c.get("user")`.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { findUserByApiToken } from "../../auth/api-tokens.js";
import { findSession, type NewSession, SESSION_COOKIE } from "../../auth/sessions.js";
import { safeEqual } from "../../auth/tokens.js";
import type { Deps } from "../../deps.js";
import { can, type Permission } from "../../domain/permissions.js";
import { AppError, forbidden } from "../../errors.js";
import type { WebEnv } from "../context.js";
import { wantsJson } from "../errors.js";

export const CSRF_HEADER = "x-csrf-token";
export const CSRF_FIELD = "_csrf";

export function cookieIsSecure(deps: Deps): boolean {
  return deps.env.COOKIE_SECURE ?? deps.env.PUBLIC_URL?.startsWith("https:") ?? false;
}

export function setSessionCookie(c: Context, deps: Deps, session: NewSession): void {
  setCookie(c, SESSION_COOKIE, session.cookieValue, {
    httpOnly: true,
    sameSite: "Lax",
    secure: cookieIsSecure(deps),
    path: "/",
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(c: Context, deps: Deps): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: cookieIsSecure(deps) });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** POSTs that only compute an answer (a lint result): a read token may call them. */
const READ_ONLY_POSTS = new Set(["/api/replies/lint"]);

/** Reads who is calling. Never rejects: `requireLogin` decides. */
export function loadAuth(deps: Deps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    c.set("auth", null);
    const authorization = c.req.header("authorization");
    if (authorization?.toLowerCase().startsWith("bearer ")) {
      const found = await findUserByApiToken(deps, authorization.slice(7).trim());
      if (!found) throw new AppError("unauthorized", "The API token is unknown, revoked or expired");
      // Checked here, before any route: a read token can never reach a handler that changes something.
      if (found.scope === "read" && !SAFE_METHODS.has(c.req.method) && !READ_ONLY_POSTS.has(c.req.path)) {
        throw forbidden(
          "This API token can only read (scope read): create a token with scope write under Account for changes",
        );
      }
      c.set("auth", {
        user: found.user,
        via: "token",
        csrfToken: null,
        sessionExpiresAt: null,
        scope: found.scope,
      });
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) {
        const session = await findSession(deps, cookie);
        if (session) {
          c.set("auth", {
            user: session.user,
            via: "session",
            csrfToken: session.csrfToken,
            sessionExpiresAt: session.expiresAt,
            scope: "write",
          });
        }
      }
    }
    await next();
  };
}

/** Paths that create a session: they have no session token to check yet, so only the Origin check applies. */
function isLoginPath(path: string): boolean {
  return path === "/login" || path === "/api/session" || path.startsWith("/welcome/");
}

/**
 * With PUBLIC_URL set, its origin is the only one: the request URL's origin is built from the Host header, which
 * the client chooses (a DNS-rebinding page sends its own host name and would match itself). Without it (the
 * demo on a laptop) the Host header is all there is.
 */
function allowedOrigin(c: Context, deps: Deps): string {
  return deps.env.PUBLIC_URL ? new URL(deps.env.PUBLIC_URL).origin : new URL(c.req.url).origin;
}

/**
 * Synchronizer-token CSRF protection for cookie sessions: every state-changing request must echo the
 * session's token in `x-csrf-token` (fetch) or `_csrf` (forms). API-token requests carry no ambient
 * credential and are exempt. A cross-site Origin is refused outright, login included.
 */
export function csrfGuard(deps: Deps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    if (origin && origin !== "null" && origin !== allowedOrigin(c, deps)) {
      throw forbidden("Cross-site request refused (Origin does not match)");
    }
    if (origin === "null") throw forbidden("Cross-site request refused (opaque Origin)");
    const auth = c.get("auth");
    // Creating a session has no token to check yet; ending one (DELETE /api/session) does.
    const creatingSession = c.req.method === "POST" && isLoginPath(c.req.path);
    if (!auth || auth.via === "token" || creatingSession) return next();
    let sent = c.req.header(CSRF_HEADER);
    if (!sent) {
      const type = c.req.header("content-type") ?? "";
      if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
        const body = await c.req.parseBody();
        const field = body[CSRF_FIELD];
        if (typeof field === "string") sent = field;
      }
    }
    if (!sent || !auth.csrfToken || !safeEqual(sent, auth.csrfToken)) {
      throw forbidden("CSRF token missing or wrong: reload the page and try again");
    }
    return next();
  };
}

/** Everything mounted after this needs a signed-in user: pages redirect to the login, the API answers 401. */
export function requireLogin(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!auth) {
      if (wantsJson(c) || c.req.method !== "GET")
        throw new AppError("unauthorized", "Sign in first (session cookie or API token)");
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    }
    c.set("user", auth.user);
    await next();
  };
}

export function requirePermission(permission: Permission): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (!can(c.get("user").role, permission)) throw forbidden();
    await next();
  };
}

/** A `next` parameter may only point inside this site. */
export function safeNextPath(next: string | undefined | null): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Control characters and backslashes can turn "/\t/evil.example" into another origin in lenient clients.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  // Dot segments ("/.//evil.example", "/a/..//evil.example", "/%2e//evil.example") resolve to "//evil.example"
  // once a URL parser reads them, as the redirect helpers do, and a browser takes that for another site: answer
  // with the resolved path, and never one that starts with "//".
  let resolved: URL;
  try {
    resolved = new URL(next, SITE);
  } catch {
    return "/";
  }
  if (resolved.origin !== SITE || resolved.pathname.startsWith("//")) return "/";
  return resolved.pathname + resolved.search + resolved.hash;
}
const SITE = "http://rapport.invalid";

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * The address login limits count. On Node it is the socket's peer; X-Forwarded-For is believed only when that
 * peer is one of TRUSTED_PROXIES (anyone can send the header), and then the right-most entry that is not a
 * trusted proxy is the client (entries to its left were written by the client itself). On Workers,
 * Cloudflare's own cf-connecting-ip. Never a header a client can set freely.
 */
export function clientIp(c: Context, trustedProxies: readonly string[] = []): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  // On Node a header is never the answer, not even when the peer is gone (a client that resets its connection
  // leaves remoteAddress undefined): otherwise it could choose the address its failures are counted against.
  if (incoming) {
    const peer = incoming.socket?.remoteAddress;
    if (!peer) return "unknown";
  }
  const peer = incoming?.socket?.remoteAddress;
  if (peer) {
    const address = plainAddress(peer);
    if (!trustedProxies.includes(address)) return address;
    const hops = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((hop) => plainAddress(hop.trim()))
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) if (!trustedProxies.includes(hops[i]!)) return hops[i]!;
    return address;
  }
  return c.req.header("cf-connecting-ip") ?? "unknown";
}
