// Creating and revoking an API token are atomic batches with their audit rows, so they work on D1 as on libSQL:
// the create's row names the token, and a revoke's row exists only if that request removed the token.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { authed, createWebTestContext, login, type WebTestContext } from "../../../test/web/helpers.js";
import { markD1 } from "../../db/atomic.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

it.each(["libSQL", "D1"])("creates and revokes a token with one audit row each (%s)", async (driver) => {
  const manager = await login(ctx, "manager");
  if (driver === "D1") markD1(ctx.deps.db);
  const call = (method: string, path: string, body?: unknown) =>
    ctx.app.request(
      path,
      authed(manager, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    );
  const created = (await (await call("POST", "/api/tokens", { name: "crm", scope: "read" })).json()) as {
    id: number;
    token: string;
  };
  expect(created.token).toMatch(/^rpt_/);
  expect(
    (await ctx.app.request("/api/mentions", { headers: { authorization: `Bearer ${created.token}` } }))
      .status,
  ).toBe(200);
  expect((await call("DELETE", `/api/tokens/${created.id}`)).status).toBe(200);
  expect((await call("DELETE", `/api/tokens/${created.id}`)).status).toBe(404);

  const audit = (await ctx.deps.db.all(sql`
    SELECT action, entity_id AS entityId, actor_email AS actor, workspace_id AS workspaceId,
           json_extract(after, '$.name') AS name
    FROM audit_log WHERE entity_type = 'api_token' ORDER BY id`)) as Record<string, unknown>[];
  const who = {
    actor: ctx.users.manager.email,
    workspaceId: ctx.deps.workspaceId,
    entityId: String(created.id),
  };
  expect(audit).toEqual([
    { action: "token.create", name: "crm", ...who },
    { action: "token.revoke", name: null, ...who },
  ]);
  const [{ n }] = (await ctx.deps.db.all(sql`SELECT count(*) AS n FROM api_tokens`)) as [{ n: number }];
  expect(n).toBe(0);
});
