// The fault injector: kill -9 in the middle of a job, a job slower than its own schedule, two instances on one
// database. A dead process's lease lapses within a minute and its "running" rows are closed; a live job's lease
// is renewed while it works; a job never runs twice at once.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runJob, startScheduler } from "../../src/jobs/scheduler.js";
import { LEASE_RENEW_MS, LEASE_TTL_MS } from "../../src/platform/jobs/lease.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";

let deps: TestDeps | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill("SIGKILL");
  child = undefined;
  await deps?.cleanup();
  deps = undefined;
});

async function query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const database = deps!.database as { client: { execute(s: string): Promise<{ rows: unknown[] }> } };
  return (await database.client.execute(sql)).rows as T[];
}

function startChild(jobs: string[]): Promise<void> {
  child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "fixtures/hang-in-jobs.ts")], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: deps!.env.DATABASE_URL, JOBS: jobs.join(",") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child!.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("WORKING")) resolve();
    });
    child!.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child!.on("exit", (code) => reject(new Error(`child exited (${code}) before working:\n${output}`)));
  });
}

async function killHard(): Promise<number> {
  const exited = new Promise((resolve) => child!.once("exit", resolve));
  child!.kill("SIGKILL");
  await exited;
  child = undefined;
  return Date.now();
}

const quickJob = (name: string, onRun: () => void = () => {}) => ({
  name,
  cron: "* * * * *",
  leaseMs: 15 * 60_000,
  run: async () => onRun(),
});

describe("kill -9 in the middle of a job", () => {
  it("renews the lease while working, frees it within a minute of the kill, and closes the dead runs", async () => {
    deps = await createTestDeps();
    await startChild(["poll-due-sources", "detect-spikes"]);
    const lease = async () =>
      (
        await query<{ expires_at: number }>(
          "SELECT expires_at FROM leases WHERE name = 'job:poll-due-sources'",
        )
      )[0]!.expires_at;
    const first = await lease();
    expect(first - Date.now()).toBeLessThanOrEqual(LEASE_TTL_MS);
    // Another instance cannot take it while the holder lives …
    expect(await runJob(deps, quickJob("poll-due-sources"), "other-instance")).toBe(false);
    // … and the holder renews it before it would lapse.
    await new Promise((resolve) => setTimeout(resolve, LEASE_RENEW_MS + 2_000));
    expect(await lease()).toBeGreaterThan(first);

    const killedAt = await killHard();
    expect(await lease()).toBeLessThanOrEqual(killedAt + 60_000);
    const running = await query("SELECT job FROM job_runs WHERE status = 'running' ORDER BY job");
    expect(running.map((r) => r.job)).toEqual(["detect-spikes", "poll-due-sources"]);

    // A minute later (the clock is passed, not waited for) the job runs again, and the dead run is closed.
    const aMinuteLater = new Date(killedAt + 60_000);
    let ran = 0;
    expect(
      await runJob(
        deps,
        quickJob("poll-due-sources", () => ran++),
        "other-instance",
        aMinuteLater,
      ),
    ).toBe(true);
    expect(ran).toBe(1);
    const poll = await query<{ status: string; n: number }>(
      "SELECT status, count(*) AS n FROM job_runs WHERE job = 'poll-due-sources' GROUP BY status ORDER BY status",
    );
    expect(poll).toEqual([
      { status: "abandoned", n: 1 },
      { status: "ok", n: 1 },
    ]);

    // The other dead run's lease is not taken by anyone: a scheduler starting closes it anyway.
    const scheduler = startScheduler({ ...deps, now: () => aMinuteLater }, []);
    await scheduler.stop();
    const spikes = await query<{ status: string; error: string }>(
      "SELECT status, error FROM job_runs WHERE job = 'detect-spikes'",
    );
    expect(spikes).toHaveLength(1);
    expect(spikes[0]!.status).toBe("abandoned");
    expect(spikes[0]!.error).toMatch(/stopped \(crash or kill\)/);
  }, 60_000);
});

describe("a job slower than its schedule", () => {
  it("never overlaps itself in one scheduler", async () => {
    deps = await createTestDeps();
    let active = 0;
    let most = 0;
    const scheduler = startScheduler(deps, [
      {
        name: "slow",
        cron: "* * * * * *", // every second
        leaseMs: 60_000,
        async run() {
          active++;
          most = Math.max(most, active);
          await new Promise((resolve) => setTimeout(resolve, 2_500));
          active--;
        },
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    await scheduler.stop();
    expect(most).toBe(1);
    const overlapping = await query<{ n: number }>(
      `SELECT count(*) AS n FROM job_runs a JOIN job_runs b ON a.id < b.id
       WHERE a.job = 'slow' AND b.job = 'slow' AND b.started_at < a.ended_at`,
    );
    expect(overlapping[0]!.n).toBe(0);
    expect(
      (await query<{ n: number }>("SELECT count(*) AS n FROM job_runs WHERE job = 'slow'"))[0]!.n,
    ).toBeGreaterThan(0);
  }, 30_000);

  it("never overlaps across instances sharing the database, even past its lease time", async () => {
    deps = await createTestDeps();
    let active = 0;
    let most = 0;
    const job = {
      name: "shared",
      cron: "* * * * *",
      leaseMs: 600, // shorter than the job: only the heartbeat keeps the other instance out
      async run() {
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        active--;
      },
    };
    const first = runJob(deps, job, "instance-a");
    const second: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      second.push(await runJob(deps, job, "instance-b"));
    }
    expect(await first).toBe(true);
    expect(second.every((ran) => !ran)).toBe(true);
    expect(most).toBe(1);
  }, 30_000);
});
