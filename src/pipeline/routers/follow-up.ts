// The follow-up watch: once we answered someone in public, their later mentions (same keyed author identity)
// attach to the case, and we record whether their tone recovered. Runs in the store transaction.
import { and, desc, eq, inArray, isNotNull, lt } from "drizzle-orm";
import { cases, mentions } from "../../db/schema/index.js";
import type { Router } from "../route.js";

/** Recovered: the latest tone is neutral or better, or it rose by at least half a point since we answered. */
export function toneRecovered(initial: number | null, latest: number | null): boolean | null {
  if (latest === null) return null;
  if (latest >= 0) return true;
  if (initial === null) return false;
  return latest - initial >= 0.5 - 1e-9; // sentiments are decimals: -0.7 → -0.2 must count as +0.5
}

export const followUpRouter: Router = async (tx, stored) => {
  const byAuthor = new Map<string, typeof stored>();
  for (const item of stored) {
    const key = item.prepared.authorKey;
    if (!key) continue;
    byAuthor.set(key, [...(byAuthor.get(key) ?? []), item]);
  }
  if (byAuthor.size === 0) return;
  // On D1 routers may run again for a page after a crash: a mention already in a case is not counted twice.
  const already = await tx
    .select({ id: mentions.id })
    .from(mentions)
    .where(
      and(
        inArray(
          mentions.id,
          [...byAuthor.values()].flat().map((s) => s.id),
        ),
        isNotNull(mentions.caseId),
      ),
    );
  const attached = new Set(already.map((row) => row.id));
  const open = await tx
    .select()
    .from(cases)
    .where(inArray(cases.authorKey, [...byAuthor.keys()]))
    .orderBy(desc(cases.openedAt), desc(cases.id));
  for (const [authorKey, items] of byAuthor) {
    const ordered = [...items].sort(
      (a, b) => a.prepared.mention.createdAt.getTime() - b.prepared.mention.createdAt.getTime(),
    );
    for (const item of ordered) {
      if (attached.has(item.id)) continue;
      const createdAt = item.prepared.mention.createdAt;
      // The most recent case opened before this mention was written: a post from before our reply is no follow-up.
      const found = open.find(
        (c) =>
          c.authorKey === authorKey &&
          c.openedAt.getTime() <= createdAt.getTime() &&
          c.rootMentionId !== item.id,
      );
      if (!found) continue;
      const sentiment = item.prepared.classification?.sentiment ?? null;
      const latest = sentiment ?? found.latestSentiment;
      const recovered = toneRecovered(found.initialSentiment, latest);
      await tx.update(mentions).set({ caseId: found.id }).where(eq(mentions.id, item.id));
      await tx
        .update(cases)
        .set({ followUps: found.followUps + 1, latestSentiment: latest, recovered })
        .where(eq(cases.id, found.id));
      Object.assign(found, { followUps: found.followUps + 1, latestSentiment: latest, recovered });
    }
  }
};

/** For reports: of the answered authors who wrote again, how many recovered (the digest's recovery rate). */
export async function recoveryRate(
  db: Parameters<Router>[0],
  since: Date,
  until: Date,
): Promise<{ followedUp: number; recovered: number; rate: number | null }> {
  const rows = await db
    .select({ recovered: cases.recovered, followUps: cases.followUps, openedAt: cases.openedAt })
    .from(cases)
    .where(and(lt(cases.openedAt, until)));
  const inWindow = rows.filter((r) => r.openedAt >= since && r.followUps > 0);
  const recovered = inWindow.filter((r) => r.recovered).length;
  return {
    followedUp: inWindow.length,
    recovered,
    rate: inWindow.length ? recovered / inWindow.length : null,
  };
}
