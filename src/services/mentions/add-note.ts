// Internal notes on a mention: never public, visible to the team.

import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { mentions, notes, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { notFound } from "../../errors.js";
import { recordAudit } from "../audit/record-audit.js";

export async function addNote(deps: Deps, actor: AuthUser, input: { mentionId: number; body: string }) {
  assertCan(actor.role, "triage", "add notes");
  return inTransaction(deps.db, "adding a note", async (tx) => {
    const [mention] = await tx
      .select({ id: mentions.id })
      .from(mentions)
      .innerJoin(sources, eq(sources.id, mentions.sourceId))
      .where(and(eq(mentions.id, input.mentionId), eq(sources.workspaceId, actor.workspaceId)));
    if (!mention) throw notFound("Mention");
    const now = deps.now();
    const [note] = await tx
      .insert(notes)
      .values({ mentionId: input.mentionId, userId: actor.id, body: input.body, createdAt: now })
      .returning({ id: notes.id });
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "mention.note",
      entityType: "mention",
      entityId: input.mentionId,
      after: { noteId: note!.id, body: input.body },
      at: now,
    });
    return { id: note!.id, body: input.body, author: actor.email, createdAt: now.toISOString() };
  });
}
