// Changing a source after it was added: its name, brand, schedule and settings (the same generated form as the
// add), and rotating its credentials. Credentials are never shown again: a blank credential field keeps the stored
// one, a new value is sealed with the same sealing as the add (src/platform/credentials.ts). A change of settings
// is tested like an add (a failing test needs "save anyway"); every change is audited without a credential.
import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { brands, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { isSecretField, openCredentials, sealCredentials } from "../../platform/credentials.js";
import { recordAudit } from "../audit/record-audit.js";
import { assertNameFree, checkConfig, checkSchedule, checkSourceName, resolveBrand } from "./add-source.js";
import { configFieldErrors } from "./config-form.js";
import { connectionGate, type GateResult } from "./connection-gate.js";
import { sourceInWorkspace } from "./find-source.js";
import { assertWebSourceInput, isOperatorOnlyField } from "./source-input-policy.js";

/**
 * Settings to change, by field. Absent: kept. A value: set. For a credential, "" or null keeps the stored one
 * (it is never sent back to be resent); for any other field, "" or null clears it so the connector's default
 * applies. Endpoint overrides set by an operator are kept: the web may not name them.
 */
export type ConfigPatch = Record<string, unknown>;

export interface EditSourceInput {
  name?: string | undefined;
  /** Brand slug or name. */
  brand?: string | undefined;
  every?: string | undefined;
  config?: ConfigPatch | undefined;
  /** Save even though the connection test fails. */
  anyway?: boolean | undefined;
}

export interface EditOutcome {
  source: typeof sources.$inferSelect;
  /** Credential fields that got a new value (names only). */
  rotated: string[];
  connectionTest: GateResult | null;
}

/** The stored config with `patch` applied (credentials opened): what the connector will run with. */
export function applyConfigPatch(
  stored: Record<string, unknown>,
  patch: ConfigPatch,
): { config: Record<string, unknown>; rotated: string[] } {
  const config = { ...stored };
  const rotated: string[] = [];
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const blank = value === null || (typeof value === "string" && value.trim() === "");
    if (isSecretField(name)) {
      if (blank) continue;
      if (config[name] !== value) rotated.push(name);
      config[name] = value;
    } else if (blank || (Array.isArray(value) && value.length === 0)) {
      delete config[name];
    } else {
      config[name] = value;
    }
  }
  return { config, rotated };
}

/** A config as the audit log may hold it: credentials only as "(set)". */
function redacted(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([name, value]) => [name, isSecretField(name) ? "(set)" : value]),
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function applyEdit(
  deps: Deps,
  user: AuthUser,
  id: number,
  input: EditSourceInput,
  action: "source.edit" | "source.rotate_credentials",
): Promise<EditOutcome> {
  const source = await sourceInWorkspace(deps, user, id);
  const patch = input.config ?? {};
  if (Object.keys(patch).length > 0) assertWebSourceInput(source.type, patch);
  const stored = await openCredentials(
    (source.config ?? {}) as Record<string, unknown>,
    deps.env.RAPPORT_SECRET,
    source.name,
  );
  const { config: merged, rotated } = applyConfigPatch(stored, patch);
  if (action === "source.rotate_credentials" && rotated.length === 0)
    throw badRequest("The new credentials are the same as the stored ones: nothing was changed");
  // Operator overrides in the stored config stay as they are (applyConfigPatch kept them; the policy refused any
  // in the patch), so a dashboard edit cannot silently drop a proxy an operator set up.
  const fieldErrors = Object.entries(configFieldErrors(source.type, merged));
  if (fieldErrors.length > 0)
    throw badRequest(
      `invalid ${source.type} configuration: ${fieldErrors.map(([, message]) => message).join(" ")}`,
      fieldErrors.map(([name, message]) => ({ path: `config.${name}`, message })),
    );
  const config = checkConfig(source.type, merged);
  const name = input.name === undefined ? source.name : checkSourceName(input.name);
  const schedule = input.every === undefined ? source.schedule : checkSchedule(input.every);
  const brandId =
    input.brand === undefined
      ? source.brandId
      : ((await resolveBrand(deps, user.workspaceId, input.brand))?.id ?? null);
  if (name !== source.name) await assertNameFree(deps, user.workspaceId, name, source.id);
  const configChanged = !same(checkConfigQuiet(source.type, stored), config);
  const connectionTest = configChanged
    ? await connectionGate(
        deps,
        user,
        source.type,
        config,
        input.anyway === true,
        Object.keys(stored).some(isOperatorOnlyField),
      )
    : null;
  const before = { name: source.name, schedule: source.schedule, brandId: source.brandId };
  const after = { name, schedule, brandId };
  const [row] = await inTransaction(deps.db, "changing a source", async (tx) => {
    const updated = await tx
      .update(sources)
      .set({
        ...after,
        config: await sealCredentials(config, deps.env.RAPPORT_SECRET),
        // New credentials are worth trying at the next scheduled run, not after a backoff the old ones earned.
        ...(rotated.length > 0 ? { backoffUntil: null } : {}),
      })
      .where(eq(sources.id, source.id))
      .returning();
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action,
      entityType: "source",
      entityId: source.id,
      before: { ...before, config: redacted(stored) },
      after: {
        ...after,
        config: redacted(config),
        credentialsChanged: rotated,
        connectionTest: connectionTest?.verdict ?? "unchanged settings",
      },
      at: deps.now(),
    });
    return updated;
  });
  return { source: row!, rotated, connectionTest };
}

