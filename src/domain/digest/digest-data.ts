// What a weekly digest says, as plain data and the sentences made from it. The HTML and the plain-text part of
// the e-mail (src/services/digest/email/) both print these sentences, so they cannot disagree, and every
// sentence is written from the numbers it states: no "each was sent" beside a count that was not, no "no customer
// was answered" beside a reply count, no figure whose denominator matters without it.
import { type CfpbTally, cfpbTallyLine } from "../compliance/cfpb-clock.js";
import { plainRuleName, STOP_KIND_WORDS, STOP_KINDS, type StopKind } from "../compliance/supervision.js";
import type { Category } from "../taxonomy.js";

export interface DigestPost {
  /** Masked text. */
  text: string;
  source: string;
  url?: string | null;
  author?: string | null;
  createdAt?: string | null;
  reach?: number | null;
  /** Why it is shown and how sure the classification is ("critical, legal threats, confirmed by a person"). */
  note?: string | null;
}

export interface DigestSpike {
  /** What spiked ("payment service complaints on X"). */
  subject: string;
  /** Start of the first spike hour (ISO). */
  ts: string;
  /** The busiest hour's count, and what that hour expected. */
  count: number;
  expected: number;
  /** Over-represented terms, strongest first. */
  terms: string[];
  examples?: DigestPost[];
  feedUrl?: string | null;
}

export interface DigestData {
  brand: string;
  /** ISO week, YYYY-Www. */
  week: string;
  /** Human dates of the week ("16–22 Nov 2026"). */
  periodLabel: string;
  /** True when the week is not over yet (on-demand digest mid-week): comparisons are to the same part of last week. */
  partial?: boolean;
  volume: {
    total: number;
    previousWeek: number;
    relevant: number;
    /** Of the relevant ones, how many a person classified or confirmed. */
    confirmed: number;
    byDay: { label: string; count: number }[];
  };
  grievances: {
    category: Category;
    label: string;
    count: number;
    /** How many of them a person classified or confirmed. */
    confirmed: number;
    previousWeek: number;
    /** Only confidently classified or person-confirmed posts. */
    examples: DigestPost[];
  }[];
  sources: { name: string; count: number }[];
  spikes: DigestSpike[];
  /** "Was this alert useful?" over the listed spikes (each by its latest answer). */
  spikeFeedback?: { alerts: number; useful: number; notUseful: number; unanswered: number };
  response: {
    /** "first response within 1 h critical, 4 h high, …" */
    slaLabel: string;
    /** Relevant mentions posted this week with a clock, and what became of them (see sla-performance.ts). */
    clocked: number;
    inTime: number;
    late: number;
    missed: number;
    pending: number;
    arrivedOverdue: number;
    medianFirstResponseMinutes: number | null;
    /** Public replies posted this week. */
    repliesPosted: number;
    /** The queue at the time of writing (any week). */
    openBacklog: number;
    overdue: number;
    openArrivedOverdue: number;
  };
  rightsEvents: {
    flag: string;
    /** Mentions of the week carrying the flag. */
    mentions: number;
    /** Of those, linked to an account and recorded as a dated event for the collections system. */
    sentAsEvents: number;
    /** Of those, with no confirmed account link yet. */
    awaitingLink: number;
  }[];
  compliance: {
    /** Distinct replies the compliance check stopped at least once this week. */
    repliesStopped: number;
    /** Per rule: how many of those replies it stopped. */
    rules: { rule: string; label: string; replies: number }[];
  };
  recovery: {
    /** Customers who got a public reply in the last 30 days (cases opened). */
    answered30Days: number;
    /** Of those, whose later posts showed a tone either way. */
    judged: number;
    recovered: number;
  };
  notable: DigestPost[];
  dashboardUrl?: string | null;
  /** The brand's CFPB complaints now (their 15- and 60-day response clocks). */
  cfpb?: CfpbTally;
  /** Compliance events this week (stops and accepted warnings), per person to coach (replies on the brand's mentions). */
  supervision?: {
    /** Events of every kind: a draft blocked twice counts twice. */
    stops: number;
    byKind: Record<StopKind, number>;
    /** Distinct replies blocked at submit or stopped at approval. */
    stoppedReplies: number;
    people: {
      name: string;
      stops: number;
      byKind: Record<StopKind, number>;
      rules: { rule: string; count: number }[];
    }[];
  };
}

// --- words ------------------------------------------------------------------------------------------------

export const number = (n: number) => n.toLocaleString("en-US");
const count = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;
export const percent = (share: number) => `${Math.round(share * 100)}%`;

export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(minutes < 600 ? 1 : 0)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

/** "+25%", "−10%", "no change"; null when last week had none (a change from zero is no percentage). */
export function changeFromLastWeek(current: number, previous: number): string | null {
  if (previous === 0) return null;
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.005) return "no change";
  return `${change > 0 ? "+" : "−"}${Math.round(Math.abs(change) * 100)}%`;
}

