// The stolen link and the leaked token: older one-time links die when a newer one is made or used, a password
// reset ends sessions and (unless the person keeps them) API tokens, read tokens cannot write, expired tokens
// do not work, and no token exists without its audit row.
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createApiToken } from "../../src/auth/api-tokens.js";
import { type RunningServer, startServer } from "../e2e/server.js";
import { insertMention, PASSWORD } from "../web/helpers.js";
import { postJson, rawRequest } from "./http.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function signIn(email: string, password = PASSWORD) {
  const res = await postJson(server!.baseUrl, "/api/session", { email, password });
  expect(res.status, res.body).toBe(200);
  const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
  return { cookie, csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken };
}

async function resetLink(admin: { cookie: string; csrf: string }, userId: number): Promise<string> {
  const res = await rawRequest(server!.baseUrl, `/api/users/${userId}/reset`, {
    method: "POST",
    headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf },
  });
  expect(res.status, res.body).toBe(200);
  return new URL((JSON.parse(res.body) as { link: string }).link).pathname;
}

function setPassword(path: string, password: string, extra: Record<string, string> = {}) {
  return rawRequest(server!.baseUrl, path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password, ...extra }).toString(),
  });
}

const bearer = (token: string, path = "/api/mentions", init: { method?: string; body?: string } = {}) =>
  rawRequest(server!.baseUrl, path, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  });

async function scalar(sql: string): Promise<number> {
  const database = server!.ctx.deps.database as unknown as {
    client: { execute(s: string): Promise<{ rows: Record<string, unknown>[] }> };
  };
  const { rows } = await database.client.execute(sql);
  return Number(rows[0]!.n);
}

describe("one-time links", () => {
  it("a newer reset link revokes the older one", async () => {
    server = await startServer();
    const admin = await signIn("admin@example.com");
    const older = await resetLink(admin, server.ctx.users.responder.id);
    const newer = await resetLink(admin, server.ctx.users.responder.id);
    const refused = await setPassword(older, "a brand new password 1");
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("expired or was already used");
    expect((await setPassword(newer, "a brand new password 2")).status).toBe(303);
    await signIn("responder@example.com", "a brand new password 2");
  });

  it("using a link revokes every other unused link of that person", async () => {
    server = await startServer();
    const admin = await signIn("admin@example.com");
    const first = await resetLink(admin, server.ctx.users.viewer.id);
    // A second link made by another path at the same moment (a race with the admin page): both exist …
    await server.ctx.deps.db.run(sql`UPDATE one_time_tokens SET used_at = NULL`);
    const second = await resetLink(admin, server.ctx.users.viewer.id);
    await server.ctx.deps.db.run(sql`UPDATE one_time_tokens SET used_at = NULL`);
    expect(await scalar("SELECT count(*) AS n FROM one_time_tokens WHERE used_at IS NULL")).toBe(2);
    // … and using one kills the other.
    expect((await setPassword(second, "viewer password 123")).status).toBe(303);
    expect((await setPassword(first, "viewer password 456")).status).toBe(400);
    expect(await scalar("SELECT count(*) AS n FROM one_time_tokens WHERE used_at IS NULL")).toBe(0);
  });
});

describe("password reset", () => {
  it("ends the person's sessions and, by default, their API tokens, and says which on the form", async () => {
    server = await startServer();
    const admin = await signIn("admin@example.com");
    const victim = await signIn("manager@example.com");
    const { token } = await createApiToken(server.ctx.deps, server.ctx.users.manager.id, "CRM sync");
    expect((await bearer(token)).status).toBe(200);
    const link = await resetLink(admin, server.ctx.users.manager.id);
    const form = await rawRequest(server.baseUrl, link);
    expect(form.body).toContain("Your API tokens (CRM sync)");
    expect(form.body).toMatch(/value="revoke" checked/);
    expect((await setPassword(link, "new manager password")).status).toBe(303);
    expect(
      (await rawRequest(server.baseUrl, "/api/mentions", { headers: { cookie: victim.cookie } })).status,
    ).toBe(401);
    expect((await bearer(token)).status).toBe(401);
    expect(await scalar("SELECT count(*) AS n FROM api_tokens")).toBe(0);
    const audit = await scalar(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'user.reset_password' AND json_extract(after, '$.apiTokensRevoked[0]') = 'CRM sync'",
    );
    expect(audit).toBe(1);
  });

  it("keeps the API tokens when the person says so", async () => {
    server = await startServer();
    const admin = await signIn("admin@example.com");
    const { token } = await createApiToken(server.ctx.deps, server.ctx.users.manager.id, "CRM sync");
    const link = await resetLink(admin, server.ctx.users.manager.id);
    expect((await setPassword(link, "new manager password", { api_tokens: "keep" })).status).toBe(303);
    expect((await bearer(token)).status).toBe(200);
  });
});

describe("API token scopes and expiry", () => {
  it("a read token reads but cannot change anything; a write token can", async () => {
    server = await startServer();
    const id = await insertMention(server.ctx, { text: "hello" });
    const session = await signIn("manager@example.com");
    const create = (body: object) =>
      rawRequest(server!.baseUrl, "/api/tokens", {
        method: "POST",
        headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const read = JSON.parse((await create({ name: "dashboard wall" })).body) as {
      token: string;
      scope: string;
    };
    expect(read.scope).toBe("read");
    const write = JSON.parse((await create({ name: "CRM", scope: "write" })).body) as { token: string };
    const change = JSON.stringify({ ids: [id], status: "dismissed" });
    expect((await bearer(read.token)).status).toBe(200);
    const refused = await bearer(read.token, "/api/mentions/status", { method: "POST", body: change });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("scope read");
    expect(await scalar(`SELECT count(*) AS n FROM mentions WHERE id = ${id} AND status = 'new'`)).toBe(1);
    const lint = await bearer(read.token, "/api/replies/lint", {
      method: "POST",
      body: JSON.stringify({ text: "We're sorry to hear this.", platform: "x" }),
    });
    expect(lint.status).toBe(200);
    const allowed = await bearer(write.token, "/api/mentions/status", { method: "POST", body: change });
    expect(allowed.status, allowed.body).toBe(200);
    expect(await scalar(`SELECT count(*) AS n FROM mentions WHERE id = ${id} AND status = 'dismissed'`)).toBe(
      1,
    );
  });

  it("an expired token is refused", async () => {
    let now = new Date("2026-12-01T10:00:00Z");
    server = await startServer({}, () => now);
    const session = await signIn("viewer@example.com");
    const res = await rawRequest(server.baseUrl, "/api/tokens", {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
      body: JSON.stringify({ name: "short", expiresInDays: 1 }),
    });
    const { token } = JSON.parse(res.body) as { token: string };
    expect((await bearer(token)).status).toBe(200);
    now = new Date("2026-12-02T10:00:01Z");
    const expired = await bearer(token);
    expect(expired.status).toBe(401);
    expect(expired.body).toContain("expired");
  });

  it("a token is never created without its audit row", async () => {
    server = await startServer();
    const session = await signIn("manager@example.com");
    await server.ctx.deps.db.run(
      sql.raw(
        "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END",
      ),
    );
    const res = await rawRequest(server.baseUrl, "/api/tokens", {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
      body: JSON.stringify({ name: "unaudited" }),
    });
    expect(res.status).toBe(500);
    expect(await scalar("SELECT count(*) AS n FROM api_tokens")).toBe(0);
  });
});
