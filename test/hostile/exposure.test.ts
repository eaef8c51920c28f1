// The neighbour on the network and the rebinding page: the demo (whose admin login is published) answers only on
// loopback unless HOST says otherwise, and with PUBLIC_URL set the CSRF origin check ignores the Host header.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadEnv } from "../../src/env.js";
import { createWebTestContext, login, type WebTestContext } from "../web/helpers.js";
import { rawRequest } from "./http.js";

const ENTRY = join(process.cwd(), "src/entry/node.ts");
let dir: string | undefined;
let child: ChildProcess | null = null;
let ctx: WebTestContext | undefined;

afterEach(async () => {
  child?.kill("SIGTERM");
  child = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  await ctx?.deps.cleanup();
  ctx = undefined;
});

function start(env: Record<string, string>, until: RegExp) {
  dir = mkdtempSync(join(tmpdir(), "rapport-exposure-"));
  const process_ = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: `file:${join(dir, "rapport.db")}`,
      RAPPORT_SCHEDULER: "0",
      WEB_WORKERS: "1",
      LOG_LEVEL: "error",
      PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = process_;
  return new Promise<{ output: string; code: number | null }>((resolve) => {
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) resolve({ output, code: null });
    };
    process_.stdout?.on("data", collect);
    process_.stderr?.on("data", collect);
    process_.on("exit", (code) => resolve({ output, code }));
  });
}

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
    child?.kill("SIGTERM");

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
