// A reply's progress shows on its mention too (drafting → awaiting_approval → approved → posted): the queue and
// the SLA clock read the mention. Always called inside the transaction that moves the reply.
import { eq } from "drizzle-orm";
import { mentions } from "../../db/schema/index.js";
import type { MentionStatus } from "../../domain/taxonomy.js";
import { type AuditActor, type DbOrTx, recordAudit } from "../audit/record-audit.js";

export async function moveMention(
  db: DbOrTx,
  actor: AuditActor,
  mention: { id: number },
  to: MentionStatus,
  now: Date,
  extra: { firstResponseAt?: Date } = {},
): Promise<void> {
  const [current] = await db
    .select({ status: mentions.status, firstResponseAt: mentions.firstResponseAt })
    .from(mentions)
    .where(eq(mentions.id, mention.id));
  if (!current) return;
  const set: Partial<typeof mentions.$inferInsert> = {};
  if (current.status !== to) Object.assign(set, { status: to, statusChangedAt: now });
  if (extra.firstResponseAt && !current.firstResponseAt) set.firstResponseAt = extra.firstResponseAt;
  if (Object.keys(set).length === 0) return;
  await db.update(mentions).set(set).where(eq(mentions.id, mention.id));
  if (current.status !== to) {
    await recordAudit(db, {
      actor,
      action: "mention.status",
      entityType: "mention",
      entityId: mention.id,
      before: { status: current.status },
      after: { status: to },
      at: now,
    });
  }
}
