import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jobRuns, sources } from "../../src/db/schema/index.js";
import { runPollDueSources } from "../../src/jobs/poll-due-sources.js";
import { runJob } from "../../src/jobs/scheduler.js";
import { acquireLease } from "../../src/platform/jobs/lease.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";

let deps: TestDeps;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(async () => {
  await deps.cleanup();
});

describe("leases", () => {
  it("lets one holder in at a time and frees itself after expiry", async () => {
    const t0 = new Date("2026-11-22T09:00:00Z");
    expect(await acquireLease(deps.db, "job:x", "a", 60_000, t0)).toBe(true);
    expect(await acquireLease(deps.db, "job:x", "b", 60_000, t0)).toBe(false);
    expect(await acquireLease(deps.db, "job:x", "a", 60_000, t0)).toBe(true); // renewal by the holder
    expect(await acquireLease(deps.db, "job:x", "b", 60_000, new Date(t0.getTime() + 61_000))).toBe(true);
  });

  it("runs a job once when two processes fire it at the same moment", async () => {
    let runs = 0;
    const job = {
      name: "slow",
      cron: "* * * * *",
      leaseMs: 60_000,
      async run() {
        runs++;
        await new Promise((r) => setTimeout(r, 50));
        return 1;
      },
    };
    const ran = await Promise.all([runJob(deps, job, "process-a"), runJob(deps, job, "process-b")]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    const recorded = await deps.db.select().from(jobRuns).where(eq(jobRuns.job, "slow"));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ status: "ok", items: 1 });
  });

  it("records a failing job with its error and keeps going", async () => {
    const job = {
      name: "boom",
      cron: "* * * * *",
      leaseMs: 1000,
      run: async () => Promise.reject(new Error("nope")),
    };
    expect(await runJob(deps, job, "p")).toBe(true);
    const [run] = await deps.db.select().from(jobRuns).where(eq(jobRuns.job, "boom"));
    expect(run).toMatchObject({ status: "error", error: "nope" });
  });
});

describe("poll job", () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it("polls only sources whose schedule fired since their last run", async () => {
    const feed = readFileSync(new URL("../fixtures/rss/atom.xml", import.meta.url), "utf8");
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/atom+xml" });
      res.end(feed);
    });
    const lastRunAt = new Date("2026-11-22T09:00:30Z");
    await deps.db.insert(sources).values([
      {
        workspaceId: deps.workspaceId,
        name: "hourly",
        type: "rss",
        schedule: "0 * * * *",
        config: { url: server.url },
        lastRunAt,
      },
      {
        workspaceId: deps.workspaceId,
        name: "quarterly",
        type: "rss",
        schedule: "*/15 * * * *",
        config: { url: server.url },
        lastRunAt,
      },
      {
        workspaceId: deps.workspaceId,
        name: "off",
        type: "rss",
        enabled: false,
        config: { url: server.url },
      },
    ]);
    const outcomes = await runPollDueSources(deps, new Date("2026-11-22T09:20:00Z"), "test");
    const names = (await deps.db.select().from(sources))
      .filter((s) => outcomes.some((o) => o.sourceId === s.id))
      .map((s) => s.name);
    expect(names).toEqual(["quarterly"]);
  });
});
