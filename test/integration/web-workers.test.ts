// `npm start` with several web processes (node:cluster), as a real child process over a temp database: a web
// process that dies is replaced by one that serves (not one stuck answering 503), and a port someone else holds
// stops the start with a one-line reason instead of restarting workers forever.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ENTRY = join(process.cwd(), "src/entry/node.ts");
let dir = "";
let child: ChildProcess | null = null;
let blocker: Server | null = null;

afterEach(async () => {
  child?.kill("SIGTERM");
  child = null;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), "rapport-web-workers-"));
  const process_ = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: `file:${join(dir, "rapport.db")}`,
      RAPPORT_SCHEDULER: "0",
      LOG_LEVEL: "error",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = process_;
  let output = "";
  process_.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  process_.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => process_.on("exit", (code) => resolve(code)));
  const printed = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return output;
  };
  return { process: process_, printed, exited, output: () => output };
}

/** The web processes the primary forked: its children running the entry (not tsx's esbuild service). */
function workerPids(primary: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const status = readFileSync(`/proc/${entry}/status`, "utf8");
        const isChild = Number(/PPid:\s+(\d+)/.exec(status)?.[1]) === primary;
        return isChild && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("node.ts")
          ? [Number(entry)]
          : [];
      } catch {
        return []; // ended while listing
      }
    });
}

describe("npm start with several web processes", () => {
  it("replaces a web process that dies with one that serves", async () => {
    const server = start({ WEB_WORKERS: "2", PORT: "0" });
    const out = await server.printed(/Rapport is running at (http:\/\/\S+)/);
    const url = /Rapport is running at (http:\/\/\S+)/.exec(out)![1]!;
    const before = workerPids(server.process.pid!);
    expect(before).toHaveLength(2);
    process.kill(before[0]!, "SIGKILL");
    await server.printed(/web worker exited \(SIGKILL\); starting another/);
    // The replacement is forked after a second's pause; then it must answer, not say "starting" for good.
    const deadline = Date.now() + 30_000;
    let replaced: number[] = [];
    while (Date.now() < deadline) {
      replaced = workerPids(server.process.pid!).filter((pid) => !before.includes(pid));
      if (replaced.length === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(replaced).toHaveLength(1);
    // Each fresh connection goes to the next process in turn: twenty in a row must all be served, once the new
    // process had time to load (it says hello, gets READY and serves).
    let statuses: number[] = [];
    while (Date.now() < deadline) {
      statuses = [];
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${url}/healthz`, { headers: { connection: "close" } });
        statuses.push(response.status);
      }
      if (statuses.every((s) => s === 200)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(statuses).toEqual(Array(20).fill(200));
  }, 120_000);

  it("stops with the reason when the port is taken, instead of restarting workers forever", async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker!.listen(0, "0.0.0.0", () => resolve((blocker!.address() as { port: number }).port)),
    );
    const server = start({ WEB_WORKERS: "2", PORT: String(port) });
    const code = await server.exited;
    expect(code).not.toBe(0);
    expect(server.output()).toContain(`Port ${port} is already in use`);
    expect(server.output()).not.toMatch(/at .*node_modules/); // a reason, not a stack trace
  }, 120_000);
});
