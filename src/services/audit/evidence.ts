// Evidence bundles for an examiner: for each mention that got a public reply (or a draft of one), the mention as
// stored, every reply with each lint verdict, and every audit entry about them with its place in the hash chain
// (who drafted, submitted, approved or sent back and why, who posted, where). `rapport audit export`.
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { mentions, replies, replyLints, sources, users } from "../../db/schema/index.js";
import { auditEntriesFor } from "./audit-chain.js";

export interface EvidenceQuery {
  workspaceId: number;
  /** Replies created at or after. */
  from?: Date;
  /** Replies created before. */
  to?: Date;
  mentionId?: number;
}

export async function evidenceBundles(db: Db, query: EvidenceQuery) {
  const conditions = [eq(sources.workspaceId, query.workspaceId)];
  if (query.mentionId !== undefined) conditions.push(eq(replies.mentionId, query.mentionId));
  if (query.from) conditions.push(gte(replies.createdAt, query.from));
  if (query.to) conditions.push(lt(replies.createdAt, query.to));
  const mentionIds = [
    ...new Set(
      (
        await db
          .select({ mentionId: replies.mentionId })
          .from(replies)
          .innerJoin(mentions, eq(mentions.id, replies.mentionId))
          .innerJoin(sources, eq(sources.id, mentions.sourceId))
          .where(and(...conditions))
          .orderBy(asc(replies.mentionId))
      ).map((r) => r.mentionId),
    ),
  ];
  if (mentionIds.length === 0) return [];
  const mentionRows = await db
    .select({
      id: mentions.id,
      source: sources.name,
      sourceType: sources.type,
      url: mentions.url,
      author: mentions.authorHandle,
      postedAt: mentions.createdAt,
      storedAt: mentions.fetchedAt,
      text: mentions.textMasked,
      category: mentions.category,
      severity: mentions.severity,
      flags: mentions.flags,
      status: mentions.status,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(inArray(mentions.id, mentionIds))
    .orderBy(asc(mentions.id));
  const replyRows = await db
    .select()
    .from(replies)
    .where(inArray(replies.mentionId, mentionIds))
    .orderBy(asc(replies.id));
  const lintRows = replyRows.length
    ? await db
        .select()
        .from(replyLints)
        .where(
          inArray(
            replyLints.replyId,
            replyRows.map((r) => r.id),
          ),
        )
        .orderBy(asc(replyLints.id))
    : [];
  const people = new Map(
    (
      await db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(eq(users.workspaceId, query.workspaceId))
    ).map((u) => [u.id, u.email]),
  );
  const person = (id: number | null) => (id === null ? null : (people.get(id) ?? `user ${id}`));
  const bundles = [];
  for (const mention of mentionRows) {
    const ownReplies = replyRows.filter((r) => r.mentionId === mention.id);
    const audit = await auditEntriesFor(db, query.workspaceId, [
      { entityType: "mention", entityIds: [String(mention.id)] },
      { entityType: "reply", entityIds: ownReplies.map((r) => String(r.id)) },
    ]);
    bundles.push({
      mention,
      replies: ownReplies.map((r) => ({
        id: r.id,
        origin: r.origin,
        status: r.status,
        text: r.text,
        author: person(r.authorId),
        createdAt: r.createdAt,
        approvedBy: person(r.approvedBy),
        approvedAt: r.approvedAt,
        postedBy: person(r.postedBy),
        postedAt: r.postedAt,
        postedText: r.postedText,
        postedVia: r.postedVia,
        postedExternalId: r.postedExternalId,
        postedUrl: r.postedUrl,
        lintRuns: lintRows
          .filter((l) => l.replyId === r.id)
          .map((l) => ({
            at: l.createdAt,
            by: person(l.userId),
            text: l.text,
            ok: l.ok,
            violations: l.violations,
            warnings: l.warnings,
          })),
      })),
      audit: audit.map((a) => ({
        id: a.id,
        at: a.at,
        actor: a.actorEmail,
        action: a.action,
        entity: `${a.entityType} ${a.entityId ?? ""}`.trim(),
        before: a.before,
        after: a.after,
        hash: a.hash,
        prevHash: a.prevHash,
      })),
    });
  }
  return bundles;
}

export type EvidenceBundle = Awaited<ReturnType<typeof evidenceBundles>>[number];

/** The API's query for evidence bundles (GET /api/audit/evidence). */
export const evidenceQuerySchema = z.object({
  from: z.coerce.date().optional().describe("replies created on or after (YYYY-MM-DD)"),
  to: z.coerce.date().optional().describe("replies created before (YYYY-MM-DD)"),
  mention: z.coerce.number().int().positive().optional().describe("one mention's bundle"),
  format: z.enum(["json", "html"]).optional(),
});