function checkConfigQuiet(type: string, config: Record<string, unknown>): Record<string, unknown> {
  try {
    return checkConfig(type, config);
  } catch {
    return config;
  }
}

/** The edit form and `PATCH /api/sources/:id`. */
export function editSource(deps: Deps, user: AuthUser, id: number, input: EditSourceInput) {
  return applyEdit(deps, user, id, input, "source.edit");
}

/**
 * New credentials for a source, nothing else: each non-blank value replaces the stored one and is sealed anew.
 * The new credentials are tested before they are stored (a failing test needs "save anyway").
 */
export async function rotateCredentials(
  deps: Deps,
  user: AuthUser,
  id: number,
  credentials: Record<string, string | undefined>,
  anyway = false,
): Promise<EditOutcome> {
  const others = Object.keys(credentials).filter((name) => !isSecretField(name) || isOperatorOnlyField(name));
  if (others.length > 0)
    throw badRequest(
      `${others.join(", ")} ${others.length === 1 ? "is not a credential" : "are not credentials"}: change settings with Edit`,
    );
  const given = Object.fromEntries(
    Object.entries(credentials).filter(([, value]) => typeof value === "string" && value.trim() !== ""),
  );
  if (Object.keys(given).length === 0)
    throw badRequest("Enter at least one new credential (blank fields keep the stored ones)");
  return applyEdit(deps, user, id, { config: given, anyway }, "source.rotate_credentials");
}

/** The edit form's starting values: the stored settings, never a credential (nor an operator's override). */
export async function editFormValues(
  deps: Deps,
  user: AuthUser,
  id: number,
): Promise<{ source: typeof sources.$inferSelect; values: Record<string, string | string[]> }> {
  const source = await sourceInWorkspace(deps, user, id);
  const values: Record<string, string | string[]> = { name: source.name, every: source.schedule };
  if (source.brandId !== null) {
    const [brand] = await deps.db
      .select({ slug: brands.slug })
      .from(brands)
      .where(and(eq(brands.id, source.brandId), eq(brands.workspaceId, user.workspaceId)));
    if (brand) values.brand = brand.slug;
  }
  for (const [name, value] of Object.entries((source.config ?? {}) as Record<string, unknown>)) {
    if (isSecretField(name) || isOperatorOnlyField(name) || value === null || value === undefined) continue;
    values[`config.${name}`] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return { source, values };
}
