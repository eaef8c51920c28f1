// The digest's own figures, one small named query each; the figures Today shares (volume, categories, the SLA
// and the queue) come from src/services/metrics. All scoped to one brand of one workspace, over post times.
import { sql } from "drizzle-orm";
import { DEFAULT_POLICY } from "../../classifier/hybrid.js";
import type { Db } from "../../db/client.js";
import {
  accountLinks,
  cases,
  mentionBrands,
  mentions,
  replies,
  replyLints,
  rightsEvents,
  sources,
  spikeFeedback,
  spikes,
} from "../../db/schema/index.js";
import { RIGHTS_EVENT_FLAGS, SEVERITIES } from "../../domain/taxonomy.js";
import type { StoredSpikeDetails } from "../alerts/spike-detection.js";
import { explanationHighlights } from "../alerts/spike-summary.js";
import type { Span } from "../metrics/mention-counts.js";
import {
  CONFIRMED_BY_PERSON,
  MENTIONS_WITH_SOURCE,
  type MetricScope,
  scopeCondition,
} from "../metrics/scope.js";

/**
 * Sure enough to quote to a director: a person confirmed it, or the model's confidence is above the hybrid
 * engine's band of doubt (the band in which it asks Claude; src/classifier/hybrid.ts).
 */
export const CONFIDENCE_FLOOR = DEFAULT_POLICY.relevanceBand[1];
const CONFIDENT = sql`(${CONFIRMED_BY_PERSON} OR ${mentions.confidence} > ${CONFIDENCE_FLOOR})`;

const inSpan = (span: Required<Span>) =>
  sql`${mentions.createdAt} >= ${span.from.getTime()} AND ${mentions.createdAt} < ${span.until.getTime()}`;
const severityRank = sql.raw(
  `CASE "mentions"."severity" ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE -1 END`,
);

export interface DigestPostRow {
  id: number;
  textMasked: string;
  sourceName: string;
  severity: string | null;
  category: string | null;
  reach: number | null;
  createdAt: Date;
  url: string | null;
  confidence: number | null;
  confirmed: boolean;
}

/**
 * Posts worth quoting: relevant, confidently classified or confirmed, one per near-duplicate group, the most
 * serious and most seen first.
 */
