// Shared setup for the reply and account tests: the web test context plus a Trustpilot-like source whose
// baseUrl points at a local server, so posting goes through the real connector and the real HTTP stack.
import { eq } from "drizzle-orm";
import type { AuthUser } from "../../src/auth/types.js";
import { sources } from "../../src/db/schema/index.js";
import type { Role } from "../../src/domain/taxonomy.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import { authed, insertMention, login, type WebTestContext } from "../web/helpers.js";

export const TOKEN_PATH = "/v1/oauth/oauth-business-users-for-applications/accesstoken";
export const REVIEW_ID = "6640d1c4e2a1b7f3a9c01234";

/** A local Trustpilot: the business-user token exchange and the review-reply endpoint. */
export async function startFakeTrustpilot(): Promise<TestServer> {
  return startHttpServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === TOKEN_PATH) {
      res.statusCode = 200;
      res.end(
        JSON.stringify({ access_token: "tp-access-token", expires_in: "359999", token_type: "BearerToken" }),
      );
      return;
    }
    if (req.method === "POST" && req.url?.endsWith("/reply")) {
      res.statusCode = 201;
      res.end("{}");
      return;
    }
    res.statusCode = 404;
    res.end("{}");
  });
}

export async function addTrustpilotSource(
  ctx: WebTestContext,
  baseUrl: string,
  options: { postingEnabled?: boolean; dryRun?: boolean; name?: string } = {},
): Promise<number> {
  const [row] = await ctx.deps.db
    .insert(sources)
    .values({
      workspaceId: ctx.deps.workspaceId,
      brandId: ctx.deps.companyBrandId,
      name: options.name ?? "trustpilot-live",
      type: "trustpilot",
      config: {
        apiKey: "tp-api-key",
        businessUnitId: "bu-1",
        baseUrl: `${baseUrl}/v1`,
        apiSecret: "tp-api-secret",
        username: "care@acmerecovery.example",
        password: "correct horse",
      },
      postingEnabled: options.postingEnabled ?? true,
      dryRun: options.dryRun ?? false,
    })
    .returning({ id: sources.id });
  return row!.id;
}

export async function setPosting(
  ctx: WebTestContext,
  sourceId: number,
  postingEnabled: boolean,
  dryRun: boolean,
) {
  await ctx.deps.db.update(sources).set({ postingEnabled, dryRun }).where(eq(sources.id, sourceId));
}

/** A person of the test context as services see them (for calling a service directly, not over HTTP). */
export function actorOf(ctx: WebTestContext, role: Role): AuthUser {
  return {
    id: ctx.users[role].id,
    workspaceId: ctx.deps.workspaceId,
    email: ctx.users[role].email,
    name: role,
    role,
  };
}

/**
 * A template reply to a collections complaint, drafted and submitted by the responder over the API, then approved
 * by the manager when `approve` is set: the starting point of the replies' race tests.
 */
export async function submittedReply(
  ctx: WebTestContext,
  options: { approve?: boolean } = {},
): Promise<{ mentionId: number; replyId: number }> {
  const responder = await login(ctx, "responder");
  const mentionId = await insertMention(ctx, {
    text: "They keep calling me at work.",
    category: "communication_tactics",
    relevant: true,
  });
  const created = await ctx.app.request(
    `/api/mentions/${mentionId}/replies`,
    authed(responder, { method: "POST", body: JSON.stringify({ origin: "template" }) }),
  );
  const { reply } = (await created.json()) as { reply: { id: number } };
  await ctx.app.request(`/api/replies/${reply.id}/submit`, authed(responder, { method: "POST" }));
  if (options.approve) {
    const manager = await login(ctx, "manager");
    const approved = await ctx.app.request(
      `/api/replies/${reply.id}/approve`,
      authed(manager, { method: "POST" }),
    );
    if (approved.status !== 200)
      throw new Error(`approval failed: ${approved.status} ${await approved.text()}`);
  }
  return { mentionId, replyId: reply.id };
}
