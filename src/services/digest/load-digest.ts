// Everything a weekly digest says about one brand (`loadDigestFacts`: one named query per figure, most of them
// shared with Today through src/services/metrics), and the same facts as the e-mail's DigestData
// (`toDigestData`). Masked text only; links are absolute. The week is the ISO week in UTC; for the week in
// progress the span ends at `now` and is compared with the same part of last week.

import { eq } from "drizzle-orm";
import type { SlaMinutes } from "../../db/schema/brands.js";
import { brands } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import type { CfpbTally } from "../../domain/compliance/cfpb-clock.js";
import { RULES, type RuleCode } from "../../domain/compliance/rules.js";
import type { DigestData, DigestPost } from "../../domain/digest/digest-data.js";
import { addWeeks, formatIsoWeek, type IsoWeek, weekBounds } from "../../domain/digest/week.js";
import { formatMinutes, slaMinutes } from "../../domain/sla.js";
import { notFound } from "../../errors.js";
import { feedLink, mentionLink, publicBaseUrl } from "../../platform/links.js";
import { cfpbTally } from "../compliance/cfpb-complaints.js";
import { type Supervision, supervisionOver } from "../compliance/supervision.js";
import {
  type CategoryCount,
  countByCategory,
  countByDay,
  countBySource,
  countMentions,
} from "../metrics/mention-counts.js";
import { type QueueBacklog, queueBacklog } from "../metrics/queue-backlog.js";
import type { MetricScope } from "../metrics/scope.js";
import { type SlaPerformance, slaPerformance } from "../metrics/sla-performance.js";
import {
  type DigestPostRow,
  quotablePosts,
  type RecoveryFact,
  type RightsFact,
  recoveryOf,
  repliesPosted,
  rightsOfWeek,
  type SpikeFact,
  type SpikeFeedbackFact,
  type StoppedReplies,
  stoppedReplies,
  weekSpikeFeedback,
  weekSpikes,
} from "./digest-queries.js";

const TOP_GRIEVANCES = 5;
const TOP_SOURCES = 8;
const NOTABLE = 5;

export interface DigestFacts {
  brand: { id: number; name: string; slug: string; workspaceId: number; slaMinutes: SlaMinutes | null };
  week: string;
  start: Date;
  end: Date;
  /** True for the week in progress: the span ends now. */
  partial: boolean;
  generatedAt: Date;
  volume: {
    total: number;
    relevant: number;
    /** Relevant ones a person classified or confirmed. */
    confirmed: number;
    previousTotal: number;
    previousRelevant: number;
    /** All mentions per UTC day (they add up to `total`). */
    byDay: { date: string; count: number }[];
  };
  categories: (CategoryCount & { previousWeek: number; examples: DigestPostRow[] })[];
  sources: { name: string; type: string; count: number }[];
  spikes: SpikeFact[];
  /** "Was this alert useful?" over the listed spikes, answers so far. */
  spikeFeedback: SpikeFeedbackFact;
  sla: SlaPerformance;
  repliesPosted: number;
  /** The brand's queue at the time of writing. */
  queue: QueueBacklog;
  rights: RightsFact[];
  compliance: StoppedReplies;
  /** The brand's CFPB complaints at the time of writing. */
  cfpb: CfpbTally;
  /** Drafts stopped in the span, per person (replies on the brand's mentions). */
  supervision: Supervision;
  recovery: RecoveryFact;
  notable: DigestPostRow[];
  links: { feed: string; dashboard: string; base: string };
}

