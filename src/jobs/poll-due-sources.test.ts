// A stuck source cannot delay the others: the poll job runs due sources concurrently, each under its own
// deadline, so a feed that sends its headers and then never finishes costs one lane for the deadline, not the run.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../test/fixtures/local-server.js";
import { createTestDeps, type TestDeps } from "../../test/helpers/deps.js";
import { mentions, sources } from "../db/schema/index.js";
import { addSource } from "../services/sources/add-source.js";
import { runPollDueSources } from "./poll-due-sources.js";

const XML = readFileSync("test/fixtures/rss/rss2.xml", "utf8");
let deps: TestDeps;
let server: LocalServer;
let stuckOpen = false;
let fineWhileStuckOpen: boolean | null = null;

beforeEach(async () => {
  deps = await createTestDeps();
  stuckOpen = false;
  fineWhileStuckOpen = null;
  server = await startLocalServer((req, res) => {
    if (req.path === "/stuck.xml") {
      // Prompt headers and the start of a feed, then nothing: only a deadline over the body ends this.
      stuckOpen = true;
      res.on("close", () => {
        stuckOpen = false;
      });
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      return;
    }
    if (fineWhileStuckOpen === null) fineWhileStuckOpen = stuckOpen;
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(XML);
  });
});
afterEach(async () => {
  await server.close();
  await deps.cleanup();
});

const add = (name: string, path: string) =>
  addSource(deps, {
    workspaceId: deps.workspaceId,
    type: "rss",
    name,
    every: "* * * * *",
    config: { url: `${server.baseUrl}${path}` },
  });
const countFor = async (sourceId: number) =>
  (await deps.db.select({ id: mentions.id }).from(mentions).where(eq(mentions.sourceId, sourceId))).length;

describe("the poll job", () => {
  it("polls the other sources while one is stuck, and ends the stuck one at its deadline", async () => {
    // The stuck source comes first: polled one after the other, the good one would wait for it.
    const stuck = await add("stuck", "/stuck.xml");
    const fine = await add("fine", "/fine.xml");
    const outcomes = await runPollDueSources(deps, new Date("2026-11-22T09:00:00Z"), "test", {
      deadlineMs: 1_500,
    });
    expect(fineWhileStuckOpen).toBe(true);
    const byId = new Map(outcomes.map((o) => [o.sourceId, o]));
    expect(byId.get(fine.id)?.status).toBe("ok");
    expect(await countFor(fine.id)).toBeGreaterThan(0);
    expect(byId.get(fine.id)?.inserted).toBe(await countFor(fine.id));
    expect(byId.get(stuck.id)?.status).toBe("error");
    expect(byId.get(stuck.id)?.error).toMatch(/source "stuck" did not finish within its 2 s poll deadline/);
    const [row] = await deps.db.select().from(sources).where(eq(sources.id, stuck.id));
    expect(row?.health).toBe("failing");
    expect(row?.backoffUntil).not.toBeNull();
  });

  it("polls a source added after a slow run on its own schedule", async () => {
    await add("stuck", "/stuck.xml");
    const t0 = new Date("2026-11-22T09:00:00Z");
    await runPollDueSources(deps, t0, "test", { deadlineMs: 500 });
    const late = await add("late", "/late.xml");
    const next = await runPollDueSources(deps, new Date(t0.getTime() + 60_000), "test", { deadlineMs: 500 });
    expect(next.find((o) => o.sourceId === late.id)?.status).toBe("ok");
    expect(await countFor(late.id)).toBeGreaterThan(0);
  });
});
