// Shared setup for the reply and account tests: the web test context plus a Trustpilot-like source whose
// baseUrl points at a local server, so posting goes through the real connector and the real HTTP stack.
import { eq } from "drizzle-orm";
import { sources } from "../../src/db/schema/index.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";
import type { WebTestContext } from "../web/helpers.js";

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