export async function loadDigestFacts(
  deps: Deps,
  brandId: number,
  week: IsoWeek,
  now = deps.now(),
): Promise<DigestFacts> {
  const db = deps.db;
  const [brand] = await db
    .select({
      id: brands.id,
      name: brands.name,
      slug: brands.slug,
      workspaceId: brands.workspaceId,
      slaMinutes: brands.slaMinutes,
    })
    .from(brands)
    .where(eq(brands.id, brandId));
  if (!brand) throw notFound("Brand");
  const range = weekBounds(week);
  const partial = now.getTime() < range.end.getTime();
  const span = { from: range.start, until: partial ? now : range.end };
  const previousStart = weekBounds(addWeeks(week, -1)).start;
  const previous = {
    from: previousStart,
    until: new Date(previousStart.getTime() + (span.until.getTime() - span.from.getTime())),
  };
  const scope: MetricScope = { workspaceId: brand.workspaceId, brandId };
  const base = publicBaseUrl(deps.env);

  const volume = await countMentions(db, scope, span);
  const previousVolume = await countMentions(db, scope, previous);
  const grievanceOptions = { relevantOnly: true, excludeCategories: ["praise", "unclassified"] };
  const previousByCategory = new Map(
    (await countByCategory(db, scope, previous, grievanceOptions)).map((c) => [c.key, c.count]),
  );
  const categories: DigestFacts["categories"] = [];
  for (const c of (await countByCategory(db, scope, span, grievanceOptions)).slice(0, TOP_GRIEVANCES)) {
    categories.push({
      ...c,
      previousWeek: previousByCategory.get(c.key) ?? 0,
      examples: await quotablePosts(db, scope, span, { category: c.key, limit: 2 }),
    });
  }

  return {
    brand,
    week: formatIsoWeek(week),
    start: span.from,
    end: span.until,
    partial,
    generatedAt: now,
    volume: {
      ...volume,
      previousTotal: previousVolume.total,
      previousRelevant: previousVolume.relevant,
      byDay: (await countByDay(db, scope, span, 7)).map((d) => ({ date: d.date, count: d.count })),
    },
    categories,
    sources: (await countBySource(db, scope, span, { relevantOnly: true }))
      .slice(0, TOP_SOURCES)
      .map((s) => ({ name: s.key, type: s.type, count: s.count })),
    spikes: (await weekSpikes(db, brandId, span)).map((s) => ({
      ...s,
      subject: s.subject || brand.name,
      feedUrl: s.feedUrl ?? feedLink(base, { brand: brand.slug, since: s.startedAt }),
    })),
    spikeFeedback: await weekSpikeFeedback(db, { workspaceId: brand.workspaceId, brandId }, span, now),
    sla: await slaPerformance(db, scope, span, now),
    repliesPosted: await repliesPosted(db, brandId, span),
    queue: await queueBacklog(db, scope, now),
    rights: await rightsOfWeek(db, scope, span),
    cfpb: await cfpbTally(db, brand.workspaceId, now, { brandId }),
    supervision: await supervisionOver(db, brand.workspaceId, [week], span, { brandId }),
    compliance: await stoppedReplies(db, brandId, span),
    recovery: await recoveryOf(db, brandId, span.until),
    notable: await quotablePosts(db, scope, span, { limit: NOTABLE }),
    links: {
      feed: feedLink(base, { brand: brand.slug, since: span.from, until: span.until }),
      dashboard: `${base}/`,
      base,
    },
  };
}

const CATEGORY_WORDS: Record<string, string> = {
  debt_not_owed: "Not my debt",
  written_notice: "No written notice",
  communication_tactics: "Calls and messages",
  false_statements: "False statements",
  legal_threats: "Legal threats",
  privacy: "Told others about the debt",
  payment_service: "Payments and service",
  other_collections: "Other collections",
};

function toPost(base: string, p: DigestPostRow, withNote: boolean): DigestPost {
  const sureness = p.confirmed
    ? "confirmed by a person"
    : `model ${Math.round((p.confidence ?? 0) * 100)}% sure`;
  return {
    text: p.textMasked,
    source: p.sourceName,
    url: mentionLink(base, p.id),
    createdAt: p.createdAt.toISOString(),
    reach: p.reach,
    note: withNote
      ? [p.severity, p.category?.replace(/_/g, " "), sureness].filter(Boolean).join(", ")
      : sureness,
  };
}

