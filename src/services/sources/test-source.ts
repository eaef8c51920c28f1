// The "test connection" button: one cheap authenticated call through the source's connector.
import { and, eq } from "drizzle-orm";
import { isConnectorError } from "../../../connectors/errors.js";
import { createHttpClient } from "../../../connectors/http.js";
import { connectorFor } from "../../../connectors/index.js";
import type { AuthUser } from "../../auth/types.js";
import { sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { notFound } from "../../errors.js";
import { describeFailure } from "../../pipeline/poll.js";
import { openCredentials } from "./credentials.js";

export interface ConnectionTest {
  ok: boolean;
  message: string;
}

export async function testSourceConnection(
  deps: Deps,
  viewer: AuthUser,
  sourceId: number,
): Promise<ConnectionTest> {
  const [source] = await deps.db
    .select()
    .from(sources)
    .where(and(eq(sources.id, sourceId), eq(sources.workspaceId, viewer.workspaceId)));
  if (!source) throw notFound("Source");
  try {
    const config = await openCredentials(
      source.config as Record<string, unknown>,
      deps.env.RAPPORT_SECRET,
      source.name,
    );
    return await testConfig(deps, source.type, config);
  } catch (error) {
    if (isConnectorError(error)) return { ok: false, message: error.message };
    throw error;
  }
}

/** The same test for a configuration not stored yet (the "add a source" form): nothing is written. */
export async function testConfig(
  deps: Pick<Deps, "now">,
  type: string,
  rawConfig: Record<string, unknown>,
): Promise<ConnectionTest> {
  const connector = connectorFor(type);
  if (!connector) return { ok: false, message: `No connector is installed for "${type}" sources.` };
  if (!connector.testConnection) {
    return { ok: false, message: `${connector.label} has no connection test; use "Poll now" to try it.` };
  }
  const config = connector.configSchema.safeParse(rawConfig);
  if (!config.success) {
    const issue = config.error.issues[0];
    return {
      ok: false,
      message: `The configuration is invalid: \`${issue?.path.join(".") || "config"}\` ${issue?.message ?? ""}`,
    };
  }
  try {
    const message = await connector.testConnection({
      config: config.data,
      cursor: null,
      http: createHttpClient({
        userAgent: "Rapport/0.1 (reputation monitor)",
        timeoutMs: 10_000,
        retries: 0,
      }),
      now: deps.now(),
    });
    return { ok: true, message };
  } catch (error) {
    return { ok: false, message: describeFailure(error) };
  }
}
