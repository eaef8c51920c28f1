// Spike sensitivity per brand (fewer / balanced / more, each a set of detector thresholds in
// src/domain/spikes/detect.ts). A brand without its own follows the workspace's setting.
import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { brands } from "../../db/schema/index.js";
import type { WorkspaceSettings } from "../../db/schema/workspaces.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import type { Sensitivity } from "../../domain/spikes/detect.js";
import { notFound } from "../../errors.js";
import { recordAudit } from "../audit/record-audit.js";

export function effectiveSensitivity(
  brand: { spikeSensitivity: Sensitivity | null },
  workspace: WorkspaceSettings,
): Sensitivity {
  return brand.spikeSensitivity ?? workspace.spikeSensitivity ?? "balanced";
}

/** Sets a brand's own sensitivity; null goes back to the workspace's. */
export async function setBrandSensitivity(
  deps: Deps,
  user: AuthUser,
  brandId: number,
  sensitivity: Sensitivity | null,
): Promise<void> {
  assertCan(user.role, "manageAlerts", "change spike sensitivity");
  await inTransaction(deps.db, "changing spike sensitivity", async (tx) => {
    const [brand] = await tx
      .select({ id: brands.id, spikeSensitivity: brands.spikeSensitivity })
      .from(brands)
      .where(and(eq(brands.id, brandId), eq(brands.workspaceId, user.workspaceId)));
    if (!brand) throw notFound("Brand");
    await tx.update(brands).set({ spikeSensitivity: sensitivity }).where(eq(brands.id, brand.id));
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "alerts.brand_spike_sensitivity",
      entityType: "brand",
      entityId: brand.id,
      before: { spikeSensitivity: brand.spikeSensitivity },
      after: { spikeSensitivity: sensitivity },
      at: deps.now(),
    });
  });
}

/** Each brand's own sensitivity (null: follows the workspace's), for the alerts page. */
export async function brandSensitivities(
  deps: Deps,
  user: AuthUser,
): Promise<Map<number, Sensitivity | null>> {
  const rows = await deps.db
    .select({ id: brands.id, spikeSensitivity: brands.spikeSensitivity })
    .from(brands)
    .where(eq(brands.workspaceId, user.workspaceId));
  return new Map(rows.map((r) => [r.id, r.spikeSensitivity]));
}
