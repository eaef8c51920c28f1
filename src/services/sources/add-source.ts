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

export async function addSource(deps: Pick<Deps, "db" | "env">, input: AddSourceInput) {
  if (!(SOURCE_TYPES as readonly string[]).includes(input.type)) {
    throw badRequest(`unknown source type "${input.type}": use one of ${SOURCE_TYPES.join(", ")}`);
  }
  const name = input.name.trim();
  if (!/^[\w.-]{1,64}$/.test(name)) {
    throw badRequest(`source name "${input.name}" must be 1–64 letters, digits, dots, dashes or underscores`);
  }
  const schedule = input.every?.trim() || DEFAULT_SCHEDULE;
  if (!cron.validate(schedule)) {
    throw badRequest(
      `schedule "${schedule}" is not a valid cron expression (e.g. "*/15 * * * *" for every 15 minutes)`,
    );
  }
  const connector = connectorFor(input.type);
  let config = input.config;
  if (connector) {
    const parsed = connector.configSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest(
        `invalid ${input.type} configuration: \`${issue?.path.join(".") || "config"}\` ${issue?.message ?? ""}`,
      );
    }
    config = parsed.data as Record<string, unknown>;
  }
  const brandRows = await deps.db.select().from(brands).where(eq(brands.workspaceId, input.workspaceId));
  const wanted = input.brand?.trim().toLowerCase();
  const brand = wanted
    ? brandRows.find((b) => b.slug === wanted || b.name.toLowerCase() === wanted)
    : brandRows.find((b) => b.kind === "company");
  if (wanted && !brand) {
    throw badRequest(
      `no brand "${input.brand}": use one of ${brandRows.map((b) => b.slug).join(", ") || "(none yet)"}`,
    );
  }
  const existing = await deps.db
    .select({ id: sources.id })
    .from(sources)
    .where(and(eq(sources.workspaceId, input.workspaceId), eq(sources.name, name)));
  if (existing.length > 0) throw conflict(`a source named "${name}" already exists`);
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

/** The dashboard's and the API's add: the web's input policy first, then the add, then its audit entry. */
export async function addSourceFromWeb(
  deps: Pick<Deps, "db" | "env">,
  user: AuthUser,
  input: Omit<AddSourceInput, "workspaceId">,
) {
  assertWebSourceInput(input.type, input.config);
  const row = await addSource(deps, { workspaceId: user.workspaceId, ...input });
  await recordAudit(deps.db, {
    actor: { id: user.id, email: user.email },
    action: "source.add",
    entityType: "source",
    entityId: row.id,
    after: { name: row.name, type: row.type, schedule: row.schedule, brandId: row.brandId },
  });
  return row;
}
