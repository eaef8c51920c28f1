// The CFPB response clock. A complaint the CFPB sends to a company through its portal must get a company response
// within 15 calendar days and a final response within 60 days of the day the company received it (the CFPB's
// `date_sent_to_company`). The portal keeps its dates as US Eastern calendar days, so every day here is an Eastern
// calendar day: a deadline falls due at the end of its day in New York, whatever the server's or viewer's zone.
//
// Two kinds of complaint carry the clock: those that came through the CFPB connector (`portal`: the day is the
// CFPB's own), and posts elsewhere saying a complaint was filed with the CFPB (`reported`: the day is estimated
// from the post's date, which is on or before the day the CFPB can have sent it, so the estimate is never late).

export const CFPB_TIME_ZONE = "America/New_York";
export const COMPANY_RESPONSE_DAYS = 15;
export const FINAL_RESPONSE_DAYS = 60;
/** Slack reminders go out when this many calendar days (or fewer) are left before each deadline. */
export const REMINDER_LEAD_DAYS = [3, 1] as const;
/** Today and the digest count complaints "due within" this many days. */
export const DUE_SOON_DAYS = 3;

/**
 * Words a post uses when it says a complaint went to the CFPB. Matched as plain case-insensitive substrings (no
 * regex over hostile text), and the SQL pre-filter (services/compliance/cfpb-complaints.ts) uses the same list
 * with LIKE, so the database and this function pick the same posts.
 */
export const CFPB_PHRASES = ["cfpb", "consumer financial protection", "consumerfinance.gov"] as const;

/** A post flagged `regulator` (CFPB, attorney general or BBB) that names the CFPB: a reported CFPB complaint. */
export function reportsCfpbComplaint(text: string, flags: readonly string[]): boolean {
  if (!flags.includes("regulator")) return false;
  const lower = text.toLowerCase();
  return CFPB_PHRASES.some((phrase) => lower.includes(phrase));
}

