// The "test connection" button: one cheap authenticated call through the source's connector.
import { isConnectorError } from "../../../connectors/errors.js";
import { connectorFor } from "../../../connectors/index.js";
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { maskPii } from "../../domain/masking.js";
import { describeFailure } from "../../pipeline/poll.js";
import { isSecretField, openCredentials } from "../../platform/credentials.js";
import { httpClientFromEnv, isUpstreamError } from "../../platform/http/index.js";
import { recordAudit } from "../audit/record-audit.js";
import { sourceInWorkspace } from "./find-source.js";
import { assertWebSourceInput } from "./source-input-policy.js";

export interface ConnectionTest {
  ok: boolean;
  message: string;
}

export async function testSourceConnection(
  deps: Deps,
  viewer: AuthUser,
  sourceId: number,
): Promise<ConnectionTest> {
  const source = await sourceInWorkspace(deps, viewer, sourceId);
  try {
    const config = await openCredentials(
      source.config as Record<string, unknown>,
      deps.env.RAPPORT_SECRET,
      source.name,
    );
    return await testConfig(deps, source.type, config);
  } catch (error) {
    if (isConnectorError(error)) return { ok: false, message: peopleMessage(deps, source.type, error) };
    throw error;
  }
}

/** The same test for a configuration not stored yet (the "add a source" form): nothing is written. */
export async function testConfig(
  deps: Pick<Deps, "now" | "env" | "http" | "log">,
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
      http: (deps.http ?? httpClientFromEnv(deps.env)).forSource(`${type} test`),
      now: deps.now(),
      signal: AbortSignal.timeout(TEST_DEADLINE_MS),
    });
    return { ok: true, message };
  } catch (error) {
    return { ok: false, message: peopleMessage(deps, type, error) };
  }
}

/**
 * The web's test of an unsaved config: the input policy first; then, as the request goes from this server to
 * whatever the config names, who tested which address is on record (the type and the URLs, never a credential).
 */
export async function testConfigFromWeb(
  deps: Deps,
  user: AuthUser,
  type: string,
  config: Record<string, unknown>,
  /** False when the config holds an operator's stored endpoint override (an edit keeps it; the web never sets it). */
  checkPolicy = true,
): Promise<ConnectionTest> {
  if (checkPolicy) assertWebSourceInput(type, config);
  const urls = Object.entries(config)
    .filter(
      ([name, value]) => !isSecretField(name) && typeof value === "string" && /^https?:\/\//i.test(value),
    )
    .map(([name, value]) => ({ field: name, url: value }));
  const result = await testConfig(deps, type, config);
  await recordAudit(deps.db, {
    actor: { id: user.id, email: user.email },
    action: "source.test_config",
    entityType: "source",
    entityId: null,
    after: { type, urls, ok: result.ok },
  });
  return result;
}

/** A connection test answers within this, whatever the upstream does. */
const TEST_DEADLINE_MS = 20_000;

const HINTS: Record<string, string> = {
  auth: "it refused the credentials: check the key, token or secret fields",
  rate_limited: "it is rate limiting this server: try again later",
  transient: "it had an error of its own: try again later",
  unsupported: "it does not offer this feature to this account",
  config: "check the URL and the IDs in the configuration",
  payload: "check the configuration points at the right resource",
};

/**
 * What the person sees. A failure that carries an upstream status says only "the server answered N" and what to
 * check: the upstream's own words (its error body, and messages built from it) stay in the server log, masked
 * and truncated, because the address tested may be anyone's internal service. Failures of our own making (refused
 * by the egress policy, timeouts, an unreadable payload) are described in full.
 */
function peopleMessage(deps: Pick<Deps, "log">, type: string, error: unknown): string {
  const status = statusOf(error);
  if (status === undefined) return describeFailure(error);
  const failure = isUpstreamError(error) ? error.failure : "config";
  deps.log.warn("connection test failed", {
    type,
    status,
    failure,
    error: maskPii(String((error as Error).message ?? error).slice(0, 300)).masked,
    body: maskPii(bodyOf(error).slice(0, 300)).masked,
  });
  return `The server answered HTTP ${status}: ${HINTS[failure] ?? HINTS.config}.`;
}

function statusOf(error: unknown): number | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isUpstreamError(e) && e.options.status !== undefined) return e.options.status;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "number" && code >= 100 && code <= 599) return code;
  }
  return undefined;
}

function bodyOf(error: unknown): string {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isUpstreamError(e) && e.options.body) return e.options.body;
  }
  return "";
}
