// Per-key mute and snooze for spike alerts. A muted key's spikes are still detected and listed on /alerts (the
// record stays whole, and the digest still counts them); only the Slack message is held back. A mute of a brand
// key (`brand:<id>`) covers that brand's category×source keys too: "mute Acme" means all of Acme.
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import { brands, spikeMutes } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { parseCountKey } from "../../domain/spikes/keys.js";
import { badRequest, notFound } from "../../errors.js";
import { recordAudit } from "../audit/record-audit.js";

export interface SpikeMute {
  key: string;
  /** null: muted until someone unmutes it. */
  until: Date | null;
}

const actor = (user: AuthUser) => ({ id: user.id, email: user.email });

/** The mute that silences `key` at `now`, if any (the key's own, or its brand's). */
export function muteCovering(mutes: SpikeMute[], key: string, now: Date): SpikeMute | null {
  const brandKey = key.split("|")[0];
  return (
    mutes.find(
      (m) => (m.key === key || m.key === brandKey) && (m.until === null || m.until.getTime() > now.getTime()),
    ) ?? null
  );
}

/** Active mutes per workspace, for the hourly job. */
export async function activeMutesByWorkspace(db: Db, now: Date): Promise<Map<number, SpikeMute[]>> {
  const rows = await db
    .select({ workspaceId: spikeMutes.workspaceId, key: spikeMutes.key, until: spikeMutes.until })
    .from(spikeMutes)
    .where(or(isNull(spikeMutes.until), gt(spikeMutes.until, now)));
  const out = new Map<number, SpikeMute[]>();
  for (const row of rows) {
    const list = out.get(row.workspaceId) ?? [];
    list.push({ key: row.key, until: row.until });
    out.set(row.workspaceId, list);
  }
  return out;
}

/** The key must name a brand of the user's workspace: a mute cannot reach another tenant's alerts. */
async function checkKey(deps: Deps, user: AuthUser, key: string): Promise<void> {
  const parsed = parseCountKey(key);
  if (!parsed)
    throw badRequest(`"${key}" is not a spike key (brand:<id> or brand:<id>|cat:<category>|src:<source id>)`);
  const [brand] = await deps.db
    .select({ id: brands.id })
    .from(brands)
    .where(and(eq(brands.id, parsed.brandId), eq(brands.workspaceId, user.workspaceId)));
  if (!brand) throw notFound("Brand");
}

/** Mutes `key` until `until` (a snooze), or until unmuted when `until` is null. Replaces an earlier mute. */
export async function muteSpikeKey(
  deps: Deps,
  user: AuthUser,
  key: string,
  until: Date | null,
): Promise<void> {
  assertCan(user.role, "manageAlerts", "mute spike alerts");
  await checkKey(deps, user, key);
  const now = deps.now();
  if (until && until.getTime() <= now.getTime()) throw badRequest("A snooze must end in the future");
  await inTransaction(deps.db, "muting a spike alert", async (tx) => {
    const [before] = await tx
      .select()
      .from(spikeMutes)
      .where(and(eq(spikeMutes.workspaceId, user.workspaceId), eq(spikeMutes.key, key)));
    await tx
      .insert(spikeMutes)
      .values({ workspaceId: user.workspaceId, key, until, createdBy: user.id, createdAt: now })
      .onConflictDoUpdate({
        target: [spikeMutes.workspaceId, spikeMutes.key],
        set: { until, createdBy: user.id, createdAt: now },
      });
    await recordAudit(tx, {
      actor: actor(user),
      action: until ? "alerts.spike_snooze" : "alerts.spike_mute",
      entityType: "spike_key",
      entityId: key,
      before: before ? { until: before.until?.toISOString() ?? null } : null,
      after: { until: until?.toISOString() ?? null },
      at: now,
    });
  });
}

export async function unmuteSpikeKey(deps: Deps, user: AuthUser, key: string): Promise<void> {
  assertCan(user.role, "manageAlerts", "unmute spike alerts");
  await inTransaction(deps.db, "unmuting a spike alert", async (tx) => {
    const [before] = await tx
      .delete(spikeMutes)
      .where(and(eq(spikeMutes.workspaceId, user.workspaceId), eq(spikeMutes.key, key)))
      .returning();
    if (!before) throw notFound("Mute");
    await recordAudit(tx, {
      actor: actor(user),
      action: "alerts.spike_unmute",
      entityType: "spike_key",
      entityId: key,
      before: { until: before.until?.toISOString() ?? null },
      at: deps.now(),
    });
  });
}

/** The workspace's mutes and snoozes still in force. */
export async function listSpikeMutes(deps: Deps, user: AuthUser): Promise<SpikeMute[]> {
  return (await activeMutesByWorkspace(deps.db, deps.now())).get(user.workspaceId) ?? [];
}