export async function quotablePosts(
  db: Db,
  scope: MetricScope,
  span: Required<Span>,
  opts: { category?: string; limit: number },
): Promise<DigestPostRow[]> {
  const rows = await db.all<{
    id: number;
    text: string;
    source: string;
    severity: string | null;
    category: string | null;
    reach: number | null;
    created: number;
    url: string | null;
    confidence: number | null;
    confirmed: number;
  }>(
    sql`SELECT ${mentions.id} AS id, ${mentions.textMasked} AS text, ${sources.name} AS source,
          ${mentions.severity} AS severity, ${mentions.category} AS category, ${mentions.reach} AS reach,
          ${mentions.createdAt} AS created, ${mentions.url} AS url, ${mentions.confidence} AS confidence,
          ${CONFIRMED_BY_PERSON} AS confirmed
        FROM ${MENTIONS_WITH_SOURCE}
        WHERE ${scopeCondition(scope)} AND ${inSpan(span)} AND ${mentions.relevant} = 1 AND ${CONFIDENT}
          AND (${mentions.groupId} IS NULL OR ${mentions.groupId} = ${mentions.id})
          ${opts.category ? sql`AND ${mentions.category} = ${opts.category}` : sql``}
        ORDER BY ${severityRank} DESC, coalesce(${mentions.reach}, 0) DESC, ${mentions.createdAt} DESC, ${mentions.id} DESC
        LIMIT ${opts.limit}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    textMasked: r.text,
    sourceName: r.source,
    severity: r.severity,
    category: r.category,
    reach: r.reach === null ? null : Number(r.reach),
    createdAt: new Date(Number(r.created)),
    url: r.url,
    confidence: r.confidence === null ? null : Number(r.confidence),
    confirmed: Number(r.confirmed) === 1,
  }));
}

export interface SpikeFact {
  id: number;
  terms: string[];
  subject: string;
  startedAt: Date;
  lastHourAt: Date;
  hours: number;
  count: number;
  expected: number;
  highlights: string[];
  feedUrl: string | null;
}

/** Spikes that started in the span, as /alerts records them (a key folded into its brand's spike once). */
export async function weekSpikes(db: Db, brandId: number, span: Required<Span>): Promise<SpikeFact[]> {
  const rows = await db
    .select()
    .from(spikes)
    .where(
      sql`${spikes.brandId} = ${brandId} AND ${spikes.startedAt} >= ${span.from.getTime()} AND ${spikes.startedAt} < ${span.until.getTime()}`,
    )
    .orderBy(spikes.startedAt);
  return rows
    .filter((s) => !(s.explanation as StoredSpikeDetails | null)?.partOfSpikeId)
    .map((s) => {
      const details = s.explanation as StoredSpikeDetails | null;
      return {
        id: s.id,
        terms: details?.explanation.terms.map((t) => t.value) ?? [],
        subject: details?.subject ?? "",
        startedAt: s.startedAt,
        lastHourAt: s.lastHourAt,
        hours: details?.episode.hours ?? 1,
        count: details?.episode.peak.count ?? s.count,
        expected: details?.episode.peak.expected ?? s.expected,
        highlights: details ? explanationHighlights(details.explanation) : [],
        feedUrl: details?.feedUrl ?? null,
      };
    });
}

export interface SpikeFeedbackFact {
  /** The spikes the digest lists (started in the span, not folded into their brand's spike). */
  alerts: number;
  /** Answers, each person's once (as /alerts counts them): several people may answer one spike. */
  useful: number;
  notUseful: number;
  /** Listed spikes nobody has answered "was this alert useful?" for yet. */
  unanswered: number;
}

/**
 * "Was this alert useful?" over the spikes the digest lists, counted as /alerts counts them (feedbackForSpikes):
 * each person's answer once (a person who changes theirs replaces it), so Ana "useful" and Ben "not useful" on one
 * spike read "useful 1, not useful 1" in both places. Answers given after `asOf` are left out; `unanswered` is the
 * listed spikes nobody had answered by then, so the three figures add up to the answers plus the unanswered
 * spikes, not to `alerts` when several people answered one spike.
 */
export async function weekSpikeFeedback(
  db: Db,
  scope: { workspaceId: number; brandId: number },
  span: Required<Span>,
  asOf: Date,
): Promise<SpikeFeedbackFact> {
  const rows = await db.all<{ useful: number; not_useful: number }>(
    sql`SELECT (SELECT count(*) FROM ${spikeFeedback} WHERE ${spikeFeedback.spikeId} = ${spikes.id}
                  AND ${spikeFeedback.workspaceId} = ${scope.workspaceId} AND ${spikeFeedback.answeredAt} <= ${asOf.getTime()}
                  AND ${spikeFeedback.useful} = 1) AS useful,
               (SELECT count(*) FROM ${spikeFeedback} WHERE ${spikeFeedback.spikeId} = ${spikes.id}
                  AND ${spikeFeedback.workspaceId} = ${scope.workspaceId} AND ${spikeFeedback.answeredAt} <= ${asOf.getTime()}
                  AND ${spikeFeedback.useful} = 0) AS not_useful
        FROM ${spikes}
        WHERE ${spikes.brandId} = ${scope.brandId} AND ${spikes.startedAt} >= ${span.from.getTime()}
          AND ${spikes.startedAt} < ${span.until.getTime()}
          AND json_extract(${spikes.explanation}, '$.partOfSpikeId') IS NULL`,
  );
  const counts = rows.map((r) => ({ useful: Number(r.useful), notUseful: Number(r.not_useful) }));
  return {
    alerts: counts.length,
    useful: counts.reduce((n, c) => n + c.useful, 0),
    notUseful: counts.reduce((n, c) => n + c.notUseful, 0),
    unanswered: counts.filter((c) => c.useful + c.notUseful === 0).length,
  };
}

const replyInBrand = (brandId: number) =>
  sql`EXISTS (SELECT 1 FROM ${mentionBrands} WHERE ${mentionBrands.mentionId} = ${replies.mentionId} AND ${mentionBrands.brandId} = ${brandId})`;

/** Public replies posted in the span (one per thread: each is a customer answered in public). */
export async function repliesPosted(db: Db, brandId: number, span: Required<Span>): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM ${replies}
        WHERE ${replies.status} = 'posted' AND ${replies.postedAt} >= ${span.from.getTime()}
          AND ${replies.postedAt} < ${span.until.getTime()} AND ${replyInBrand(brandId)}`,
  );
  return Number(row?.n ?? 0);
}

