// Adding or changing a source from the web tests its connection first: a source whose test fails is refused
// unless the person explicitly chose "add anyway" / "save anyway" (a feed that is down for maintenance, a key
// that activates later). The refusal carries the test's words so the page can show them beside that choice.

import { connectorFor } from "../../../connectors/index.js";
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { conflict } from "../../errors.js";
import { type ConnectionTest, testConfigFromWeb } from "./test-source.js";

export interface GateResult {
  /** What the audit log records about the test behind an add or an edit. */
  verdict: "passed" | "saved_anyway" | "no_test_available";
  message: string | null;
}

/** The details of the 409 a failed test raises (the page shows `connectionTest.message` and an "anyway" box). */
export interface ConnectionTestFailure {
  connectionTest: ConnectionTest;
}

export function isConnectionTestFailure(details: unknown): details is ConnectionTestFailure {
  return Boolean(details && typeof details === "object" && "connectionTest" in details);
}

/**
 * Tests `config` (credentials opened) for a source of `type`. With `anyway`, nothing is sent and the add goes
 * ahead on the person's word; without it, a failed test throws a 409 naming the failure and the way out.
 */
export async function connectionGate(
  deps: Deps,
  user: AuthUser,
  type: string,
  config: Record<string, unknown>,
  anyway: boolean,
  /** The config keeps an operator's stored endpoint override (an edit): test against it as the poller would. */
  storedOverrides = false,
): Promise<GateResult> {
  if (!connectorFor(type)?.testConnection) return { verdict: "no_test_available", message: null };
  if (anyway) return { verdict: "saved_anyway", message: null };
  const result = await testConfigFromWeb(deps, user, type, config, !storedOverrides);
  if (result.ok) return { verdict: "passed", message: result.message };
  throw conflict(
    `The connection test failed: ${result.message} Fix the settings and try again, or choose "anyway" to save the source as it is (it will show as failing until it works).`,
    { connectionTest: result } satisfies ConnectionTestFailure,
  );
}
