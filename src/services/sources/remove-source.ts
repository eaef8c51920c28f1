// Removing a source is soft: it is never polled, pushed to or listed again, but its mentions, replies and their
// audit trail stay (they are the record of what was said and answered). The name stays taken, because those
// mentions still carry it.
import { count, eq } from "drizzle-orm";
import { inTransaction } from "../../db/atomic.js";
import { mentions, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { recordAudit } from "../audit/record-audit.js";
import { type SourceActor, sourceInWorkspace } from "./find-source.js";

/** What the confirm step tells the person before they remove a source. */
export async function removalPreview(deps: Deps, user: SourceActor, id: number) {
  const source = await sourceInWorkspace(deps, user, id);
  const [row] = await deps.db.select({ n: count() }).from(mentions).where(eq(mentions.sourceId, source.id));
  return { source, mentions: row?.n ?? 0 };
}

export async function removeSource(deps: Deps, user: SourceActor, id: number) {
  const { source, mentions: kept } = await removalPreview(deps, user, id);
  const now = deps.now();
  await inTransaction(deps.db, "removing a source", async (tx) => {
    await tx.update(sources).set({ removedAt: now, enabled: false }).where(eq(sources.id, source.id));
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      workspaceId: user.workspaceId,
      action: "source.remove",
      entityType: "source",
      entityId: source.id,
      before: { name: source.name, type: source.type, enabled: source.enabled },
      after: { removed: true, mentionsKept: kept },
      at: now,
    });
  });
  return { name: source.name, mentionsKept: kept };
}
