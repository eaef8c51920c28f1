// The real `npm start` entry as a child process over a temp database, for the suites that test what an operator
// sees at start. One runner per test file: `stop()` in afterEach ends the process and removes its databases.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ENTRY = join(process.cwd(), "src/entry/node.ts");

export class EntryProcess {
  /** The temp folder of the latest start; its database is `rapport.db`. */
  dir: string | undefined;
  child: ChildProcess | null = null;
  private dirs: string[] = [];

  constructor(private readonly name: string) {}

  /** Starts the entry; resolves with its output once it printed `until`, or with its exit code. */
  start(env: Record<string, string>, until: RegExp): Promise<{ output: string; code: number | null }> {
    const dir = mkdtempSync(join(tmpdir(), `rapport-${this.name}-`));
    this.dir = dir;
    this.dirs.push(dir);
    const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: `file:${join(dir, "rapport.db")}`,
        RAPPORT_SCHEDULER: "0",
        LOG_LEVEL: "error",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    return new Promise((resolve) => {
      let output = "";
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (until.test(output)) resolve({ output, code: null });
      };
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      child.on("exit", (code) => resolve({ output, code }));
    });
  }

  stop(): void {
    this.child?.kill("SIGTERM");
    this.child = null;
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs = [];
    this.dir = undefined;
  }
}
