// The neighbour on the network and the rebinding page: the demo (whose admin login is published) answers only on
// loopback unless HOST says otherwise, and with PUBLIC_URL set the CSRF origin check ignores the Host header.
import { afterEach, describe, expect, it } from "vitest";
import { loadEnv } from "../../src/env.js";
import { EntryProcess } from "../helpers/entry-process.js";
import { createWebTestContext, login, type WebTestContext } from "../web/helpers.js";
import { rawRequest } from "./http.js";

// Extra defaults for every start here: one web process on a free port.
const entry = new EntryProcess("exposure");
const start = (env: Record<string, string>, until: RegExp) =>
  entry.start({ WEB_WORKERS: "1", PORT: "0", ...env }, until);
let ctx: WebTestContext | undefined;

afterEach(async () => {
  entry.stop();
  await ctx?.deps.cleanup();
  ctx = undefined;
});

/** 127.0.0.2 is this machine too, but a listener bound to 127.0.0.1 alone does not answer there. */
async function answersOn(host: string, port: number): Promise<boolean> {
  try {
    return (await rawRequest(`http://${host}:${port}`, "/healthz")).status === 200;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ECONNREFUSED") return false;
    throw error;
  }
}

describe("where the demo listens", () => {
  it("binds 127.0.0.1 by default in demo mode, every interface only when HOST says so", async () => {
    const demo = await start({ RAPPORT_DEMO: "1" }, /Demo login/);
    const port = Number(/running at http:\/\/localhost:(\d+)/.exec(demo.output)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await answersOn("127.0.0.1", port)).toBe(true);
    expect(await answersOn("127.0.0.2", port)).toBe(false);
    entry.child?.kill("SIGTERM");

    const open = await start({ RAPPORT_DEMO: "1", HOST: "0.0.0.0" }, /Demo login/);
    const openPort = Number(/running at http:\/\/localhost:(\d+)/.exec(open.output)?.[1]);
    expect(await answersOn("127.0.0.2", openPort)).toBe(true);
  }, 120_000);

  it("names a bad HOST at start", async () => {
    const { output, code } = await start({ RAPPORT_DEMO: "1", HOST: "not a host!" }, /$^/);
    expect(code).toBe(2);
    expect(output).toContain('HOST="not a host!"');
    expect(() => loadEnv({ HOST: "-bad" })).toThrow(/HOST.*IP address/);
    expect(loadEnv({ RAPPORT_DEMO: "1" }).HOST).toBe("127.0.0.1");
    expect(loadEnv({ RAPPORT_DEMO: "0", NODE_ENV: "test" }).HOST).toBe("0.0.0.0");
  }, 60_000);
});

describe("CSRF origin with PUBLIC_URL", () => {
  it("refuses an Origin that only matches the Host header the client sent", async () => {
    ctx = await createWebTestContext({ PUBLIC_URL: "https://rapport.example.com" });
    const session = await login(ctx, "manager");
    const post = (url: string, origin: string) =>
      ctx!.app.request(url, {
        method: "POST",
        headers: {
          cookie: session.cookie,
          "x-csrf-token": session.csrf,
          "content-type": "application/json",
          origin,
        },
        body: JSON.stringify({ ids: [], status: "dismissed" }),
      });
    // A DNS-rebinding page at evil.example: the browser sends Host and Origin both naming evil.example.
    const rebound = await post("http://evil.example/api/mentions/status", "http://evil.example");
    expect(rebound.status).toBe(403);
    expect(await rebound.text()).toMatch(/Cross-site request refused/);
    const own = await post("http://evil.example/api/mentions/status", "https://rapport.example.com");
    expect(own.status).not.toBe(403);
  });
});
