// CFPB complaints and their response clocks. A complaint is a mention from a CFPB source (`portal`) or a post
// flagged `regulator` that names the CFPB (`reported`, src/domain/compliance/cfpb-clock.ts). The cfpb-clock job
// (syncCfpbComplaints) gives each one a row in complaint_responses with the day its clock started; Today, the
// digest, the register and the reminders read those rows, and a person's records of the answers go on them.
// Every query names its workspace.
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { complaintResponses, mentionBrands, mentions, sources, users } from "../../db/schema/index.js";
import {
  CFPB_PHRASES,
  type CfpbClock,
  type CfpbOrigin,
  type CfpbTally,
  cfpbClock,
  cfpbClockWords,
  portalClosed,
  receivedDayOf,
  reportsCfpbComplaint,
  tallyCfpb,
} from "../../domain/compliance/cfpb-clock.js";

/** A post reporting a CFPB complaint is found by the job within this many days of being posted (or corrected). */
const REPORTED_LOOKBACK_DAYS = 7;

type Meta = Record<string, unknown>;
const str = (meta: Meta | null | undefined, key: string): string | null => {
  const value = meta?.[key];
  return typeof value === "string" ? value : null;
};

/** Where the complaint's clock starts, from a stored mention (see receivedDayOf). */
export function receivedDayOfMention(
  origin: CfpbOrigin,
  m: { meta: Meta | null; createdAt: Date; raw?: unknown },
): string {
  const raw = (m.raw ?? {}) as Meta;
  return receivedDayOf({
    origin,
    dateSentToCompany: str(m.meta, "dateSentToCompany") ?? str(raw, "date_sent_to_company"),
    dateReceived: str(m.meta, "dateReceived") ?? str(raw, "date_received"),
    postedAt: m.createdAt,
  });
}

/**
 * A complaint's new clock row, the one shape for the cfpb-clock job and for a record made before the job ran
 * (ensureCfpbRow): a complaint the CFPB already publishes as closed carries its outcome from the start, so open
 * ones are found without reading every mention's payload (`outcome IS NULL`) and a closed one is never counted open.
 */
export function newClockRow(
  m: { id: number; workspaceId: number; meta: Meta | null; raw?: unknown; createdAt: Date },
  origin: CfpbOrigin,
  now: Date,
) {
  const published = origin === "portal" ? str(m.meta, "companyResponse") : null;
  return {
    mentionId: m.id,
    workspaceId: m.workspaceId,
    origin,
    receivedDay: receivedDayOfMention(origin, m),
    outcome: portalClosed(published) ? published : null,
    createdAt: now,
  };
}

/** The CFPB origin of a mention, or null when it is not a CFPB complaint. */
export function cfpbOriginOf(m: {
  sourceType: string;
  flags: readonly string[];
  text: string;
  status: string;
}): CfpbOrigin | null {
  if (m.sourceType === "cfpb") return "portal";
  if (m.status !== "dismissed" && reportsCfpbComplaint(m.text, m.flags)) return "reported";
  return null;
}

/** The SQL twin of reportsCfpbComplaint's text test (LIKE is case-insensitive for ASCII in SQLite). */
const NAMES_CFPB: SQL = sql.join(
  CFPB_PHRASES.map((p) => sql`${mentions.text} LIKE ${`%${p}%`}`),
  sql` OR `,
);
// The flags are a JSON array of fixed codes, so the quoted code is found as plain text: cheaper than json_each
// over a week of mentions, and no other code contains it.
const HAS_REGULATOR_FLAG = sql`${mentions.flags} LIKE '%"regulator"%'`;
const NO_CLOCK_YET = sql`NOT EXISTS (SELECT 1 FROM ${complaintResponses} WHERE ${complaintResponses.mentionId} = ${mentions.id})`;

/**
 * Gives every CFPB complaint not yet known its clock row. Portal complaints: every mention of a CFPB source (they
 * are few, read through the source's index). Reported ones: posts of the last days flagged `regulator` that name
 * the CFPB, so a post classified late (or corrected by a person) still gets its clock. Idempotent.
 */
