// The complaint register (managers and admins): every complaint of the workspace from every channel, filtered by
// the day it was received, channel, source, category, status and handler; as rows for the page and the API, and
// as CSV for an examiner. Near-duplicates (retweets, cross-posts) are one complaint: only a group's first post
// is listed (CFPB complaints always are). Mention text is shown unmasked only to roles that may see personal data.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { AuthUser } from "../../auth/types.js";
import { users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import {
  COMPLAINT_STATUSES,
  type ComplaintStatus,
  categoryWords,
  complaintStanding,
  NOT_COMPLAINT_CATEGORIES,
} from "../../domain/compliance/register.js";
import { assertCan, can } from "../../domain/permissions.js";
import { CATEGORIES } from "../../domain/taxonomy.js";
import { badRequest } from "../../errors.js";
import { toCsv } from "../../platform/csv.js";
import { mentionLink, publicBaseUrl } from "../../platform/links.js";

/** The day a complaint was received, one value for the filter, the order and the "Received" column: a CFPB
 * complaint's clock day (the day the CFPB sent it to the company, Eastern, as the clock job stored it; before the job
 * has run, the portal's sent-to-company or received date), else the post's UTC day. */
const RECEIVED_DAY = sql`coalesce(
  cr.received_day,
  CASE WHEN s.type = 'cfpb' THEN coalesce(
    substr(json_extract(m.meta, '$.dateSentToCompany'), 1, 10), substr(json_extract(m.meta, '$.dateReceived'), 1, 10)) END,
  strftime('%Y-%m-%d', m.created_at / 1000, 'unixepoch'))`;

/** More rows than this in one request: narrow the dates (an examiner's year fits easily). */
export const REGISTER_MAX_ROWS = 50_000;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "write the day as YYYY-MM-DD")
  .optional()
  .or(z.literal("").transform(() => undefined));

export const complaintFiltersSchema = z.object({
  from: day.describe(
    "first received day, inclusive (YYYY-MM-DD): a CFPB complaint's day the CFPB sent it to the company, else the post's day (UTC)",
  ),
  to: day.describe("last received day, inclusive (YYYY-MM-DD), the same day as `from`"),
  channel: z.string().max(40).optional().describe("source type, e.g. cfpb, x, reddit, trustpilot"),
  source: z.string().max(200).optional().describe("source name"),
  category: z
    .enum(CATEGORIES)
    .optional()
    .or(z.literal("").transform(() => undefined))
    .describe("taxonomy code"),
  status: z
    .enum(COMPLAINT_STATUSES)
    .optional()
    .or(z.literal("").transform(() => undefined))
    .describe("open, answered or resolved"),
  clock: z
    .enum(["running"])
    .optional()
    .or(z.literal("").transform(() => undefined))
    .describe(
      "running: CFPB complaints whose clock still runs (no final response, not closed on the CFPB portal), answered or not: the ones Today counts as open",
    ),
  handler: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .or(z.literal("").transform(() => undefined))
    .describe("user id"),
});
export type ComplaintFilters = z.infer<typeof complaintFiltersSchema>;

export interface ComplaintRow {
  id: number;
  /** The received day (YYYY-MM-DD) the register filters and sorts on: see RECEIVED_DAY. */
  receivedDay: string;
  /** `social`, or for a CFPB complaint `cfpb_portal` / `cfpb_reported`. */
  kind: "social" | "cfpb_portal" | "cfpb_reported";
  channel: string;
  source: string;
  category: string | null;
  categoryLabel: string;
  flags: string[];
  cfpbIssue: string | null;
  status: ComplaintStatus;
  answeredAt: Date | null;
  resolvedAt: Date | null;
  handler: { id: number; name: string } | null;
  outcome: string;
  /** Masked unless the viewer may see personal data. */
  text: string;
  link: string;
}

interface Raw {
  id: number;
  received: string;
  created_at: number;
  text: string;
  text_masked: string;
  category: string | null;
  flags: string;
  status: string;
  first_reply_at: number | null;
  status_changed_at: number | null;
  assignee_id: number | null;
  meta: string;
  source_name: string;
  source_type: string;
  origin: "portal" | "reported" | null;
  received_day: string | null;
  responded_at: number | null;
  responded_by: number | null;
  final_at: number | null;
  final_by: number | null;
  outcome: string | null;
  posted_by: number | null;
}

