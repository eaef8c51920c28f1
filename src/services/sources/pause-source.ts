// Pausing a source stops its polls (the scheduler, the Worker's cron and `rapport poll` take enabled sources
// only) and refuses pushes to it; its mentions stay. Resuming lets the next scheduled run go ahead.
import { eq } from "drizzle-orm";
import { inTransaction } from "../../db/atomic.js";
import { sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { recordAudit } from "../audit/record-audit.js";
import { type SourceActor, sourceInWorkspace } from "./find-source.js";

export async function setSourcePaused(deps: Deps, user: SourceActor, id: number, paused: boolean) {
  const source = await sourceInWorkspace(deps, user, id);
  if (source.enabled === !paused) return { source, changed: false };
  const [row] = await inTransaction(deps.db, "pausing or resuming a source", async (tx) => {
    const updated = await tx
      .update(sources)
      // A resumed source starts afresh: a backoff earned before the pause would only delay it further.
      .set(paused ? { enabled: false } : { enabled: true, backoffUntil: null })
      .where(eq(sources.id, source.id))
      .returning();
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      workspaceId: user.workspaceId,
      action: paused ? "source.pause" : "source.resume",
      entityType: "source",
      entityId: source.id,
      before: { enabled: source.enabled },
      after: { enabled: !paused, name: source.name },
      at: deps.now(),
    });
    return updated;
  });
  return { source: row!, changed: true };
}
