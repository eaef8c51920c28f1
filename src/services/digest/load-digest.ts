// Everything a weekly digest says about one brand, read from the database (`loadDigestFacts`), and the same facts
// as the e-mail assembler's DigestData (`loadDigestData` → src/domain/digest/assemble.ts). Masked text only;
// links are absolute. The week is the ISO week in UTC; for the week in progress the span ends at `now`.
import { and, desc, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import {
  brands,
  cases,
  mentionBrands,
  mentions,
  replies,
  replyLints,
  sources,
  spikes,
} from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { RULES, type RuleCode } from "../../domain/compliance/rules.js";
import type { DigestPost as AssembledPost, DigestData } from "../../domain/digest/assemble.js";
import { addWeeks, formatIsoWeek, type IsoWeek, weekBounds } from "../../domain/digest/week.js";
import { DEFAULT_SLA_MINUTES } from "../../domain/sla.js";
import { isClosed } from "../../domain/status.js";
import { MENTION_STATUSES, RIGHTS_EVENT_FLAGS, SEVERITIES } from "../../domain/taxonomy.js";
import { feedLink, mentionLink, publicBaseUrl } from "../../platform/links.js";
import type { StoredSpikeDetails } from "../alerts/spike-detection.js";
import { explanationHighlights } from "../alerts/spike-summary.js";

export interface DigestPost {
  id: number;
  textMasked: string;
  sourceName: string;
  severity: string | null;
  category: string | null;
  reach: number | null;
  createdAt: Date;
  /** Rapport's page for the post. */
  link: string;
  /** The post on its platform, when known. */
  url: string | null;
}

export interface DigestFacts {
  brand: { id: number; name: string; slug: string };
  week: string;
  start: Date;
  end: Date;
  /** True for the week in progress: the span ends now. */
  partial: boolean;
  generatedAt: Date;
  volume: {
    total: number;
    relevant: number;
    previousTotal: number;
    previousRelevant: number;
    /** Week-over-week change of relevant mentions, as a fraction (0.25 = +25%); null when last week had none. */
    change: number | null;
    byDay: { date: string; relevant: number }[];
  };
  categories: {
    category: string;
    count: number;
    share: number;
    previousWeek: number;
    examples: DigestPost[];
  }[];
  sources: { name: string; type: string; count: number }[];
  spikes: {
    id: number;
    terms: string[];
    subject: string;
    startedAt: Date;
    lastHourAt: Date;
    hours: number;
    count: number;
    expected: number;
    highlights: string[];
    feedUrl: string;
  }[];
  response: {
    /** Relevant mentions of the week with a first reply. */
    answered: number;
    medianFirstResponseMinutes: number | null;
    /** Of the week's mentions whose SLA has been decided (answered, or due and not answered): share answered in time. */
    withinSla: number | null;
    slaDecided: number;
    /** Relevant mentions still open (any week) at the time of writing. */
    openBacklog: number;
    /** Open ones past their first-response deadline. */
    overdue: number;
  };
  rightsEvents: { flag: string; count: number }[];
  compliance: { lintRuns: number; blocked: number; rules: { rule: string; count: number }[] };
  recovery: { judged: number; recovered: number; rate: number | null };
  notable: DigestPost[];
  links: { feed: string; dashboard: string };
}

const OPEN_STATUSES = MENTION_STATUSES.filter((s) => !isClosed(s));

export async function loadDigestFacts(
  deps: Deps,
  brandId: number,
  week: IsoWeek,
  now = deps.now(),
): Promise<DigestFacts> {
  const [brand] = await deps.db
    .select({ id: brands.id, name: brands.name, slug: brands.slug })
    .from(brands)
    .where(eq(brands.id, brandId));
  if (!brand) throw new Error(`no brand ${brandId}`);
  const range = weekBounds(week);
  const partial = now.getTime() < range.end.getTime();
  const start = range.start;
  const end = partial ? now : range.end;
  const previous = weekBounds(addWeeks(week, -1));
  const base = publicBaseUrl(deps.env);
  const db = deps.db;

  const inBrand = eq(mentionBrands.brandId, brandId);
  const inSpan = (from: Date, until: Date) =>
    and(gte(mentions.createdAt, from), lt(mentions.createdAt, until));
  const relevantOnly = eq(mentions.relevant, true);

  // Volume, this week and last (last week cut at the same point when this week is partial).
  const [counts] = await db
    .select({
      total: sql<number>`count(*)`,
      relevant: sql<number>`coalesce(sum(case when ${mentions.relevant} = 1 then 1 else 0 end), 0)`,
    })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .where(and(inBrand, inSpan(start, end)));
  const previousEnd = new Date(previous.start.getTime() + (end.getTime() - start.getTime()));
  const [previousCounts] = await db
    .select({
      total: sql<number>`count(*)`,
      relevant: sql<number>`coalesce(sum(case when ${mentions.relevant} = 1 then 1 else 0 end), 0)`,
    })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .where(and(inBrand, inSpan(previous.start, previousEnd)));
  const relevant = Number(counts?.relevant ?? 0);
  const previousRelevant = Number(previousCounts?.relevant ?? 0);
  const dayRows = await db
    .select({
      day: sql<string>`strftime('%Y-%m-%d', ${mentions.createdAt} / 1000, 'unixepoch')`,
      n: sql<number>`count(*)`,
    })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .where(and(inBrand, relevantOnly, inSpan(start, end)))
    .groupBy(sql`1`);
  const byDay = Array.from({ length: 7 }, (_, i) => {
    const date = new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    return { date, relevant: Number(dayRows.find((r) => r.day === date)?.n ?? 0) };
  });

  const post = (row: {
    id: number;
    textMasked: string;
    sourceName: string;
    severity: string | null;
    category: string | null;
    reach: number | null;
    createdAt: Date;
    url: string | null;
  }): DigestPost => ({ ...row, link: mentionLink(base, row.id) });
  const postColumns = {
    id: mentions.id,
    textMasked: mentions.textMasked,
    sourceName: sources.name,
    severity: mentions.severity,
    category: mentions.category,
    reach: mentions.reach,
    createdAt: mentions.createdAt,
    url: mentions.url,
  };
  const severityOrder = sql`CASE ${mentions.severity} ${sql.raw(SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" "))} ELSE -1 END`;

  // The most common grievances, with the most serious, most seen examples (one per near-duplicate group).
  const categoryRows = await db
    .select({ category: mentions.category, n: sql<number>`count(*)` })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .where(
      and(
        inBrand,
        relevantOnly,
        inSpan(start, end),
        isNotNull(mentions.category),
        sql`${mentions.category} != 'praise'`,
      ),
    )
    .groupBy(mentions.category)
    .orderBy(desc(sql`count(*)`), mentions.category)
    .limit(5);
  const categories: DigestFacts["categories"] = [];
  for (const row of categoryRows) {
    const examples = await db
      .select(postColumns)
      .from(mentions)
      .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
      .innerJoin(sources, eq(sources.id, mentions.sourceId))
      .where(
        and(
          inBrand,
          inSpan(start, end),
          eq(mentions.category, row.category!),
          sql`${mentions.groupId} = ${mentions.id}`,
        ),
      )
      .orderBy(desc(severityOrder), desc(sql`coalesce(${mentions.reach}, 0)`), desc(mentions.createdAt))
      .limit(2);
    const [before] = await db
      .select({ n: sql<number>`count(*)` })
      .from(mentions)
      .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
      .where(
        and(inBrand, relevantOnly, inSpan(previous.start, previousEnd), eq(mentions.category, row.category!)),
      );
    const count = Number(row.n);
    categories.push({
      category: row.category!,
      count,
      share: relevant > 0 ? count / relevant : 0,
      previousWeek: Number(before?.n ?? 0),
      examples: examples.map(post),
    });
  }

  const sourceRows = await db
    .select({ name: sources.name, type: sources.type, n: sql<number>`count(*)` })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(inBrand, relevantOnly, inSpan(start, end)))
    .groupBy(sources.id)
    .orderBy(desc(sql`count(*)`))
    .limit(8);

  const spikeRows = await db
    .select()
    .from(spikes)
    .where(and(eq(spikes.brandId, brandId), gte(spikes.startedAt, start), lt(spikes.startedAt, end)))
    .orderBy(spikes.startedAt);
  const spikeList: DigestFacts["spikes"] = spikeRows
    .filter((s) => !(s.explanation as StoredSpikeDetails | null)?.partOfSpikeId)
    .map((s) => {
      const details = s.explanation as StoredSpikeDetails | null;
      return {
        id: s.id,
        terms: details?.explanation.terms.map((t) => t.value) ?? [],
        subject: details?.subject ?? brand.name,
        startedAt: s.startedAt,
        lastHourAt: s.lastHourAt,
        hours: details?.episode.hours ?? 1,
        count: details?.episode.peak.count ?? s.count,
        expected: details?.episode.peak.expected ?? s.expected,
        highlights: details ? explanationHighlights(details.explanation) : [],
        feedUrl: details?.feedUrl ?? feedLink(base, { brand: brand.slug, since: s.startedAt }),
      };
    });

  // Response performance for the week's relevant mentions.
  const responseRows = await db
    .select({
      createdAt: mentions.createdAt,
      firstResponseAt: mentions.firstResponseAt,
      slaDueAt: mentions.slaDueAt,
    })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .where(and(inBrand, relevantOnly, inSpan(start, end)));
  const minutesToReply = responseRows
    .filter((r) => r.firstResponseAt)
    .map((r) => (r.firstResponseAt!.getTime() - r.createdAt.getTime()) / 60_000)
    .sort((a, b) => a - b);
  let slaDecided = 0;
  let slaMet = 0;
  for (const r of responseRows) {
    if (!r.slaDueAt) continue;
    if (r.firstResponseAt) {
      slaDecided++;
      if (r.firstResponseAt.getTime() <= r.slaDueAt.getTime()) slaMet++;
    } else if (r.slaDueAt.getTime() < end.getTime()) {
      slaDecided++;
    }
  }
  const [backlog] = await db
    .select({
      open: sql<number>`count(*)`,
      overdue: sql<number>`coalesce(sum(case when ${mentions.slaDueAt} < ${now.getTime()} and ${mentions.firstResponseAt} is null then 1 else 0 end), 0)`,
    })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .where(and(inBrand, relevantOnly, inArray(mentions.status, OPEN_STATUSES), lt(mentions.createdAt, end)));

  // Rights events: consumers exercising a legal right in public this week.
  const rightsRows = await db
    .select({ flag: sql<string>`je.value`, n: sql<number>`count(*)` })
    .from(
      sql`${mentions} join ${mentionBrands} on ${mentionBrands.mentionId} = ${mentions.id}, json_each(${mentions.flags}) je`,
    )
    .where(
      and(
        inBrand,
        inSpan(start, end),
        sql`je.value in (${sql.join(
          RIGHTS_EVENT_FLAGS.map((f) => sql`${f}`),
          sql`, `,
        )})`,
      ),
    )
    .groupBy(sql`je.value`)
    .orderBy(desc(sql`count(*)`), sql`je.value`);

  // Compliance: lint runs on this brand's replies this week, and which rules blocked them.
  const lintScope = and(
    gte(replyLints.createdAt, start),
    lt(replyLints.createdAt, end),
    sql`${replyLints.replyId} in (select ${replies.id} from ${replies} join ${mentionBrands} on ${mentionBrands.mentionId} = ${replies.mentionId} where ${mentionBrands.brandId} = ${brandId})`,
  );
  const [lintCounts] = await db
    .select({
      runs: sql<number>`count(*)`,
      blocked: sql<number>`coalesce(sum(case when ${replyLints.ok} = 0 then 1 else 0 end), 0)`,
    })
    .from(replyLints)
    .where(lintScope);
  const ruleRows = await db
    .select({ rule: sql<string>`json_extract(v.value, '$.rule')`, n: sql<number>`count(*)` })
    .from(sql`${replyLints}, json_each(${replyLints.violations}) v`)
    .where(and(lintScope, eq(replyLints.ok, false)))
    .groupBy(sql`1`)
    .orderBy(desc(sql`count(*)`))
    .limit(5);

  // Recovery: answered authors whose later posts showed whether their tone recovered (cases opened in 30 days).
  const [recoveryRow] = await db
    .select({
      judged: sql<number>`count(${cases.recovered})`,
      recovered: sql<number>`coalesce(sum(case when ${cases.recovered} = 1 then 1 else 0 end), 0)`,
    })
    .from(cases)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, cases.rootMentionId))
    .where(
      and(inBrand, gte(cases.openedAt, new Date(end.getTime() - 30 * 86_400_000)), lt(cases.openedAt, end)),
    );

  const notableRows = await db
    .select(postColumns)
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(inBrand, relevantOnly, inSpan(start, end), sql`${mentions.groupId} = ${mentions.id}`))
    .orderBy(desc(severityOrder), desc(sql`coalesce(${mentions.reach}, 0)`), desc(mentions.createdAt))
    .limit(5);

  const judged = Number(recoveryRow?.judged ?? 0);
  const recovered = Number(recoveryRow?.recovered ?? 0);
  return {
    brand,
    week: formatIsoWeek(week),
    start,
    end,
    partial,
    generatedAt: now,
    volume: {
      total: Number(counts?.total ?? 0),
      relevant,
      previousTotal: Number(previousCounts?.total ?? 0),
      previousRelevant,
      change: previousRelevant > 0 ? (relevant - previousRelevant) / previousRelevant : null,
      byDay,
    },
    categories,
    sources: sourceRows.map((r) => ({ name: r.name, type: r.type, count: Number(r.n) })),
    spikes: spikeList,
    response: {
      answered: minutesToReply.length,
      medianFirstResponseMinutes: median(minutesToReply),
      withinSla: slaDecided > 0 ? slaMet / slaDecided : null,
      slaDecided,
      openBacklog: Number(backlog?.open ?? 0),
      overdue: Number(backlog?.overdue ?? 0),
    },
    rightsEvents: rightsRows.map((r) => ({ flag: r.flag, count: Number(r.n) })),
    compliance: {
      lintRuns: Number(lintCounts?.runs ?? 0),
      blocked: Number(lintCounts?.blocked ?? 0),
      rules: ruleRows.filter((r) => r.rule).map((r) => ({ rule: r.rule, count: Number(r.n) })),
    },
    recovery: { judged, recovered, rate: judged > 0 ? recovered / judged : null },
    notable: notableRows.map(post),
    links: {
      feed: feedLink(base, { brand: brand.slug, since: start, until: end }),
      dashboard: `${base}/`,
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
const RIGHTS_WORDS: Record<string, string> = {
  dispute: "Disputes",
  cease_contact: "Cease contact",
  attorney: "Attorney",
  bankruptcy: "Bankruptcy",
  identity_theft: "Identity theft",
};
const hours = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

function toPost(p: DigestPost, note?: string): AssembledPost {
  return {
    text: p.textMasked,
    source: p.sourceName,
    url: p.link,
    createdAt: p.createdAt.toISOString(),
    reach: p.reach,
    ...(note ? { note } : {}),
  };
}

function periodLabel(start: Date, endExclusive: Date): string {
  const last = new Date(endExclusive.getTime() - 1);
  const day = (d: Date) => d.getUTCDate();
  const month = (d: Date) => d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  if (start.getUTCMonth() === last.getUTCMonth())
    return `${day(start)}–${day(last)} ${month(last)} ${last.getUTCFullYear()}`;
  return `${day(start)} ${month(start)} – ${day(last)} ${month(last)} ${last.getUTCFullYear()}`;
}

/** The facts in the shape the e-mail assembler takes. */
export function toDigestData(f: DigestFacts): DigestData {
  const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  return {
    brand: f.brand.name,
    week: f.week,
    periodLabel: periodLabel(f.start, new Date(f.start.getTime() + 7 * 86_400_000)),
    partial: f.partial,
    volume: {
      total: f.volume.total,
      previousWeek: f.volume.previousTotal,
      relevant: f.volume.relevant,
      byDay: f.volume.byDay.map((d, i) => ({ label: weekdays[i] ?? d.date, count: d.relevant })),
    },
    grievances: f.categories.map((c) => ({
      category: c.category as DigestData["grievances"][number]["category"],
      label: CATEGORY_WORDS[c.category] ?? c.category.replace(/_/g, " "),
      count: c.count,
      previousWeek: c.previousWeek,
      examples: c.examples.map((e) => toPost(e)),
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
    response: {
      medianFirstReplyMinutes: f.response.medianFirstResponseMinutes,
      withinSlaShare: f.response.withinSla,
      slaLabel: `first reply within ${hours(DEFAULT_SLA_MINUTES.critical)} critical, ${hours(DEFAULT_SLA_MINUTES.high)} high`,
      replied: f.response.answered,
      openBacklog: f.response.openBacklog,
      overdue: f.response.overdue,
    },
    rightsEvents: f.rightsEvents.map((e) => ({
      label: RIGHTS_WORDS[e.flag] ?? e.flag.replace(/_/g, " "),
      count: e.count,
    })),
    complianceBlocks: f.compliance.rules.map((r) => ({
      rule: r.rule,
      label: (RULES[r.rule as RuleCode]?.title ?? "").toLowerCase(),
      count: r.count,
    })),
    // Of the answered customers whose later posts showed a tone either way.
    recovery: { answered: f.recovery.judged, recovered: f.recovery.recovered },
    notable: f.notable.map((p) =>
      toPost(p, [p.severity, p.category?.replace(/_/g, " ")].filter(Boolean).join(", ")),
    ),
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

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
