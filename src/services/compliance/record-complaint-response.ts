// A person records that a CFPB complaint's company response or final response went out (in the CFPB's company
// portal, outside Rapport): who, on which day, and for the final response the outcome. The clock stops counting
// that deadline; the record and its audit row commit together (on libSQL and D1 alike).
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { atomicBatch } from "../../db/atomic.js";
import { complaintResponses } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import {
  CFPB_OUTCOMES,
  CFPB_TIME_ZONE,
  type CfpbOutcome,
  calendarDay,
} from "../../domain/compliance/cfpb-clock.js";
import { assertCan } from "../../domain/permissions.js";
import { badRequest, conflict } from "../../errors.js";
import { ensureCfpbRow } from "./cfpb-complaint-of.js";

export interface ComplaintResponseInput {
  step: "response" | "final";
  /** The Eastern calendar day it went out (YYYY-MM-DD); today when omitted. */
  on?: string | undefined;
  /** Required for the final response: the portal's wording. */
  outcome?: CfpbOutcome | undefined;
}

/** A day's instant: noon in New York, which is the same Eastern day in summer and winter time. */
const noonEastern = (day: string) => new Date(`${day}T17:00:00Z`);

export async function recordComplaintResponse(
  deps: Deps,
  actor: AuthUser,
  mentionId: number,
  input: ComplaintResponseInput,
) {
  assertCan(actor.role, "recordComplaintResponse", "record a CFPB complaint's response");
  const now = deps.now();
  const today = calendarDay(now, CFPB_TIME_ZONE);
  if (input.on !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(input.on))
    throw badRequest(`"${input.on}" is not a day: write it as YYYY-MM-DD, e.g. ${today}`);
  if (input.on !== undefined && input.on > today)
    throw badRequest(`The response cannot have gone out on ${input.on}, after today (${today}, US Eastern)`);
  if (input.step === "final" && !input.outcome)
    throw badRequest(
      `Choose the final response's outcome as the CFPB portal words it: ${CFPB_OUTCOMES.join(", ")}`,
    );
  const at = input.on === undefined || input.on === today ? now : noonEastern(input.on);

  if (!(await ensureCfpbRow(deps.db, actor.workspaceId, mentionId, now)))
    throw badRequest(
      "This mention is not a CFPB complaint: only complaints from a CFPB source, or posts flagged regulator that name the CFPB, have a response clock",
    );
  const where = and(
    eq(complaintResponses.mentionId, mentionId),
    eq(complaintResponses.workspaceId, actor.workspaceId),
  );
  const [row] = await deps.db.select().from(complaintResponses).where(where);
  if (!row) throw conflict("The complaint was removed meanwhile");
  if (input.on !== undefined && input.on < row.receivedDay)
    throw badRequest(`The response cannot predate the complaint: it was received on ${row.receivedDay}`);
  if (input.step === "response" && row.respondedAt)
    throw conflict("The company response is already recorded for this complaint");
  if (input.step === "final" && row.finalAt)
    throw conflict("The final response is already recorded for this complaint");
  const set =
    input.step === "response"
      ? { respondedAt: at, respondedBy: actor.id, updatedAt: now }
      : {
          finalAt: at,
          finalBy: actor.id,
          outcome: input.outcome!,
          // A final response given first is also the company's response.
          ...(row.respondedAt ? {} : { respondedAt: at, respondedBy: actor.id }),
          updatedAt: now,
        };
  const stillPending =
    input.step === "response" ? isNull(complaintResponses.respondedAt) : isNull(complaintResponses.finalAt);
  const recordedBy = input.step === "response" ? sql.raw("responded_by") : sql.raw("final_by");
  const after = JSON.stringify({
    on: calendarDay(at, CFPB_TIME_ZONE),
    ...(input.step === "final" ? { outcome: input.outcome } : {}),
  });
  // One atomic batch (src/db/atomic.ts), so it works on D1 too: the update applies only if nobody recorded it
  // since the check above, and the audit row is written only if this update is the one that applied.
  const [updated] = await atomicBatch(deps.db, [
    deps.db.update(complaintResponses).set(set).where(and(where, stillPending)).returning(),
    deps.db.run(sql`INSERT INTO audit_log (workspace_id, actor_id, actor_email, action, entity_type, entity_id, after, at)
      SELECT ${actor.workspaceId}, ${actor.id}, ${actor.email},
             ${input.step === "response" ? "complaint.company_response" : "complaint.final_response"},
             'mention', ${String(mentionId)}, ${after}, ${now.getTime()}
      WHERE EXISTS (SELECT 1 FROM complaint_responses WHERE mention_id = ${mentionId}
                    AND updated_at = ${now.getTime()} AND ${recordedBy} = ${actor.id})`),
  ]);
  if (!updated[0]) throw conflict("Someone recorded it meanwhile: reload the page to see who");
  return updated[0];
}