const lastWeek = (d: DigestData) => (d.partial ? "by this time last week" : "last week");

/** "120 mentions this week, vs 0 last week" (the numbers with their labels, and the change when it means one). */
export function headline(d: DigestData): string {
  const change = changeFromLastWeek(d.volume.total, d.volume.previousWeek);
  return `${count(d.volume.total, "mention", "mentions")} ${d.partial ? "so far this week" : "this week"}, vs ${number(d.volume.previousWeek)} ${lastWeek(d)}${change ? ` (${change})` : ""}`;
}

export function subject(d: DigestData): string {
  return `${d.brand} weekly digest, ${d.week}${d.partial ? " (so far)" : ""}: ${headline(d)}`;
}

export function relevantLine(d: DigestData): string {
  if (d.volume.relevant === 0) return "None was about collections.";
  return `${number(d.volume.relevant)} about collections; a person confirmed the classification of ${number(d.volume.confirmed)} of them, the model classified the rest.`;
}

export function grievanceLine(g: DigestData["grievances"][number]): string {
  return `${g.label}: ${number(g.count)} (${number(g.confirmed)} confirmed by a person; ${number(g.previousWeek)} last week)`;
}

export const NO_GRIEVANCES = "No complaints about collections this week.";
export const NO_SOURCES = "No mentions about collections this week.";
export const NO_SPIKES = "No spikes this week.";
export const NOTHING_NOTABLE =
  "Nothing stood out among the posts the model was sure of or a person confirmed.";

/** "Spike alerts this week: 3; marked useful 1, not useful 1, unanswered 1." (the three add up to the first). */
export function spikeFeedbackLine(f: NonNullable<DigestData["spikeFeedback"]>): string {
  if (f.alerts === 0) return "Spike alerts this week: 0.";
  return `Spike alerts this week: ${number(f.alerts)}; marked useful ${number(f.useful)}, not useful ${number(f.notUseful)}, unanswered ${number(f.unanswered)}.`;
}

export function spikeLine(s: DigestSpike): string {
  const ratio = s.expected > 0 ? `${(s.count / s.expected).toFixed(1)}× normal` : "far above normal";
  // The episode's start, and its busiest hour's count against what that hour expected: they may be different hours.
  return `${s.subject}, from ${s.ts.slice(0, 16).replace("T", " ")} UTC: up to ${count(s.count, "mention", "mentions")} in an hour, about ${number(Math.round(s.expected))} expected then (${ratio}).`;
}

/** The SLA in sentences, each with its denominator. */
export function responseLines(d: DigestData): string[] {
  const r = d.response;
  const decided = r.inTime + r.late + r.missed;
  const lines: string[] = [];
  if (r.clocked === 0) lines.push("No mention this week needed a response.");
  else if (decided === 0)
    lines.push(
      r.pending > 0
        ? `No mention posted this week has reached its deadline yet (${number(r.pending)} still inside their time).`
        : "No mention posted this week reached its deadline in Rapport.",
    );
  else {
    const parts = [`${number(r.inTime)} of ${number(decided)} answered in time`];
    if (r.late > 0) parts.push(`${number(r.late)} answered late`);
    if (r.missed > 0) parts.push(`${number(r.missed)} not answered by the deadline`);
    if (r.pending > 0) parts.push(`${number(r.pending)} still inside their time`);
    lines.push(`${parts.join("; ")} (${r.slaLabel}).`);
  }
  if (r.arrivedOverdue > 0)
    lines.push(
      `${count(r.arrivedOverdue, "post", "posts")} arrived already past ${r.arrivedOverdue === 1 ? "its" : "their"} deadline (found late, e.g. by a backfill): not counted above.`,
    );
  const answered = r.inTime + r.late;
  lines.push(
    r.medianFirstResponseMinutes === null || answered === 0
      ? "No mention posted this week has had a first response yet."
      : `Median time to first response: ${formatDuration(r.medianFirstResponseMinutes)} (over ${count(answered, "answered mention", "answered mentions")}; a reply, or resolved or dismissed).`,
  );
  lines.push(
    r.repliesPosted === 0
      ? "No public reply was posted this week."
      : `${count(r.repliesPosted, "public reply", "public replies")} posted this week.`,
  );
  lines.push(
    `Queue now: ${number(r.openBacklog)} still open, ${number(r.overdue)} overdue${r.openArrivedOverdue > 0 ? `, ${number(r.openArrivedOverdue)} arrived overdue` : ""}.`,
  );
  return lines;
}

const RIGHTS_WORDS: Record<string, string> = {
  dispute: "dispute",
  cease_contact: "cease-contact",
  attorney: "attorney",
  bankruptcy: "bankruptcy",
  identity_theft: "identity-theft",
};