export interface RightsFact {
  flag: string;
  mentions: number;
  sentAsEvents: number;
  awaitingLink: number;
}

/**
 * Per rights flag: the span's mentions carrying it, how many became a dated event for the collections system
 * (a rights_events row: they were linked to an account), and how many have no confirmed account link yet.
 */
export async function rightsOfWeek(db: Db, scope: MetricScope, span: Required<Span>): Promise<RightsFact[]> {
  const flags = sql.join(
    RIGHTS_EVENT_FLAGS.map((f) => sql`${f}`),
    sql`, `,
  );
  const rows = await db.all<{ flag: string; n: number; sent: number; waiting: number }>(
    sql`SELECT je.value AS flag, count(*) AS n,
          coalesce(sum(EXISTS (SELECT 1 FROM ${rightsEvents} WHERE ${rightsEvents.mentionId} = ${mentions.id} AND ${rightsEvents.flag} = je.value)), 0) AS sent,
          coalesce(sum(NOT EXISTS (SELECT 1 FROM ${accountLinks} WHERE ${accountLinks.mentionId} = ${mentions.id} AND ${accountLinks.status} = 'confirmed')), 0) AS waiting
        FROM ${MENTIONS_WITH_SOURCE}, json_each(${mentions.flags}) AS je
        WHERE ${scopeCondition(scope)} AND ${inSpan(span)} AND je.value IN (${flags})
        GROUP BY je.value ORDER BY n DESC, je.value`,
  );
  return rows.map((r) => ({
    flag: r.flag,
    mentions: Number(r.n),
    sentAsEvents: Number(r.sent),
    awaitingLink: Number(r.waiting),
  }));
}

export interface StoppedReplies {
  replies: number;
  /** Per rule: distinct replies it stopped. */
  rules: { rule: string; replies: number }[];
}

/** Replies the compliance check stopped at least once in the span (a reply linted five times is one reply). */
export async function stoppedReplies(db: Db, brandId: number, span: Required<Span>): Promise<StoppedReplies> {
  const failing = sql`${replyLints.ok} = 0 AND ${replyLints.createdAt} >= ${span.from.getTime()} AND ${replyLints.createdAt} < ${span.until.getTime()}
    AND ${replyLints.replyId} IN (SELECT ${replies.id} FROM ${replies} WHERE ${replyInBrand(brandId)})`;
  const [total] = await db.all<{ n: number }>(
    sql`SELECT count(DISTINCT ${replyLints.replyId}) AS n FROM ${replyLints} WHERE ${failing}`,
  );
  const rules = await db.all<{ rule: string; n: number }>(
    sql`SELECT json_extract(v.value, '$.rule') AS rule, count(DISTINCT ${replyLints.replyId}) AS n
        FROM ${replyLints}, json_each(${replyLints.violations}) AS v
        WHERE ${failing} AND json_extract(v.value, '$.rule') IS NOT NULL
        GROUP BY 1 ORDER BY n DESC, rule`,
  );
  return {
    replies: Number(total?.n ?? 0),
    rules: rules.map((r) => ({ rule: r.rule, replies: Number(r.n) })),
  };
}

export interface RecoveryFact {
  /** Cases opened (a customer answered in public) in the 30 days to the end of the span. */
  answered: number;
  /** Of those, with a later post that showed a tone either way. */
  judged: number;
  recovered: number;
}

export async function recoveryOf(db: Db, brandId: number, until: Date): Promise<RecoveryFact> {
  const [row] = await db.all<{ answered: number; judged: number; recovered: number }>(
    sql`SELECT count(*) AS answered, count(${cases.recovered}) AS judged, coalesce(sum(${cases.recovered} = 1), 0) AS recovered
        FROM ${cases}
        WHERE ${cases.openedAt} >= ${until.getTime() - 30 * 86_400_000} AND ${cases.openedAt} < ${until.getTime()}
          AND EXISTS (SELECT 1 FROM ${mentionBrands} WHERE ${mentionBrands.mentionId} = ${cases.rootMentionId} AND ${mentionBrands.brandId} = ${brandId})`,
  );
  return {
    answered: Number(row?.answered ?? 0),
    judged: Number(row?.judged ?? 0),
    recovered: Number(row?.recovered ?? 0),
  };
}
