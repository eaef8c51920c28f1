import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  PASSWORD,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { createApiToken } from "../../auth/api-tokens.js";
import { LOGIN_MAX_FAILURES } from "../../auth/login-rate-limit.js";
import { hashPassword, verifyPassword } from "../../auth/password.js";
import { sessions, users } from "../../db/schema/index.js";
import { safeNextPath } from "./auth.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

describe("passwords", () => {
  it("hashes with scrypt and verifies only the right password", async () => {
    const hash = await hashPassword("s3cret-passphrase");
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword("s3cret-passphrase", hash)).toBe(true);
    expect(await verifyPassword("s3cret-passphrasE", hash)).toBe(false);
    expect(await verifyPassword("anything", null)).toBe(false);
  });
});

describe("public routes", () => {
  it("serves /healthz without login", async () => {
    const res = await ctx.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("redirects pages to the login with the way back", async () => {
    const res = await ctx.app.request("/feed?q=lawsuit");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/feed?q=lawsuit")}`);
  });

  it("answers 401 JSON on every API route without a session", async () => {
    for (const [method, path] of [
      ["GET", "/api/mentions"],
      ["GET", "/api/openapi.json"],
      ["POST", "/api/mentions/status"],
      ["GET", "/api/does-not-exist"],
    ] as const) {
      const res = await ctx.app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unauthorized");
      expect(body.error.message).toBeTruthy();
    }
  });
});

describe("login", () => {
  it("sets an HttpOnly SameSite=Lax cookie and stores only the session hash", async () => {
    const res = await ctx.app.request("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "Manager@Example.com", password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^rapport_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const body = (await res.json()) as { user: { email: string; role: string }; csrfToken: string };
    expect(body.user).toMatchObject({ email: "manager@example.com", role: "manager" });
    const value = cookie.split(";")[0]!.split("=")[1]!;
    const rows = await ctx.deps.db.select().from(sessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toBe(value);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it("marks the cookie Secure when PUBLIC_URL is https", async () => {
    await ctx.deps.cleanup();
    ctx = await createWebTestContext({ PUBLIC_URL: "https://rapport.example.com" });
    const res = await ctx.app.request("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "viewer@example.com", password: PASSWORD }),
    });
    expect(res.headers.get("set-cookie")).toMatch(/Secure/);
  });

  it("refuses a wrong password with 401 and no cookie", async () => {
    const res = await ctx.app.request("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "manager@example.com", password: "wrong password!" }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("logs in through the form and returns to `next`, never to another site", async () => {
    const form = new URLSearchParams({ email: "admin@example.com", password: PASSWORD });
    const res = await ctx.app.request(`/login?next=${encodeURIComponent("/feed?status=new")}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/feed?status=new");
    const evil = await ctx.app.request(`/login?next=${encodeURIComponent("//evil.example")}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(evil.headers.get("location")).toBe("/");
  });

  it("keeps every `next` and `back` inside the site, dot segments included", () => {
    for (const sneaky of [
      "//evil.example",
      "/.//evil.example/login",
      "/a/..//evil.example",
      "/%2e//evil.example",
      "/\\evil.example",
      "https://evil.example",
    ])
      expect(safeNextPath(sneaky), sneaky).toBe("/");
    expect(safeNextPath("/feed?status=new#row-3")).toBe("/feed?status=new#row-3");
    expect(safeNextPath("/mentions/4/../5")).toBe("/mentions/5");
  });

  it("sends the account-link review's `back` nowhere but this site", async () => {
    const session = await login(ctx, "manager");
    const id = await insertMention(ctx, { text: "hello" });
    const res = await ctx.app.request(
      `/mentions/${id}/account-links/999999/review?back=${encodeURIComponent("/.//evil.example/login")}`,
      { headers: { cookie: session.cookie } },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/(?!\/)/);
    expect(res.headers.get("location")).not.toContain("evil.example");
  });

  it("rate-limits repeated failures per e-mail and IP, even with the right password", async () => {
    const attempt = (password: string) =>
      ctx.app.request("/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "responder@example.com", password }),
      });
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expect((await attempt("nope nope nope")).status).toBe(401);
    const blocked = await attempt(PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("expires sessions after SESSION_TTL_HOURS", async () => {
    let now = new Date("2026-03-01T10:00:00Z");
    await ctx.deps.cleanup();
    ctx = await createWebTestContext({ SESSION_TTL_HOURS: "2" }, () => now);
    const session = await login(ctx, "manager");
    expect((await ctx.app.request("/api/mentions", authed(session))).status).toBe(200);
    now = new Date("2026-03-01T12:00:01Z");
    expect((await ctx.app.request("/api/mentions", authed(session))).status).toBe(401);
    const page = await ctx.app.request("/feed", authed(session));
    expect(page.headers.get("location")).toBe("/login?next=%2Ffeed");
  });

  it("logs out with DELETE /api/session", async () => {
    const session = await login(ctx, "manager");
    const res = await ctx.app.request("/api/session", authed(session, { method: "DELETE" }));
    expect(res.status).toBe(200);
    expect((await ctx.app.request("/api/mentions", authed(session))).status).toBe(401);
  });

  it("disabled users cannot log in and lose their sessions' power", async () => {
    const session = await login(ctx, "responder");
    await ctx.deps.db.update(users).set({ disabled: true }).where(eq(users.id, ctx.users.responder.id));
    expect((await ctx.app.request("/api/mentions", authed(session))).status).toBe(401);
  });
});

describe("CSRF", () => {
  it("refuses a state change without the session's token", async () => {
    const session = await login(ctx, "manager");
    const id = await insertMention(ctx, { text: "hello" });
    const body = JSON.stringify({ ids: [id], status: "dismissed" });
    const missing = await ctx.app.request("/api/mentions/status", {
      method: "POST",
      headers: { cookie: session.cookie, "content-type": "application/json" },
      body,
    });
    expect(missing.status).toBe(403);
    const wrong = await ctx.app.request("/api/mentions/status", {
      method: "POST",
      headers: { cookie: session.cookie, "content-type": "application/json", "x-csrf-token": "forged" },
      body,
    });
    expect(wrong.status).toBe(403);
    const ok = await ctx.app.request("/api/mentions/status", authed(session, { method: "POST", body }));
    expect(ok.status).toBe(200);
  });

  it("refuses a form post without the _csrf field and accepts it with the field", async () => {
    const session = await login(ctx, "manager");
    const id = await insertMention(ctx, { text: "hello" });
    const form = (extra: Record<string, string>) =>
      new URLSearchParams({
        ids: String(id),
        action: "status:dismissed",
        back: "/feed",
        ...extra,
      }).toString();
    const headers = { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" };
    expect(
      (await ctx.app.request("/mentions/bulk", { method: "POST", headers, body: form({}) })).status,
    ).toBe(403);
    const ok = await ctx.app.request("/mentions/bulk", {
      method: "POST",
      headers,
      body: form({ _csrf: session.csrf }),
    });
    expect(ok.status).toBe(303);
  });

  it("refuses a cross-site Origin even with a valid token, login included", async () => {
    const session = await login(ctx, "manager");
    const res = await ctx.app.request("/api/mentions/status", {
      ...authed(session, { method: "POST", body: JSON.stringify({ ids: [1], status: "dismissed" }) }),
    });
    expect(res.status).not.toBe(403);
    const cross = await ctx.app.request("http://localhost/api/session", {
      method: "DELETE",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, origin: "https://evil.example" },
    });
    expect(cross.status).toBe(403);
    const crossLogin = await ctx.app.request("http://localhost/api/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ email: "manager@example.com", password: PASSWORD }),
    });
    expect(crossLogin.status).toBe(403);
  });

  it("exempts API-token requests, which carry no ambient credential", async () => {
    const { token } = await createApiToken(ctx.deps, ctx.users.responder.id, "integration");
    const id = await insertMention(ctx, { text: "hello" });
    const res = await ctx.app.request("/api/mentions/status", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ids: [id], status: "triaged" }),
    });
    expect(res.status).toBe(200);
    const bad = await ctx.app.request("/api/mentions", { headers: { authorization: "Bearer rpt_unknown" } });
    expect(bad.status).toBe(401);
  });
});

describe("roles", () => {
  it("a viewer can read but not change anything", async () => {
    const viewer = await login(ctx, "viewer");
    const id = await insertMention(ctx, { text: "hello" });
    expect((await ctx.app.request("/api/mentions", authed(viewer))).status).toBe(200);
    const status = await ctx.app.request(
      "/api/mentions/status",
      authed(viewer, { method: "POST", body: JSON.stringify({ ids: [id], status: "dismissed" }) }),
    );
    expect(status.status).toBe(403);
    const assign = await ctx.app.request(
      "/api/mentions/assign",
      authed(viewer, { method: "POST", body: JSON.stringify({ ids: [id], assignee: "me" }) }),
    );
    expect(assign.status).toBe(403);
    const page = await ctx.app.request("/feed", authed(viewer));
    const html = await page.text();
    expect(html).not.toContain('id="bulk"');
  });

  it("only managers and admins approve", async () => {
    const id = await insertMention(ctx, { text: "hello", status: "awaiting_approval" });
    const responder = await login(ctx, "responder");
    const refused = await ctx.app.request(
      "/api/mentions/status",
      authed(responder, { method: "POST", body: JSON.stringify({ ids: [id], status: "approved" }) }),
    );
    expect(refused.status).toBe(409);
    const manager = await login(ctx, "manager");
    const ok = await ctx.app.request(
      "/api/mentions/status",
      authed(manager, { method: "POST", body: JSON.stringify({ ids: [id], status: "approved" }) }),
    );
    expect(ok.status).toBe(200);
  });
});
