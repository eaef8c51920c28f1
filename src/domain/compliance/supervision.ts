// Supervision: how often each person's drafts were stopped, by rule and by week, so a compliance officer coaches
// the person rather than the text. Three kinds of stop, each one event in the audit log:
// - blocked at submit: the writer pressed submit and a blocking rule (B1–B12) refused it (the submitter is coached);
// - stopped at approval: the linter refused it when a manager approved, and it went back (its author is coached);
// - warnings accepted: a manager let a house-style gap through with a written reason (its author is coached).
// An event counts once per kind; per rule it counts once for each distinct rule it hit.
import {
  addWeeks,
  formatIsoWeek,
  type IsoWeek,
  isoWeekOf,
  parseIsoWeek,
  weekBounds,
} from "../digest/week.js";
import { RULES, type RuleCode } from "./rules.js";

export const STOP_KINDS = ["blocked_submit", "approval_stopped", "warnings_accepted"] as const;
export type StopKind = (typeof STOP_KINDS)[number];

export const STOP_KIND_WORDS: Record<StopKind, string> = {
  blocked_submit: "Blocked at submit",
  approval_stopped: "Stopped at approval",
  warnings_accepted: "Warnings accepted",
};

/** The audit actions each kind is recorded as. */
export const STOP_ACTIONS: Record<StopKind, string> = {
  blocked_submit: "reply.submit_blocked",
  approval_stopped: "reply.approval_stopped",
  warnings_accepted: "reply.warnings_accepted",
};

/** "Confirms a relationship or a debt (B1)", "Shows empathy (house style)": the plain name, then what it is. */
export function plainRuleName(code: string): string {
  const rule = RULES[code as RuleCode];
  if (!rule) return code;
  return `${rule.title} (${rule.kind === "block" ? code : "house style"})`;
}

export interface StopEvent {
  at: Date;
  kind: StopKind;
  personId: number;
  /** The reply (draft) it happened to: one draft blocked twice is two stops of one reply. */
  replyId: number;
  rules: readonly string[];
}

type KindCounts = Record<StopKind, number>;
const zero = (): KindCounts => ({ blocked_submit: 0, approval_stopped: 0, warnings_accepted: 0 });

export interface PersonStops {
  personId: number;
  total: number;
  byKind: KindCounts;
  /** Most frequent first. */
  byRule: { rule: string; count: number }[];
  /** One count per week of `weeks`, oldest first. */
  byWeek: number[];
}

export interface SupervisionSummary {
  /** ISO weeks (YYYY-Www), oldest first. */
  weeks: string[];
  total: number;
  byKind: KindCounts;
  /** Distinct replies blocked at submit or stopped at approval (accepted warnings are not stops: they went on). */
  stoppedReplies: number;
  people: PersonStops[];
  rules: { rule: string; count: number; people: number }[];
  weekly: { week: string; total: number; byKind: KindCounts }[];
}

/** The ISO weeks (UTC) from the week holding `until` back `count` weeks, oldest first, and their span. */
export function supervisionWeeks(until: Date, count: number): { weeks: IsoWeek[]; from: Date; until: Date } {
  const last = isoWeekOf(until);
  const weeks = Array.from({ length: count }, (_, i) => addWeeks(last, i - count + 1));
  return { weeks, from: weekBounds(weeks[0]!).start, until: weekBounds(last).end };
}

const byCountThenName = (a: { rule: string; count: number }, b: { rule: string; count: number }) =>
  b.count - a.count || a.rule.localeCompare(b.rule, "en", { numeric: true });

export function summarizeStops(events: readonly StopEvent[], weeks: readonly IsoWeek[]): SupervisionSummary {
  const labels = weeks.map(formatIsoWeek);
  const index = new Map(labels.map((w, i) => [w, i]));
  const people = new Map<number, { byKind: KindCounts; rules: Map<string, number>; byWeek: number[] }>();
  const rules = new Map<string, { count: number; people: Set<number> }>();
  const weekly = labels.map((week) => ({ week, total: 0, byKind: zero() }));
  const byKind = zero();
  const stopped = new Set<number>();
  let total = 0;
  for (const e of events) {
    const w = index.get(formatIsoWeek(isoWeekOf(e.at)));
    if (w === undefined) continue;
    total++;
    byKind[e.kind]++;
    if (e.kind !== "warnings_accepted") stopped.add(e.replyId);
    weekly[w]!.total++;
    weekly[w]!.byKind[e.kind]++;
    let person = people.get(e.personId);
    if (!person) {
      person = { byKind: zero(), rules: new Map(), byWeek: labels.map(() => 0) };
      people.set(e.personId, person);
    }
    person.byKind[e.kind]++;
    person.byWeek[w]!++;
    for (const rule of new Set(e.rules)) {
      person.rules.set(rule, (person.rules.get(rule) ?? 0) + 1);
      const r = rules.get(rule) ?? { count: 0, people: new Set<number>() };
      r.count++;
      r.people.add(e.personId);
      rules.set(rule, r);
    }
  }
  return {
    weeks: labels,
    total,
    byKind,
    stoppedReplies: stopped.size,
    people: [...people.entries()]
      .map(([personId, p]) => ({
        personId,
        total: STOP_KINDS.reduce((n, k) => n + p.byKind[k], 0),
        byKind: p.byKind,
        byRule: [...p.rules.entries()].map(([rule, count]) => ({ rule, count })).sort(byCountThenName),
        byWeek: p.byWeek,
      }))
      .sort((a, b) => b.total - a.total || a.personId - b.personId),
    rules: [...rules.entries()]
      .map(([rule, r]) => ({ rule, count: r.count, people: r.people.size }))
      .sort(byCountThenName),
    weekly,
  };
}

/** "16–22 Nov 2026" for "2026-W47": weeks in words, not codes. */
export function weekWords(label: string): string {
  const week = parseIsoWeek(label);
  if (!week) return label;
  const { start } = weekBounds(week);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  const month = (d: Date) => d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  return start.getUTCMonth() === end.getUTCMonth()
    ? `${start.getUTCDate()}–${end.getUTCDate()} ${month(end)} ${end.getUTCFullYear()}`
    : `${start.getUTCDate()} ${month(start)} – ${end.getUTCDate()} ${month(end)} ${end.getUTCFullYear()}`;
}