// --- calendar days -----------------------------------------------------------------------------------------

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(day: string): number {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a calendar day (YYYY-MM-DD): ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function calendarDay(instant: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(day: string, days: number): string {
  return new Date(parseDay(day) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parseDay(to) - parseDay(from)) / 86_400_000);
}

/** "Dec 21" (with the year when it is not `today`'s year). */
export function dayLabel(day: string, today?: string): string {
  const date = new Date(parseDay(day));
  const sameYear = today !== undefined && today.slice(0, 4) === day.slice(0, 4);
  return date.toLocaleDateString("en-US", {
    timeZone: "UTC",
    month: "short",
    day: "numeric",
    ...(sameYear ? {} : { year: "numeric" }),
  });
}

// --- the clock ---------------------------------------------------------------------------------------------

export type CfpbOrigin = "portal" | "reported";

export interface CfpbClockInput {
  origin: CfpbOrigin;
  /** The Eastern calendar day the company received the complaint (see receivedDayOf). */
  receivedDay: string;
  /** Recorded by a person (complaint_responses). */
  respondedAt: Date | null;
  finalAt: Date | null;
  /** The CFPB's published `company_response` ("Closed with explanation", "In progress", …), portal complaints only. */
  portalResponse?: string | null;
}

export type CfpbStage = "response" | "final" | "closed";

export interface CfpbClock {
  origin: CfpbOrigin;
  receivedDay: string;
  responseDueDay: string;
  finalDueDay: string;
  /** What is awaited: the company response, the final response, or nothing (closed). */
  stage: CfpbStage;
  /** The deadline of the stage (null when closed). */
  dueDay: string | null;
  /** Calendar days from today (Eastern) to `dueDay`: 0 due today, negative overdue by that many (null when closed). */
  daysLeft: number | null;
  overdue: boolean;
  /** The company response was recorded after its day, or never: counted as "past the 15-day response". */
  responseLate: boolean;
  /** Closed by the CFPB's published company response rather than a person's record. */
  closedByPortal: boolean;
}

/**
 * The day the company received a complaint. Portal: the CFPB's date sent to the company, else its date received
 * (both are Eastern days written as `YYYY-MM-DDT12:00:00-05:00`; the day is the part before the T). Reported: the
 * post's day in Eastern time.
 */
export function receivedDayOf(input: {
  origin: CfpbOrigin;
  dateSentToCompany?: string | null;
  dateReceived?: string | null;
  postedAt: Date;
}): string {
  if (input.origin === "portal") {
    for (const value of [input.dateSentToCompany, input.dateReceived]) {
      const day = value?.slice(0, 10);
      if (day && DAY.test(day)) return day;
    }
  }
  return calendarDay(input.postedAt, CFPB_TIME_ZONE);
}

/** The CFPB closes a complaint with a "Closed…" company response; "In progress" and "Untimely response" do not. */
export function portalClosed(portalResponse: string | null | undefined): boolean {
  return typeof portalResponse === "string" && /^closed/i.test(portalResponse.trim());
}

export function cfpbClock(input: CfpbClockInput, now: Date): CfpbClock {
  const today = calendarDay(now, CFPB_TIME_ZONE);
  const responseDueDay = addDays(input.receivedDay, COMPANY_RESPONSE_DAYS);
  const finalDueDay = addDays(input.receivedDay, FINAL_RESPONSE_DAYS);
  const closedByPortal =
    input.origin === "portal" && input.finalAt === null && portalClosed(input.portalResponse);
  const responded = input.respondedAt !== null || input.finalAt !== null || closedByPortal;
  const respondedDay =
    (input.respondedAt ?? input.finalAt)
      ? calendarDay((input.respondedAt ?? input.finalAt)!, CFPB_TIME_ZONE)
      : null;
  const stage: CfpbStage =
    input.finalAt !== null || closedByPortal ? "closed" : responded ? "final" : "response";
  const dueDay = stage === "response" ? responseDueDay : stage === "final" ? finalDueDay : null;
  const daysLeft = dueDay === null ? null : daysBetween(today, dueDay);
  const responseLate = responded
    ? respondedDay !== null && respondedDay > responseDueDay
    : daysBetween(today, responseDueDay) < 0;
  return {
    origin: input.origin,
    receivedDay: input.receivedDay,
    responseDueDay,
    finalDueDay,
    stage,
    dueDay,
    daysLeft,
    overdue: daysLeft !== null && daysLeft < 0,
    responseLate,
    closedByPortal,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The clock in words, for the queue row and the mention page: "Company response due in 5 days (Dec 21)". */
export function cfpbClockWords(clock: CfpbClock, now: Date): string {
  const today = calendarDay(now, CFPB_TIME_ZONE);
  if (clock.stage === "closed")
    return clock.closedByPortal ? "Closed in the CFPB portal" : "Final response sent";
  const what = clock.stage === "response" ? "Company response" : "Final response";
  const due = dayLabel(clock.dueDay!, today);
  const left = clock.daysLeft!;
  if (left < 0) return `${what} ${plural(-left, "day", "days")} overdue (was due ${due})`;
  if (left === 0) return `${what} due today (${due}, by midnight Eastern)`;
  if (left === 1) return `${what} due tomorrow (${due})`;
  return `${what} due in ${plural(left, "day", "days")} (${due})`;
}

/** Open (not closed), and what Today and the digest count of them. */
export interface CfpbTally {
  open: number;
  /** Open, not overdue, and due within DUE_SOON_DAYS days (the current stage's deadline). */
  dueSoon: number;
  /** No company response recorded and past its 15th day. */
  pastResponse: number;
  /** Company response recorded, no final response, past its 60th day. */
  pastFinal: number;
}

export function tallyCfpb(clocks: readonly CfpbClock[]): CfpbTally {
  const open = clocks.filter((c) => c.stage !== "closed");
  return {
    open: open.length,
    dueSoon: open.filter((c) => !c.overdue && c.daysLeft !== null && c.daysLeft <= DUE_SOON_DAYS).length,
    pastResponse: open.filter((c) => c.stage === "response" && c.overdue).length,
    pastFinal: open.filter((c) => c.stage === "final" && c.overdue).length,
  };
}

/** "CFPB complaints: 4 open; 1 due within 3 days; 0 past the 15-day response" */
export function cfpbTallyLine(t: CfpbTally): string {
  const parts = [
    `${t.open} open`,
    `${t.dueSoon} due within ${DUE_SOON_DAYS} days`,
    `${t.pastResponse} past the ${COMPANY_RESPONSE_DAYS}-day response`,
  ];
  if (t.pastFinal > 0) parts.push(`${t.pastFinal} past the ${FINAL_RESPONSE_DAYS}-day final response`);
  return `CFPB complaints: ${parts.join("; ")}`;
}

export interface CfpbReminder {
  stage: "response" | "final";
  /** Days before the deadline this reminder is for (3, 1), or 0: the deadline passed. */
  lead: number;
  dueDay: string;
  /** Stable across runs: the outbox's idempotency key is built from it, so a reminder is queued once. */
  key: string;
}

/**
 * The one reminder due now for a complaint, or null. The smallest lead whose window has opened wins, so a job
 * that ran late (or a complaint that arrived with one day left) sends the one-day reminder, not a stale three-day
 * one; a window already reminded is deduplicated by the key. An overdue notice goes out only for a deadline that
 * passed after Rapport stored the complaint: a backfill of old complaints must not flood the channel.
 */
export function reminderDue(clock: CfpbClock, storedAt: Date, mentionId: number): CfpbReminder | null {
  if (clock.stage === "closed" || clock.dueDay === null || clock.daysLeft === null) return null;
  const stage = clock.stage;
  const base = `cfpb:${mentionId}:${stage}:${clock.dueDay}`;
  if (clock.daysLeft < 0) {
    const storedDay = calendarDay(storedAt, CFPB_TIME_ZONE);
    if (storedDay > clock.dueDay) return null;
    return { stage, lead: 0, dueDay: clock.dueDay, key: `${base}:overdue` };
  }
  const lead = [...REMINDER_LEAD_DAYS].sort((a, b) => a - b).find((l) => clock.daysLeft! <= l);
  if (lead === undefined) return null;
  return { stage, lead, dueDay: clock.dueDay, key: `${base}:${lead}d` };
}

/** The final responses a company can give in the CFPB portal (its `company_response` values). */
export const CFPB_OUTCOMES = [
  "Closed with explanation",
  "Closed with monetary relief",
  "Closed with non-monetary relief",
  "Closed",
] as const;
export type CfpbOutcome = (typeof CFPB_OUTCOMES)[number];
