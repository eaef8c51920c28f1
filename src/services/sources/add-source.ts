// Adds a source (dashboard form, `rapport sources add`, API). Validates the schedule and the connector's
// own configuration so a typo is caught here, not at 3 am by the scheduler.
import { and, eq } from "drizzle-orm";
import cron from "node-cron";
import { connectorFor } from "../../../connectors/index.js";
import { SOURCE_TYPES } from "../../../connectors/types.js";
import { randomToken, sha256 } from "../../auth/tokens.js";
import type { AuthUser } from "../../auth/types.js";
import { brands, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { badRequest, conflict } from "../../errors.js";
import { sealCredentials } from "../../platform/credentials.js";
import { recordAudit } from "../audit/record-audit.js";
import { connectionGate } from "./connection-gate.js";
import { assertWebSourceInput } from "./source-input-policy.js";

export interface AddSourceInput {
  workspaceId: number;
  type: string;
  name: string;
  /** Brand slug or name; defaults to the workspace's company brand. */
  brand?: string | undefined;
  every?: string | undefined;
  config: Record<string, unknown>;
  enabled?: boolean;
}

export const DEFAULT_SCHEDULE = "*/15 * * * *";

/** The name rules every entry point applies: 1–64 letters, digits, dots, dashes or underscores. */
export function checkSourceName(raw: string): string {
  const name = raw.trim();
  if (!/^[\w.-]{1,64}$/.test(name)) {
    throw badRequest(`source name "${raw}" must be 1–64 letters, digits, dots, dashes or underscores`);
  }
  return name;
}

export function checkSchedule(raw: string | undefined): string {
  const schedule = raw?.trim() || DEFAULT_SCHEDULE;
  if (!cron.validate(schedule)) {
    throw badRequest(
      `schedule "${schedule}" is not a valid cron expression (e.g. "*/15 * * * *" for every 15 minutes)`,
    );
  }
  return schedule;
}

/** The connector's own verdict on a config: its parsed form (defaults filled in) or a 400 naming the field. */
export function checkConfig(type: string, config: Record<string, unknown>): Record<string, unknown> {
  const connector = connectorFor(type);
  if (!connector) return config;
  const parsed = connector.configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(
      `invalid ${type} configuration: \`${issue?.path.join(".") || "config"}\` ${issue?.message ?? ""}`,
    );
  }
  return parsed.data as Record<string, unknown>;
}

/** A brand of the workspace by slug or name; the company brand when none is named. */
export async function resolveBrand(deps: Pick<Deps, "db">, workspaceId: number, raw: string | undefined) {
  const brandRows = await deps.db.select().from(brands).where(eq(brands.workspaceId, workspaceId));
  const wanted = raw?.trim().toLowerCase();
  const brand = wanted
    ? brandRows.find((b) => b.slug === wanted || b.name.toLowerCase() === wanted)
    : brandRows.find((b) => b.kind === "company");
  if (wanted && !brand) {
    throw badRequest(
      `no brand "${raw}": use one of ${brandRows.map((b) => b.slug).join(", ") || "(none yet)"}`,
    );
  }
  return brand ?? null;
}

/** Names stay unique per workspace, removed sources included: their mentions still carry the name. */
export async function assertNameFree(
  deps: Pick<Deps, "db">,
  workspaceId: number,
  name: string,
  exceptId?: number,
): Promise<void> {
  const existing = await deps.db
    .select({ id: sources.id, removedAt: sources.removedAt })
    .from(sources)
    .where(and(eq(sources.workspaceId, workspaceId), eq(sources.name, name)));
  const other = existing.find((row) => row.id !== exceptId);
  if (!other) return;
  throw conflict(
    other.removedAt
      ? `a removed source was named "${name}" and its mentions keep that name: choose another name`
      : `a source named "${name}" already exists`,
  );
}

export async function addSource(deps: Pick<Deps, "db" | "env">, input: AddSourceInput) {
  if (!(SOURCE_TYPES as readonly string[]).includes(input.type)) {
    throw badRequest(`unknown source type "${input.type}": use one of ${SOURCE_TYPES.join(", ")}`);
  }
  const name = checkSourceName(input.name);
  const schedule = checkSchedule(input.every);
  const config = checkConfig(input.type, input.config);
  const brand = await resolveBrand(deps, input.workspaceId, input.brand);
  await assertNameFree(deps, input.workspaceId, name);
  // Push sources authenticate `POST /api/ingest/<name>` with their own token, shown once and stored hashed.
  const ingestToken = input.type === "webhook" ? randomToken() : null;
  const [row] = await deps.db
    .insert(sources)
    .values({
      workspaceId: input.workspaceId,
      brandId: brand?.id ?? null,
      name,
      type: input.type,
      schedule,
      config: await sealCredentials(config, deps.env.RAPPORT_SECRET),
      enabled: input.enabled ?? true,
      ingestTokenHash: ingestToken ? sha256(ingestToken) : null,
    })
    .returning();
  return Object.assign(row!, { ingestToken });
}

/**
 * The dashboard's and the API's add: the web's input policy, every check of the add, then the connection test
 * (a failing one refuses the add unless the person chose "add anyway"), the add, and its audit entry.
 */
export async function addSourceFromWeb(
  deps: Deps,
  user: AuthUser,
  input: Omit<AddSourceInput, "workspaceId"> & { addAnyway?: boolean | undefined },
) {
  const { addAnyway, ...add } = input;
  assertWebSourceInput(add.type, add.config);
  checkSourceName(add.name);
  checkSchedule(add.every);
  checkConfig(add.type, add.config);
  await resolveBrand(deps, user.workspaceId, add.brand);
  await assertNameFree(deps, user.workspaceId, add.name.trim());
  const test = await connectionGate(deps, user, add.type, add.config, addAnyway === true);
  const row = await addSource(deps, { workspaceId: user.workspaceId, ...add });
  await recordAudit(deps.db, {
    actor: { id: user.id, email: user.email },
    action: "source.add",
    entityType: "source",
    entityId: row.id,
    after: {
      name: row.name,
      type: row.type,
      schedule: row.schedule,
      brandId: row.brandId,
      connectionTest: test.verdict,
    },
  });
  return Object.assign(row, { connectionTest: test });
}