/** "25 dispute mentions; 3 linked to accounts and sent as events; 22 wait for a link" */
export function rightsLine(e: DigestData["rightsEvents"][number]): string {
  const word = RIGHTS_WORDS[e.flag] ?? e.flag.replace(/_/g, " ");
  const parts = [
    `${number(e.mentions)} ${word} ${e.mentions === 1 ? "mention" : "mentions"}`,
    e.sentAsEvents === 1
      ? "1 linked to an account and sent as an event"
      : `${number(e.sentAsEvents)} linked to accounts and sent as events`,
    `${number(e.awaitingLink)} ${e.awaitingLink === 1 ? "waits" : "wait"} for a link`,
  ];
  const other = e.mentions - e.sentAsEvents - e.awaitingLink;
  if (other > 0) parts.push(`${number(other)} linked with no event recorded`);
  return parts.join("; ");
}

export const NO_RIGHTS_EVENTS =
  "No consumer exercised a right (dispute, cease contact, attorney, bankruptcy, identity theft) in public this week.";

/** "1 reply was stopped (B2 amount, date or identifier)" */
export function complianceLine(c: DigestData["compliance"]): string {
  if (c.repliesStopped === 0) return "No reply was stopped by the compliance check.";
  const rules =
    c.repliesStopped === 1
      ? c.rules.map((r) => `${r.rule} ${r.label}`).join("; ")
      : c.rules.map((r) => `${r.rule} ${r.label}: ${number(r.replies)}`).join("; ");
  return `${c.repliesStopped === 1 ? "1 reply was" : `${number(c.repliesStopped)} replies were`} stopped before posting${rules ? ` (${rules})` : ""}.`;
}

/** Never "no customer was answered" beside a reply count: both read `repliesPosted` and the 30-day cases. */
export function recoveryLine(d: DigestData): string {
  const { answered30Days, judged, recovered } = d.recovery;
  const thisWeek = d.response.repliesPosted;
  if (thisWeek === 0 && answered30Days === 0)
    return "No customer was answered in public this week or in the 30 days before.";
  const week =
    thisWeek === 0
      ? "No customer was answered in public this week."
      : `${count(thisWeek, "customer was", "customers were")} answered in public this week.`;
  if (answered30Days === 0) return week;
  const after =
    judged === 0
      ? `none has posted again yet`
      : `${number(judged)} posted again, and ${number(recovered)} of them came back neutral or positive (${percent(recovered / judged)})`;
  return `${week} Of ${count(answered30Days, "customer", "customers")} answered in the last 30 days, ${after}.`;
}

/** "CFPB complaints: 4 open; 1 due within 3 days; 0 past the 15-day response." */
export function cfpbLine(d: DigestData): string {
  return d.cfpb ? `${cfpbTallyLine(d.cfpb)}.` : "CFPB complaints were not counted in this digest.";
}

const kindParts = (byKind: Record<StopKind, number>) =>
  STOP_KINDS.filter((k) => byKind[k] > 0).map(
    (k) => `${number(byKind[k])} ${STOP_KIND_WORDS[k].toLowerCase()}`,
  );

/** The week's stops in sentences: the total by kind, then one line per person with their most frequent rules. */
export function supervisionLines(d: DigestData): string[] {
  const s = d.supervision;
  if (!s) return ["Supervision was not counted in this digest."];
  if (s.stops === 0) return ["No compliance stop and no accepted warning this week."];
  // Stops are events (a draft blocked twice is two), counted apart from the replies they fell on; accepted
  // warnings are not stops: those drafts went on, with a manager's written reason.
  const blocked = s.byKind.blocked_submit;
  const atApproval = s.byKind.approval_stopped;
  const accepted = s.byKind.warnings_accepted;
  const stops = blocked + atApproval;
  const stopPart =
    stops === 0
      ? "No compliance stop this week"
      : `${count(stops, "compliance stop", "compliance stops")} this week (${number(blocked)} blocked at submit, ${number(atApproval)} stopped at approval) across ${count(s.stoppedReplies, "reply", "replies")}`;
  const acceptedPart = `${count(accepted, "approval", "approvals")} accepted warnings with a written reason`;
  return [
    `${stopPart}; ${acceptedPart}.`,
    ...s.people.map((p) => {
      const rules = p.rules
        .slice(0, 3)
        .map((r) => `${plainRuleName(r.rule)} ×${number(r.count)}`)
        .join("; ");
      return `${p.name}: ${kindParts(p.byKind).join(", ")}${rules ? `; most often ${rules}` : ""}.`;
    }),
  ];
}

/** Each section's title, by name (the e-mail's HTML and text parts read them by name, never by position). */
export const DIGEST_SECTION_TITLES = {
  volume: "Volume",
  grievances: "Top grievances",
  sources: "Sources",
  spikes: "Spikes",
  response: "Response performance",
  rights: "Rights events",
  compliance: "Compliance blocks",
  cfpb: "CFPB complaints",
  supervision: "Supervision",
  recovery: "Recovery",
  notable: "Notable posts",
} as const;

/** The section titles in the order the digest shows them. */
export const DIGEST_SECTIONS = Object.values(DIGEST_SECTION_TITLES);
