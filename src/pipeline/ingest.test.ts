import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../test/helpers/deps.js";
import { mentions } from "../db/schema/index.js";
import { addSource } from "../services/sources/add-source.js";
import { createApp } from "../web/app.js";

let deps: TestDeps;
let token: string;
beforeEach(async () => {
  deps = await createTestDeps();
  const source = await addSource(deps, {
    workspaceId: deps.workspaceId,
    type: "webhook",
    name: "bbb-push",
    config: {},
  });
  token = source.ingestToken!;
});
afterEach(async () => {
  await deps.cleanup();
});

const push = (body: unknown, auth = `Bearer ${token}`, source = "bbb-push") =>
  createApp(deps).request(`/api/ingest/${source}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: auth },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("POST /api/ingest/<source>", () => {
  it("stores pushed mentions once and reports bad items by index", async () => {
    const body = {
      mentions: [
        { id: "bbb-1", text: "Acme Recovery threatened to call my employer", author: "kim", rating: 1 },
        { id: "bbb-2", text: "" },
        { id: "bbb-3", text: "Resolved quickly, thanks", created_at: "2026-11-20T10:00:00Z" },
      ],
    };
    const first = await push(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 1, error: "`text` is empty" }],
    });
    const again = await (await push(body)).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });
    const [{ n }] = (await deps.db.select({ n: sql<number>`count(*)` }).from(mentions)) as [{ n: number }];
    expect(n).toBe(2);
  });

  it("accepts a single object and an array", async () => {
    expect(await (await push({ id: "one", text: "single" })).json()).toMatchObject({ accepted: 1 });
    expect(await (await push([{ id: "two", text: "in an array" }])).json()).toMatchObject({ accepted: 1 });
  });

  it("refuses a wrong token, a missing token and an unknown source alike", async () => {
    for (const response of [
      await push({ id: "x", text: "y" }, "Bearer wrong"),
      await push({ id: "x", text: "y" }, ""),
      await push({ id: "x", text: "y" }, `Bearer ${token}`, "nope"),
    ]) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
  });

  it("names malformed JSON", async () => {
    const response = await push("{oops");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /not valid JSON/,
    );
  });
});
