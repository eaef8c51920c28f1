// Internal notes on a mention: never public, visible to the team.

import { and, eq, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { atomicBatch } from "../../db/atomic.js";
import { mentions, notes, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { notFound } from "../../errors.js";
import { auditInsert } from "../audit/record-audit.js";

export async function addNote(deps: Deps, actor: AuthUser, input: { mentionId: number; body: string }) {
  assertCan(actor.role, "triage", "add notes");
  const [mention] = await deps.db
    .select({ id: mentions.id })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(eq(mentions.id, input.mentionId), eq(sources.workspaceId, actor.workspaceId)));
  if (!mention) throw notFound("Mention");
  const now = deps.now();
  // The note and its audit row in one atomic batch (src/db/atomic.ts), so notes work on D1 too; the audit row
  // names the note the batch's first statement inserted.
  const [[note]] = await atomicBatch(deps.db, [
    deps.db
      .insert(notes)
      .values({ mentionId: input.mentionId, userId: actor.id, body: input.body, createdAt: now })
      .returning({ id: notes.id }),
    auditInsert(deps.db, {
      actor: { id: actor.id, email: actor.email },
      action: "mention.note",
      entityType: "mention",
      entityId: input.mentionId,
      after: sql`json_object('noteId', last_insert_rowid(), 'body', ${input.body})`,
      at: now,
    }),
  ]);
  return { id: note!.id, body: input.body, author: actor.email, createdAt: now.toISOString() };
}