export async function syncCfpbComplaints(db: Db, now: Date): Promise<number> {
  const portal = await db
    .select({
      id: mentions.id,
      workspaceId: sources.workspaceId,
      meta: mentions.meta,
      raw: mentions.raw,
      createdAt: mentions.createdAt,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(eq(sources.type, "cfpb"), NO_CLOCK_YET));
  const reported = await db
    .select({
      id: mentions.id,
      workspaceId: sources.workspaceId,
      text: mentions.text,
      flags: mentions.flags,
      status: mentions.status,
      meta: mentions.meta,
      createdAt: mentions.createdAt,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(
      and(
        sql`${mentions.createdAt} >= ${now.getTime() - REPORTED_LOOKBACK_DAYS * 86_400_000}`,
        sql`${sources.type} <> 'cfpb'`,
        sql`${mentions.status} <> 'dismissed'`,
        HAS_REGULATOR_FLAG,
        sql`(${NAMES_CFPB})`,
        NO_CLOCK_YET,
      ),
    );
  const rows = [
    ...portal.map((m) => newClockRow(m, "portal", now)),
    ...reported
      .filter((m) => reportsCfpbComplaint(m.text, m.flags))
      .map((m) => newClockRow(m, "reported", now)),
  ];
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const added = await db
      .insert(complaintResponses)
      .values(rows.slice(i, i + 200))
      .onConflictDoNothing({ target: complaintResponses.mentionId })
      .returning({ id: complaintResponses.mentionId });
    inserted += added.length;
  }
  return inserted;
}

/** Awaiting a response: no final response recorded, and not published by the CFPB as closed (its outcome is set
 * when the job finds it, see syncCfpbComplaints). */
const OPEN = sql`${complaintResponses.finalAt} IS NULL AND ${complaintResponses.outcome} IS NULL`;

/**
 * The workspace's complaints (its own sources too, so a row can never cross workspaces), less posts flagged as
 * CFPB complaints that a person dismissed; only a brand's when `brandId` is given. Joined with mentions and sources.
 */
function complaintsOf(workspaceId: number, brandId: number | undefined): (SQL | undefined)[] {
  return [
    eq(complaintResponses.workspaceId, workspaceId),
    eq(sources.workspaceId, workspaceId),
    sql`NOT (${complaintResponses.origin} = 'reported' AND ${mentions.status} = 'dismissed')`,
    brandId === undefined
      ? undefined
      : sql`EXISTS (SELECT 1 FROM ${mentionBrands} WHERE ${mentionBrands.mentionId} = ${mentions.id} AND ${mentionBrands.brandId} = ${brandId})`,
  ];
}

export interface CfpbComplaint {
  mentionId: number;
  workspaceId: number;
  origin: CfpbOrigin;
  receivedDay: string;
  respondedAt: Date | null;
  respondedBy: string | null;
  finalAt: Date | null;
  finalBy: string | null;
  outcome: string | null;
  /** The CFPB's published company response (portal complaints). */
  portalResponse: string | null;
  issue: string | null;
  /** When Rapport stored the mention: an overdue notice goes out only for a deadline that passed after this. */
  storedAt: Date;
  status: string;
  textMasked: string;
  sourceName: string;
  clock: CfpbClock;
}

export interface CfpbQuery {
  brandId?: number;
  mentionIds?: number[];
  /** Only complaints still awaiting a response (Today, the digest, reminders): closed ones pile up for years. */
  openOnly?: boolean;
}

const responder = sql`(SELECT coalesce(nullif(${users.name}, ''), ${users.email}) FROM ${users} WHERE ${users.id} = ${complaintResponses.respondedBy})`;
const finisher = sql`(SELECT coalesce(nullif(${users.name}, ''), ${users.email}) FROM ${users} WHERE ${users.id} = ${complaintResponses.finalBy})`;

/** The workspace's CFPB complaints with their clocks (a reported one whose post was dismissed is none). */
export async function loadCfpbComplaints(
  db: Db,
  workspaceId: number,
  now: Date,
  query: CfpbQuery = {},
): Promise<CfpbComplaint[]> {
  if (query.mentionIds && query.mentionIds.length === 0) return [];
  const rows = await db
    .select({
      mentionId: complaintResponses.mentionId,
      workspaceId: complaintResponses.workspaceId,
      origin: complaintResponses.origin,
      receivedDay: complaintResponses.receivedDay,
      respondedAt: complaintResponses.respondedAt,
      respondedBy: sql<string | null>`${responder}`,
      finalAt: complaintResponses.finalAt,
      finalBy: sql<string | null>`${finisher}`,
      outcome: complaintResponses.outcome,
      createdAt: complaintResponses.createdAt,
      meta: mentions.meta,
      status: mentions.status,
      textMasked: mentions.textMasked,
      fetchedAt: mentions.fetchedAt,
      sourceName: sources.name,
    })
    .from(complaintResponses)
    .innerJoin(mentions, eq(mentions.id, complaintResponses.mentionId))
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(
      and(
        ...complaintsOf(workspaceId, query.brandId),
        query.mentionIds ? inArray(complaintResponses.mentionId, query.mentionIds) : undefined,
        query.openOnly ? OPEN : undefined,
      ),
    );
  return rows.map((r) => {
    const portalResponse = r.origin === "portal" ? str(r.meta, "companyResponse") : null;
    return {
      mentionId: r.mentionId,
      workspaceId: r.workspaceId,
      origin: r.origin,
      receivedDay: r.receivedDay,
      respondedAt: r.respondedAt,
      respondedBy: r.respondedBy,
      finalAt: r.finalAt,
      finalBy: r.finalBy,
      outcome: r.outcome,
      portalResponse,
      issue: str(r.meta, "issue"),
      storedAt: r.fetchedAt,
      status: r.status,
      textMasked: r.textMasked,
      sourceName: r.sourceName,
      clock: cfpbClock(
        {
          origin: r.origin,
          receivedDay: r.receivedDay,
          respondedAt: r.respondedAt,
          finalAt: r.finalAt,
          portalResponse,
        },
        now,
      ),
    };
  });
}

/**
 * What Today and the digest say: open, due within three days, past the 15-day response. Reads only what the clock
 * needs (no names, no text), for every Today.
 */
export async function cfpbTally(
  db: Db,
  workspaceId: number,
  now: Date,
  query: Pick<CfpbQuery, "brandId"> = {},
): Promise<CfpbTally> {
  const rows = await db
    .select({
      origin: complaintResponses.origin,
      receivedDay: complaintResponses.receivedDay,
      respondedAt: complaintResponses.respondedAt,
      status: mentions.status,
    })
    .from(complaintResponses)
    .innerJoin(mentions, eq(mentions.id, complaintResponses.mentionId))
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(...complaintsOf(workspaceId, query.brandId), OPEN));
  return tallyCfpb(
    rows.map((r) =>
      cfpbClock(
        { origin: r.origin, receivedDay: r.receivedDay, respondedAt: r.respondedAt, finalAt: null },
        now,
      ),
    ),
  );
}

/** Clocks of some mentions (a queue page), by mention id. */
export async function cfpbClocksFor(
  db: Db,
  workspaceId: number,
  mentionIds: number[],
  now: Date,
): Promise<Map<number, CfpbComplaint>> {
  const rows = await loadCfpbComplaints(db, workspaceId, now, { mentionIds });
  return new Map(rows.map((r) => [r.mentionId, r]));
}

/** What a queue row shows of a CFPB complaint: the clock in words, and whether a deadline has passed. */
export interface CfpbRowBadge {
  words: string;
  overdue: boolean;
}

/** The badges of the CFPB complaints among a page's mentions (the other mentions have none). */
export async function cfpbRowBadges(
  db: Db,
  workspaceId: number,
  mentionIds: number[],
  now: Date,
): Promise<Map<number, CfpbRowBadge>> {
  const clocks = await cfpbClocksFor(db, workspaceId, mentionIds, now);
  return new Map(
    [...clocks].map(([id, c]) => [id, { words: cfpbClockWords(c.clock, now), overdue: c.clock.overdue }]),
  );
}