const date = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));
const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export async function listComplaints(
  deps: Deps,
  viewer: AuthUser,
  filters: ComplaintFilters,
  options: { masked?: boolean } = {},
): Promise<ComplaintRow[]> {
  assertCan(viewer.role, "viewComplaints", "see the complaint register");
  if (filters.from && filters.to && filters.from > filters.to)
    throw badRequest(`"from" (${filters.from}) is after "to" (${filters.to}): swap them`);
  const ws = viewer.workspaceId;
  // CFPB complaints are each their own even when their texts match (the issue stands in for a missing narrative).
  const conditions = [
    sql`s.workspace_id = ${ws}`,
    sql`(m.group_id IS NULL OR m.group_id = m.id OR cr.mention_id IS NOT NULL OR s.type = 'cfpb')`,
  ];
  if (filters.from) conditions.push(sql`${RECEIVED_DAY} >= ${filters.from}`);
  if (filters.to) conditions.push(sql`${RECEIVED_DAY} <= ${filters.to}`);
  if (filters.channel) conditions.push(sql`s.type = ${filters.channel}`);
  if (filters.source) conditions.push(sql`s.name = ${filters.source}`);
  if (filters.category) conditions.push(sql`m.category = ${filters.category}`);
  // The same set as cfpbTally's "open" (its OPEN condition), so Today's figure and this list agree.
  if (filters.clock === "running")
    conditions.push(
      sql`cr.mention_id IS NOT NULL AND cr.final_at IS NULL AND cr.outcome IS NULL AND NOT (cr.origin = 'reported' AND m.status = 'dismissed')`,
    );
  const notComplaint = sql.raw(NOT_COMPLAINT_CATEGORIES.map((c) => `'${c}'`).join(", "));
  const rows = await deps.db.all<Raw>(sql`
    SELECT m.id, ${RECEIVED_DAY} AS received, m.created_at, m.text, m.text_masked, m.category, m.flags, m.status,
           m.status_changed_at, m.assignee_id, m.meta, s.name AS source_name, s.type AS source_type,
           cr.origin, cr.received_day, cr.responded_at, cr.responded_by, cr.final_at, cr.final_by, cr.outcome,
           (SELECT r.posted_by FROM replies r WHERE r.mention_id = m.id AND r.status = 'posted'
             ORDER BY r.posted_at LIMIT 1) AS posted_by,
           (SELECT min(r.posted_at) FROM replies r WHERE r.mention_id = m.id AND r.status = 'posted') AS first_reply_at
    FROM mentions m
    JOIN sources s ON s.id = m.source_id
    LEFT JOIN complaint_responses cr ON cr.mention_id = m.id AND cr.workspace_id = ${ws}
    WHERE ${sql.join(conditions, sql` AND `)}
      AND (
        (m.relevant = 1 AND m.category IS NOT NULL AND m.category NOT IN (${notComplaint}))
        OR (cr.mention_id IS NOT NULL AND NOT (cr.origin = 'reported' AND m.status = 'dismissed'))
        OR s.type = 'cfpb'
      )
    ORDER BY received DESC, m.created_at DESC, m.id DESC
    LIMIT ${REGISTER_MAX_ROWS + 1}`);
  if (rows.length > REGISTER_MAX_ROWS)
    throw badRequest(
      `More than ${REGISTER_MAX_ROWS.toLocaleString("en-US")} complaints match: narrow the dates (from, to) and export in parts`,
    );
  const people = new Map(
    (
      await deps.db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(sql`${users.workspaceId} = ${ws}`)
    ).map((u) => [u.id, u.name || u.email]),
  );
  const seesPii = can(viewer.role, "viewPii") && !options.masked;
  const base = publicBaseUrl(deps.env);
  const result: ComplaintRow[] = [];
  for (const r of rows) {
    const meta = parseJson<Record<string, unknown>>(r.meta, {});
    // A complaint from a CFPB source is one from the start, before the clock job has written its row.
    const origin = r.origin ?? (r.source_type === "cfpb" ? "portal" : null);
    const portalResponse =
      origin === "portal" && typeof meta.companyResponse === "string" ? meta.companyResponse : null;
    const standing = complaintStanding({
      status: r.status,
      firstReplyAt: date(r.first_reply_at),
      statusChangedAt: date(r.status_changed_at),
      assigneeId: r.assignee_id,
      postedBy: r.posted_by,
      cfpb: origin
        ? {
            respondedAt: date(r.responded_at),
            respondedBy: r.responded_by,
            finalAt: date(r.final_at),
            finalBy: r.final_by,
            outcome: r.outcome,
            portalResponse,
          }
        : null,
    });
    if (filters.status && standing.status !== filters.status) continue;
    if (filters.handler && standing.handlerId !== filters.handler) continue;
    const handlerName = standing.handlerId === null ? undefined : people.get(standing.handlerId);
    result.push({
      id: r.id,
      receivedDay: r.received,
      kind: origin === "portal" ? "cfpb_portal" : origin === "reported" ? "cfpb_reported" : "social",
      channel: r.source_type,
      source: r.source_name,
      category: r.category,
      categoryLabel: categoryWords(r.category),
      flags: parseJson<string[]>(r.flags, []),
      cfpbIssue: typeof meta.issue === "string" ? meta.issue : null,
      status: standing.status,
      answeredAt: standing.answeredAt,
      resolvedAt: standing.resolvedAt,
      handler:
        standing.handlerId !== null && handlerName ? { id: standing.handlerId, name: handlerName } : null,
      outcome: standing.outcome,
      text: seesPii ? r.text : r.text_masked,
      link: mentionLink(base, r.id),
    });
  }
  return result;
}