function periodLabel(start: Date): string {
  const last = new Date(start.getTime() + 7 * 86_400_000 - 1);
  const day = (d: Date) => d.getUTCDate();
  const month = (d: Date) => d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  if (start.getUTCMonth() === last.getUTCMonth())
    return `${day(start)}–${day(last)} ${month(last)} ${last.getUTCFullYear()}`;
  return `${day(start)} ${month(start)} – ${day(last)} ${month(last)} ${last.getUTCFullYear()}`;
}

/** The brand's own response times where it set them (what its mentions' due times were counted from). */
const slaLabel = (overrides: SlaMinutes | null) =>
  `first response within ${(["critical", "high", "medium", "low"] as const)
    .map((s) => `${formatMinutes(slaMinutes(s, overrides ?? {}))} ${s}`)
    .join(", ")}`;

/** The facts in the shape the e-mail takes. */
export function toDigestData(f: DigestFacts): DigestData {
  const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const base = f.links.base;
  return {
    brand: f.brand.name,
    week: f.week,
    periodLabel: periodLabel(f.start),
    partial: f.partial,
    volume: {
      total: f.volume.total,
      previousWeek: f.volume.previousTotal,
      relevant: f.volume.relevant,
      confirmed: f.volume.confirmed,
      byDay: f.volume.byDay.map((d, i) => ({ label: weekdays[i] ?? d.date, count: d.count })),
    },
    grievances: f.categories.map((c) => ({
      category: c.key as DigestData["grievances"][number]["category"],
      label: CATEGORY_WORDS[c.key] ?? c.key.replace(/_/g, " "),
      count: c.count,
      confirmed: c.confirmed,
      previousWeek: c.previousWeek,
      examples: c.examples.map((e) => toPost(base, e, false)),
    })),
    sources: f.sources.map((s) => ({ name: s.name, count: s.count })),
    spikes: f.spikes.map((s) => ({
      subject: s.subject,
      ts: s.startedAt.toISOString(),
      count: s.count,
      expected: s.expected,
      terms: s.terms.slice(0, 5),
      feedUrl: s.feedUrl,
    })),
    spikeFeedback: f.spikeFeedback,
    cfpb: f.cfpb,
    supervision: {
      stops: f.supervision.total,
      byKind: f.supervision.byKind,
      stoppedReplies: f.supervision.stoppedReplies,
      people: f.supervision.people.map((p) => ({
        name: f.supervision.names[p.personId] ?? `user ${p.personId}`,
        stops: p.total,
        byKind: p.byKind,
        rules: p.byRule,
      })),
    },
    response: {
      slaLabel: slaLabel(f.brand.slaMinutes),
      clocked: f.sla.clocked,
      inTime: f.sla.inTime,
      late: f.sla.late,
      missed: f.sla.missed,
      pending: f.sla.pending,
      arrivedOverdue: f.sla.arrivedOverdue,
      medianFirstResponseMinutes: f.sla.medianFirstResponseMinutes,
      repliesPosted: f.repliesPosted,
      openBacklog: f.queue.open,
      overdue: f.queue.overdue,
      openArrivedOverdue: f.queue.arrivedOverdue,
    },
    rightsEvents: f.rights.map((r) => ({ ...r })),
    compliance: {
      repliesStopped: f.compliance.replies,
      rules: f.compliance.rules.map((r) => ({
        rule: r.rule,
        label: (RULES[r.rule as RuleCode]?.title ?? "").toLowerCase(),
        replies: r.replies,
      })),
    },
    recovery: {
      answered30Days: f.recovery.answered,
      judged: f.recovery.judged,
      recovered: f.recovery.recovered,
    },
    notable: f.notable.map((p) => toPost(base, p, true)),
    dashboardUrl: f.links.feed,
  };
}

export async function loadDigestData(
  deps: Deps,
  brandId: number,
  week: IsoWeek,
  now = deps.now(),
): Promise<DigestData> {
  return toDigestData(await loadDigestFacts(deps, brandId, week, now));
}
