// One mention's CFPB complaint, for its page and for recording its answers: the clock row when the cfpb-clock job
// has written it, else the same clock worked out from the mention itself (a complaint polled a minute ago).
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { complaintResponses, mentions, sources } from "../../db/schema/index.js";
import { cfpbClock } from "../../domain/compliance/cfpb-clock.js";
import { notFound } from "../../errors.js";
import type { DbOrTx } from "../audit/record-audit.js";
import {
  type CfpbComplaint,
  cfpbOriginOf,
  loadCfpbComplaints,
  newClockRow,
  receivedDayOfMention,
} from "./cfpb-complaints.js";

async function mentionFacts(db: Pick<Db, "select">, workspaceId: number, mentionId: number) {
  const [m] = await db
    .select({
      id: mentions.id,
      text: mentions.text,
      textMasked: mentions.textMasked,
      flags: mentions.flags,
      status: mentions.status,
      meta: mentions.meta,
      raw: mentions.raw,
      createdAt: mentions.createdAt,
      sourceType: sources.type,
      sourceName: sources.name,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(eq(mentions.id, mentionId), eq(sources.workspaceId, workspaceId)));
  return m ?? null;
}

/** The mention's CFPB complaint with its clock, or null when the mention is not one. */
export async function cfpbComplaintOf(
  db: Db,
  workspaceId: number,
  mentionId: number,
  now: Date,
): Promise<CfpbComplaint | null> {
  const [stored] = await loadCfpbComplaints(db, workspaceId, now, { mentionIds: [mentionId] });
  if (stored) return stored;
  const m = await mentionFacts(db, workspaceId, mentionId);
  if (!m) return null;
  const origin = cfpbOriginOf(m);
  if (!origin) return null;
  const receivedDay = receivedDayOfMention(origin, m);
  const portalResponse =
    origin === "portal" && typeof m.meta?.companyResponse === "string" ? m.meta.companyResponse : null;
  return {
    mentionId: m.id,
    workspaceId,
    origin,
    receivedDay,
    respondedAt: null,
    respondedBy: null,
    finalAt: null,
    finalBy: null,
    outcome: null,
    portalResponse,
    issue: typeof m.meta?.issue === "string" ? m.meta.issue : null,
    storedAt: now,
    status: m.status,
    textMasked: m.textMasked,
    sourceName: m.sourceName,
    clock: cfpbClock({ origin, receivedDay, respondedAt: null, finalAt: null, portalResponse }, now),
  };
}

/**
 * Makes sure the mention has its clock row (inside the caller's transaction), and says whether it is a CFPB
 * complaint at all: a record of a response on any other mention is refused by the caller.
 */
export async function ensureCfpbRow(
  tx: DbOrTx,
  workspaceId: number,
  mentionId: number,
  now: Date,
): Promise<boolean> {
  const [existing] = await tx
    .select({ id: complaintResponses.mentionId })
    .from(complaintResponses)
    .where(and(eq(complaintResponses.mentionId, mentionId), eq(complaintResponses.workspaceId, workspaceId)));
  if (existing) return true;
  const m = await mentionFacts(tx, workspaceId, mentionId);
  if (!m) throw notFound("Mention");
  const origin = cfpbOriginOf(m);
  if (!origin) return false;
  await tx
    .insert(complaintResponses)
    .values(newClockRow({ ...m, id: mentionId, workspaceId }, origin, now))
    .onConflictDoNothing({ target: complaintResponses.mentionId });
  return true;
}
