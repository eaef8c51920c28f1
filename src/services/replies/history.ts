// A mention's replies with every lint run, oldest first: the Evidence list of the Reply panel and the API.
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { replies, replyLints, users } from "../../db/schema/index.js";
import type { ReplyRow } from "./transition.js";

export interface ReplyHistoryItem extends ReplyRow {
  authorEmail: string | null;
  approverEmail: string | null;
  lints: {
    id: number;
    userId: number | null;
    text: string;
    ok: boolean;
    violations: unknown;
    warnings: unknown;
    createdAt: Date;
  }[];
}

export async function repliesForMention(db: Db, mentionId: number): Promise<ReplyHistoryItem[]> {
  const rows = await db
    .select()
    .from(replies)
    .where(eq(replies.mentionId, mentionId))
    .orderBy(asc(replies.id));
  if (rows.length === 0) return [];
  const people = await db.select({ id: users.id, email: users.email }).from(users);
  const email = new Map(people.map((p) => [p.id, p.email]));
  const lints = await db
    .select()
    .from(replyLints)
    .where(
      inArray(
        replyLints.replyId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(replyLints.id));
  return rows.map((r) => ({
    ...r,
    authorEmail: email.get(r.authorId) ?? null,
    approverEmail: r.approvedBy ? (email.get(r.approvedBy) ?? null) : null,
    lints: lints
      .filter((l) => l.replyId === r.id)
      .map((l) => ({
        id: l.id,
        userId: l.userId,
        text: l.text,
        ok: l.ok,
        violations: l.violations,
        warnings: l.warnings,
        createdAt: l.createdAt,
      })),
  }));
}
