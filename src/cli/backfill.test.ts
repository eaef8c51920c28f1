import { join } from "node:path";
import { PassThrough } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, type LocalServer, sendJson, startLocalServer } from "../../test/fixtures/local-server.js";
import { runCli } from "../../test/helpers/cli.js";
import { createTestDeps, type TestDeps } from "../../test/helpers/deps.js";
import { mentions, sources } from "../db/schema/index.js";
import type { StoredCursor } from "../pipeline/poll.js";
import { backfillCommand, parseSince } from "./backfill.js";

const NOW = new Date("2019-06-03T12:00:00Z");
const PAGE2 = "1553274000000_3187812";
let deps: TestDeps;
let server: LocalServer;
let env: Record<string, string>;
let refusePage2 = true;

beforeAll(async () => {
  deps = await createTestDeps({}, () => NOW);
  server = await startLocalServer((req, res) => {
    const after = req.url.searchParams.get("search_after");
    if (!after) return sendJson(res, 200, fixture("cfpb", "search-page1.json"));
    if (after === PAGE2) {
      if (refusePage2)
        return sendJson(res, 403, { detail: "You do not have permission to perform this action." });
      return sendJson(res, 200, fixture("cfpb", "search-page2.json"));
    }
    return sendJson(res, 200, fixture("cfpb", "search-empty.json"));
  });
  for (const name of ["cfpb-cli", "cfpb-tty"]) {
    await deps.db.insert(sources).values({
      workspaceId: deps.workspaceId,
      brandId: deps.companyBrandId,
      name,
      type: "cfpb",
      config: { company: "ENCORE CAPITAL GROUP INC.", baseUrl: `${server.baseUrl}/api/v1/`, pageSize: 3 },
    });
  }
  env = {
    NODE_ENV: "test",
    DATABASE_URL: `file:${join(deps.dir, "test.db")}`,
    RAPPORT_DEMO: "0",
    RAPPORT_SECRET: "test-secret-test-secret-test-secret-00",
    LOG_LEVEL: "silent",
    CLASSIFIER_ENGINE: "local",
    // The CFPB stand-in listens on 127.0.0.1, which the egress policy refuses unless allow-listed.
    EGRESS_ALLOW: "127.0.0.1",
  };
});
afterAll(async () => {
  await server.close();
  await deps.cleanup();
});

async function storedIds(name: string) {
  const [source] = await deps.db.select().from(sources).where(eq(sources.name, name));
  const rows = await deps.db
    .select({ externalId: mentions.externalId })
    .from(mentions)
    .where(eq(mentions.sourceId, source!.id));
  return { source: source!, ids: rows.map((r) => r.externalId).sort() };
}

describe("rapport backfill", () => {
  it("stops on an auth failure with the page it reached stored, then resumes there when run again", async () => {
    refusePage2 = true;
    const first = await runCli(["backfill", "--source", "cfpb-cli", "--since", "2019-01-01"], { env });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("backfill stopped");
    expect(first.stderr).toContain("HTTP 403");
    expect(first.stderr).toContain("run the same command again");
    const partial = await storedIds("cfpb-cli");
    expect(partial.ids).toEqual(["3187812", "3222811", "3256998"]);
    const cursor = partial.source.cursor as StoredCursor;
    expect(cursor.backfill).toMatchObject({ since: "2019-01-01T00:00:00.000Z", done: false });
    expect(cursor.live).toBeUndefined(); // a backfill never moves the live position

    refusePage2 = false;
    server.requests.length = 0;
    const second = await runCli(["backfill", "--source", "cfpb-cli", "--since", "2019-01-01"], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Resuming the unfinished backfill of cfpb-cli");
    expect(second.stdout).toContain("complete — 3 new, 0 already stored");
    // Resumed at page 2: page 1 was not fetched again.
    expect(server.requests[0]?.url.searchParams.get("search_after")).toBe(PAGE2);
    expect(server.requests[0]?.url.searchParams.get("date_received_min")).toBe("2019-01-01");
    const done = await storedIds("cfpb-cli");
    expect(done.ids).toEqual(["3155880", "3166331", "3174379", "3187812", "3222811", "3256998"]);
    expect((done.source.cursor as StoredCursor).backfill?.done).toBe(true);
  });

  it("draws a progress bar on a terminal", async () => {
    refusePage2 = false;
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    let drawn = "";
    stderr.on("data", (chunk: Buffer) => {
      drawn += chunk.toString();
    });
    let out = "";
    stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await backfillCommand.run(["--source", "cfpb-tty", "--since", "2019-01-01"], {
      stdin: new PassThrough(),
      stdout,
      stderr,
      deps: async () => deps,
    });
    expect(code).toBe(0);
    expect(drawn).toContain("cfpb-tty |");
    expect(drawn).toContain("100% reached back · 6 new");
    expect(out).toContain("complete — 6 new");
  });

  it("explains bad arguments", async () => {
    expect((await runCli(["backfill", "--source", "cfpb-cli"], { env })).code).toBe(2);
    const missing = await runCli(["backfill", "--source", "nope", "--since", "2019-01-01"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no source named "nope"');
    expect(() => parseSince("last tuesday", NOW)).toThrow(/not a date/);
    expect(() => parseSince("2020-01-01", NOW)).toThrow(/not in the past/);
    expect(parseSince("2019-01-01", NOW).toISOString()).toBe("2019-01-01T00:00:00.000Z");
  });
});
