// Connector credentials through the real pieces: the add-source service seals them before they reach the
// database file, a poll opens them for the connector (a real local Reddit server checks the Basic auth), a
// different RAPPORT_SECRET fails the source with the fix, and `rapport migrate` seals rows stored in plain text.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sources } from "../../src/db/schema/index.js";
import { buildDeps } from "../../src/deps.js";
import { loadEnv } from "../../src/env.js";
import { silentLogger } from "../../src/log.js";
import { pollSource, type SourceRow } from "../../src/pipeline/poll.js";
import { isSealed, openCredentials } from "../../src/platform/credentials.js";
import { createHttpClient } from "../../src/platform/http/index.js";
import { addSource } from "../../src/services/sources/add-source.js";
import { fixture, type LocalServer, sendJson, startLocalServer } from "../fixtures/local-server.js";
import { runCli } from "../helpers/cli.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";

const NOW = new Date("2026-11-20T12:00:00Z");
const CLIENT_SECRET = "gko_LXELoV07ZBNUXrvWZfzE3aI";
const SECRET = "test-secret-test-secret-test-secret-00";
let deps: TestDeps;
let reddit: LocalServer;

beforeAll(async () => {
  deps = await createTestDeps({ RAPPORT_SECRET: SECRET }, () => NOW);
  reddit = await startLocalServer((req, res) => {
    if (req.path === "/api/v1/access_token") return sendJson(res, 200, fixture("reddit", "token-app.json"));
    return sendJson(res, 200, fixture("reddit", "search-page2.json"));
  });
});
afterAll(async () => {
  await reddit.close();
  await deps.cleanup();
});

const dbFile = () => join(deps.dir, "test.db");
const fileText = (path: string) => (existsSync(path) ? readFileSync(path).toString("latin1") : "");
const http = () => createHttpClient({ allow: "127.0.0.1,localhost", timeoutMs: 2_000, retries: 0 });

describe("connector credentials at rest", () => {
  let source: SourceRow;

  it("the add-source service stores the secret sealed: it is nowhere in the database file", async () => {
    source = (await addSource(deps, {
      workspaceId: deps.workspaceId,
      type: "reddit",
      name: "reddit-acme",
      config: {
        query: '"Acme Recovery"',
        clientId: "p-jcoLKBynTLew",
        clientSecret: CLIENT_SECRET,
        userAgent: "node:rapport-test:v0.1.0 (by /u/acme_care)",
        baseUrl: reddit.baseUrl,
        wwwBaseUrl: reddit.baseUrl,
      },
    })) as SourceRow;
    const config = source.config as Record<string, unknown>;
    expect(isSealed(config.clientSecret)).toBe(true);
    expect(config.clientId).toBe("p-jcoLKBynTLew");
    expect(fileText(dbFile()) + fileText(`${dbFile()}-wal`)).not.toContain(CLIENT_SECRET);
  });

  it("a poll opens it for the connector", async () => {
    const outcome = await pollSource(deps, source, { now: NOW, http: http() });
    expect(outcome.status).toBe("ok");
    const tokenRequest = reddit.requests.find((r) => r.path === "/api/v1/access_token");
    expect(tokenRequest?.headers.authorization).toBe(
      `Basic ${Buffer.from(`p-jcoLKBynTLew:${CLIENT_SECRET}`).toString("base64")}`,
    );
  });

  it("under another RAPPORT_SECRET the source fails with the field and the fix, and no request is made", async () => {
    const other = await buildDeps(
      loadEnv({
        NODE_ENV: "test",
        DATABASE_URL: `file:${dbFile()}`,
        RAPPORT_DEMO: "0",
        RAPPORT_SECRET: "another-secret-another-secret-another-0",
      }),
      { log: silentLogger, now: () => NOW },
    );
    try {
      const before = reddit.requests.length;
      const outcome = await pollSource(other, source, { now: NOW, http: http(), force: true });
      expect(outcome.status).toBe("error");
      const [row] = await other.db.select().from(sources).where(eq(sources.id, source.id));
      expect(row?.lastError).toMatch(/`clientSecret` does not open with this RAPPORT_SECRET.*restore/);
      expect(reddit.requests.length).toBe(before);
    } finally {
      other.database.close();
    }
  });

  it("`rapport migrate` seals credentials stored in plain text, once", async () => {
    const [legacy] = await deps.db
      .insert(sources)
      .values({
        workspaceId: deps.workspaceId,
        name: "legacy-x",
        type: "x",
        config: { query: "acme", bearerToken: "AAAAAAAAAAAAAAAAAAAAAlegacy-plain-bearer" },
      })
      .returning();
    const env = {
      DATABASE_URL: `file:${dbFile()}`,
      RAPPORT_DEMO: "0",
      RAPPORT_SECRET: SECRET,
      LOG_LEVEL: "silent",
    };
    const first = await runCli(["migrate"], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Sealed the stored credentials of 1 source(s).");
    const [row] = await deps.db.select().from(sources).where(eq(sources.id, legacy!.id));
    const config = row!.config as Record<string, unknown>;
    expect(isSealed(config.bearerToken)).toBe(true);
    expect(await openCredentials(config, SECRET, "legacy-x")).toEqual({
      query: "acme",
      bearerToken: "AAAAAAAAAAAAAAAAAAAAAlegacy-plain-bearer",
    });
    const second = await runCli(["migrate"], { env });
    expect(second.stdout).not.toContain("Sealed");
  });
});
