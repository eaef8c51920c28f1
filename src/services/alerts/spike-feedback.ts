// "Was this alert useful?": one yes/no per person per spike, stored with who and when, in the spike's workspace.
// The counts per week feed the digest (spikeFeedbackCounts) and tell whoever tunes the sensitivity whether the
// alerts earn their place in the channel.
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { atomicBatch } from "../../db/atomic.js";
import { brands, spikeFeedback, spikes } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { notFound } from "../../errors.js";
import { auditInsert } from "../audit/record-audit.js";

export interface FeedbackCounts {
  useful: number;
  notUseful: number;
}

/** Records (or changes) the user's answer for a spike of their workspace. */
export async function recordSpikeFeedback(
  deps: Deps,
  user: AuthUser,
  spikeId: number,
  useful: boolean,
): Promise<void> {
  assertCan(user.role, "manageAlerts", "rate spike alerts");
  const [spike] = await deps.db
    .select({ id: spikes.id })
    .from(spikes)
    .innerJoin(brands, eq(brands.id, spikes.brandId))
    .where(and(eq(spikes.id, spikeId), eq(brands.workspaceId, user.workspaceId)));
  if (!spike) throw notFound("Spike");
  const now = deps.now();
  // The answer and its audit row in one atomic batch (src/db/atomic.ts): works on D1 too.
  await atomicBatch(deps.db, [
    deps.db
      .insert(spikeFeedback)
      .values({ workspaceId: user.workspaceId, spikeId, userId: user.id, useful, answeredAt: now })
      .onConflictDoUpdate({
        target: [spikeFeedback.spikeId, spikeFeedback.userId],
        set: { useful, answeredAt: now },
      }),
    auditInsert(deps.db, {
      actor: { id: user.id, email: user.email },
      action: "alerts.spike_feedback",
      entityType: "spike",
      entityId: spikeId,
      after: { useful },
      at: now,
    }),
  ]);
}

/** Answers given in [from, until) in one workspace: for the weekly digest. */
export async function spikeFeedbackCounts(
  deps: Pick<Deps, "db">,
  workspaceId: number,
  from: Date,
  until: Date,
): Promise<FeedbackCounts> {
  const [row] = await deps.db
    .select({
      useful: sql<number>`coalesce(sum(case when ${spikeFeedback.useful} = 1 then 1 else 0 end), 0)`,
      notUseful: sql<number>`coalesce(sum(case when ${spikeFeedback.useful} = 0 then 1 else 0 end), 0)`,
    })
    .from(spikeFeedback)
    .where(
      and(
        eq(spikeFeedback.workspaceId, workspaceId),
        gte(spikeFeedback.answeredAt, from),
        lt(spikeFeedback.answeredAt, until),
      ),
    );
  return { useful: Number(row?.useful ?? 0), notUseful: Number(row?.notUseful ?? 0) };
}

/** Per spike: the counts so far and the viewer's own answer (null if none), for the alerts page. */
export async function feedbackForSpikes(
  deps: Deps,
  user: AuthUser,
  spikeIds: number[],
): Promise<Map<number, FeedbackCounts & { mine: boolean | null }>> {
  const out = new Map<number, FeedbackCounts & { mine: boolean | null }>();
  if (spikeIds.length === 0) return out;
  const rows = await deps.db
    .select({ spikeId: spikeFeedback.spikeId, userId: spikeFeedback.userId, useful: spikeFeedback.useful })
    .from(spikeFeedback)
    .where(and(eq(spikeFeedback.workspaceId, user.workspaceId), inArray(spikeFeedback.spikeId, spikeIds)));
  for (const row of rows) {
    const entry = out.get(row.spikeId) ?? { useful: 0, notUseful: 0, mine: null };
    if (row.useful) entry.useful++;
    else entry.notUseful++;
    if (row.userId === user.id) entry.mine = row.useful;
    out.set(row.spikeId, entry);
  }
  return out;
}