/** The people who handled a complaint, for the handler filter. */
export async function complaintHandlers(
  deps: Deps,
  viewer: AuthUser,
): Promise<{ id: number; name: string }[]> {
  assertCan(viewer.role, "viewComplaints", "see the complaint register");
  return (
    await deps.db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role })
      .from(users)
      .where(sql`${users.workspaceId} = ${viewer.workspaceId} AND ${users.role} <> 'viewer'`)
      .orderBy(users.email)
  ).map((u) => ({ id: u.id, name: u.name || u.email }));
}

const KIND_WORDS: Record<ComplaintRow["kind"], string> = {
  social: "Public post",
  cfpb_portal: "CFPB complaint (portal)",
  cfpb_reported: "CFPB complaint (reported in a post)",
};
export const kindWords = (kind: ComplaintRow["kind"]) => KIND_WORDS[kind];

export const REGISTER_CSV_HEADER = [
  "Mention",
  "Received (day)",
  "Kind",
  "Channel",
  "Source",
  "Category",
  "Flags",
  "CFPB issue",
  "Status",
  "Answered (UTC)",
  "Resolved (UTC)",
  "Handled by",
  "Outcome",
  "Text",
  "Link",
] as const;

/** The register as CSV (csv-stringify; a cell that would run as a formula is defused by toCsv). */
export function complaintsCsv(rows: readonly ComplaintRow[]): string {
  return toCsv(
    REGISTER_CSV_HEADER,
    rows.map((r) => [
      r.id,
      r.receivedDay,
      KIND_WORDS[r.kind],
      r.channel,
      r.source,
      r.categoryLabel,
      r.flags.join(" "),
      r.cfpbIssue,
      r.status,
      r.answeredAt?.toISOString() ?? "",
      r.resolvedAt?.toISOString() ?? "",
      r.handler?.name ?? "",
      r.outcome,
      r.text,
      r.link,
    ]),
  );
}

/** The channels (source types) and sources of the workspace, for the register's filters. */
export async function registerSources(
  deps: Deps,
  viewer: AuthUser,
): Promise<{ channels: string[]; sources: string[] }> {
  assertCan(viewer.role, "viewComplaints", "see the complaint register");
  const rows = await deps.db.all<{ type: string; name: string }>(
    sql`SELECT type, name FROM sources WHERE workspace_id = ${viewer.workspaceId} ORDER BY name`,
  );
  return { channels: [...new Set(rows.map((r) => r.type))].sort(), sources: rows.map((r) => r.name) };
}
