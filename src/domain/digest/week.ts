// ISO weeks (YYYY-Www) and wall-clock times in a recipient's IANA time zone, with Intl only.
// A director in Los Angeles gets the digest at 08:00 on Monday in Los Angeles, whatever the server's zone.

export interface IsoWeek {
  year: number;
  week: number;
}

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

const DAY_MS = 86_400_000;

/** Weeks in an ISO year: 53 when 1 January is a Thursday, or a Wednesday in a leap year. */
export function isoWeeksInYear(year: number): number {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

export function parseIsoWeek(value: string): IsoWeek | null {
  const m = /^(\d{4})-?W(\d{2})$/i.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > isoWeeksInYear(year)) return null;
  return { year, week };
}

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`;
}

/** The ISO week of a calendar date (year, month 1–12, day). */
export function isoWeekOfDate(year: number, month: number, day: number): IsoWeek {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(date + (3 - weekday) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year: isoYear, week };
}

/** The wall-clock fields of an instant in a time zone. */
export function localFields(instant: Date, timeZone: string): Required<LocalDateTime> {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
  };
}

/** The ISO week an instant falls in, by the calendar of `timeZone`. */
export function isoWeekOf(instant: Date, timeZone = "UTC"): IsoWeek {
  const f = localFields(instant, timeZone);
  return isoWeekOfDate(f.year, f.month, f.day);
}

function offsetMs(instant: number, timeZone: string): number {
  const f = localFields(new Date(instant), timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant of a wall-clock time in a time zone. A time skipped by a DST change (02:30 on the spring-forward
 * night) resolves to the instant after the gap; a repeated time resolves to its first occurrence.
 */
export function zonedTimeToUtc(local: LocalDateTime, timeZone: string): Date {
  const guess = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour ?? 0,
    local.minute ?? 0,
    local.second ?? 0,
  );
  const first = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(first, timeZone);
  if (first === second) return new Date(first);
  // Around a change the two candidates differ; keep one that shows the asked-for wall time, else the later.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const candidate of candidates) {
    const f = localFields(new Date(candidate), timeZone);
    if (f.hour === (local.hour ?? 0) && f.minute === (local.minute ?? 0) && f.day === local.day)
      return new Date(candidate);
  }
  return new Date(Math.max(first, second));
}

/** The calendar date of the Monday of an ISO week. */
export function mondayOf({ year, week }: IsoWeek): { year: number; month: number; day: number } {
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  const monday = new Date(jan4 - jan4Weekday * DAY_MS + (week - 1) * 7 * DAY_MS);
  return { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
}

export function addWeeks(w: IsoWeek, weeks: number): IsoWeek {
  const m = mondayOf(w);
  const date = new Date(Date.UTC(m.year, m.month - 1, m.day) + weeks * 7 * DAY_MS);
  return isoWeekOfDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** [start, end) of an ISO week in a time zone: Monday 00:00 local to the next Monday 00:00 local, as UTC instants. */
export function weekBounds(w: IsoWeek, timeZone = "UTC"): { start: Date; end: Date } {
  const next = mondayOf(addWeeks(w, 1));
  return { start: zonedTimeToUtc(mondayOf(w), timeZone), end: zonedTimeToUtc(next, timeZone) };
}

/** Monday of week `w` at `hour`:`minute` in `timeZone`, as a UTC instant (the digest's delivery time). */
export function mondayAt(w: IsoWeek, timeZone: string, hour = 8, minute = 0): Date {
  return zonedTimeToUtc({ ...mondayOf(w), hour, minute }, timeZone);
}

/**
 * The next digest delivery at or after `now`: Monday `hour`:`minute` in the recipient's zone, and the week it
 * reports on (the full week before it).
 */
export function nextDigestDelivery(
  now: Date,
  timeZone: string,
  hour = 8,
  minute = 0,
): { sendAt: Date; reportWeek: IsoWeek } {
  let week = isoWeekOf(now, timeZone);
  let sendAt = mondayAt(week, timeZone, hour, minute);
  if (sendAt.getTime() < now.getTime()) {
    week = addWeeks(week, 1);
    sendAt = mondayAt(week, timeZone, hour, minute);
  }
  return { sendAt, reportWeek: addWeeks(week, -1) };
}
