// The password guesser: parallel guesses, lockouts turned against a victim, spraying, spoofed headers.
import { afterEach, describe, expect, it } from "vitest";
import { LOGIN_LIMITS } from "../../src/auth/login-rate-limit.js";
import { loginAttempts } from "../../src/db/schema/index.js";
import { type RunningServer, startServer } from "../e2e/server.js";
import { PASSWORD } from "../web/helpers.js";
import { postJson } from "./http.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const VICTIM = "responder@example.com";
const login = (email: string, password: string, from?: string, headers: Record<string, string> = {}) =>
  postJson(server!.baseUrl, "/api/session", { email, password }, from, headers);

describe("login limits over real HTTP", () => {
  it("checks at most the limit of 60 parallel wrong guesses from one address", async () => {
    server = await startServer();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(VICTIM, `wrong guess ${i}`, "127.0.0.2")),
    );
    const statuses = answers.map((a) => a.status);
    // 401 is only answered after the password hash was compared; 429 before.
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.pair.max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - LOGIN_LIMITS.pair.max);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body).error.message).toMatch(/Too many failed logins/);
    // The right password from that address is refused too, for the rest of the window.
    expect((await login(VICTIM, PASSWORD, "127.0.0.2")).status).toBe(429);
  });

  it("does not lock the victim out from their own address when one address guesses", async () => {
    server = await startServer();
    for (let i = 0; i < 40; i++) await login(VICTIM, `wrong ${i}`, "127.0.0.2");
    expect((await login(VICTIM, PASSWORD, "127.0.0.3")).status).toBe(200);
  });

  it("locks the account for everyone only after failures from several addresses", async () => {
    server = await startServer();
    const addresses = Math.ceil(LOGIN_LIMITS.account.max / LOGIN_LIMITS.pair.max);
    expect(addresses).toBeGreaterThan(1);
    for (let a = 0; a < addresses; a++) {
      for (let i = 0; i < LOGIN_LIMITS.pair.max; i++) {
        expect((await login(VICTIM, `wrong ${a}.${i}`, `127.0.1.${a + 1}`)).status).toBe(401);
      }
    }
    const fresh = await login(VICTIM, PASSWORD, "127.0.2.1");
    expect(fresh.status).toBe(429);
    // Another account is untouched.
    expect((await login("viewer@example.com", PASSWORD, "127.0.2.1")).status).toBe(200);
  });

  it("limits one address spraying many accounts", async () => {
    server = await startServer();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMITS.address.max + 3; i++) {
      statuses.push((await login(`someone${i}@example.com`, "Winter2026!", "127.0.0.4")).status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.address.max);
    expect(statuses.slice(LOGIN_LIMITS.address.max).every((s) => s === 429)).toBe(true);
    expect((await login("viewer@example.com", PASSWORD, "127.0.0.5")).status).toBe(200);
  });

  it("stops checking passwords server-wide past the global ceiling", async () => {
    server = await startServer();
    // Reaching the ceiling by real requests would take minutes of scrypt; the counter is set as if it had.
    await server.ctx.deps.db
      .insert(loginAttempts)
      .values({ key: "global", failures: LOGIN_LIMITS.global.max, windowStart: new Date() });
    const res = await login("viewer@example.com", PASSWORD, "127.0.0.6");
    expect(res.status).toBe(429);
    expect(JSON.parse(res.body).error.message).toMatch(/on this server/);
  });

  it("ignores X-Forwarded-For from a client that is not a trusted proxy", async () => {
    server = await startServer();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMITS.pair.max + 2; i++) {
      const spoof = {
        "x-forwarded-for": `10.0.0.${i}`,
        "x-real-ip": `10.0.1.${i}`,
        "cf-connecting-ip": `10.0.2.${i}`,
      };
      statuses.push((await login(VICTIM, `wrong ${i}`, "127.0.0.7", spoof)).status);
    }
    expect(statuses.slice(LOGIN_LIMITS.pair.max)).toEqual([429, 429]);
  });

  it("counts each client behind a trusted proxy by its forwarded address", async () => {
    server = await startServer({ TRUSTED_PROXIES: "127.0.0.8" });
    const via = (client: string, password: string) =>
      login(VICTIM, password, "127.0.0.8", { "x-forwarded-for": `203.0.113.99, ${client}` });
    for (let i = 0; i < LOGIN_LIMITS.pair.max + 3; i++) await via("198.51.100.1", `wrong ${i}`);
    expect((await via("198.51.100.1", PASSWORD)).status).toBe(429);
    // The proxy's own address is shared by everyone: the victim behind it still gets in.
    expect((await via("198.51.100.2", PASSWORD)).status).toBe(200);
  });
});
