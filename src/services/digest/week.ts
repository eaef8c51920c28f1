// ISO weeks (YYYY-Www, Monday first) and "Monday 08:00 where the reader lives".
// (Kept here because src/domain/digest had no week helpers when the digest wiring was written.)
const DAY_MS = 86_400_000;

export interface IsoWeek {
  year: number;
  week: number;
}

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function parseIsoWeek(text: string): IsoWeek | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

/** The ISO week a calendar date (Y-M-D, no time zone) falls in. */
export function isoWeekOfDate(year: number, month: number, day: number): IsoWeek {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date.getTime() + (3 - weekday) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * DAY_MS;
  return {
    year: isoYear,
    week: 1 + Math.round((thursday.getTime() - 3 * DAY_MS - firstMonday) / (7 * DAY_MS)),
  };
}

/** The ISO week of an instant as seen in a time zone (UTC by default). */
export function isoWeekOf(instant: Date, timeZone = "UTC"): IsoWeek {
  const local = localParts(instant, timeZone);
  return isoWeekOfDate(local.year, local.month, local.day);
}

function weeksInYear(year: number): number {
  // A year has 53 ISO weeks when Dec 28 falls in week 53.
  return isoWeekOfDate(year, 12, 28).week;
}

/** Monday of the ISO week as a calendar date. */
export function mondayOf({ year, week }: IsoWeek): { year: number; month: number; day: number } {
  const jan4 = Date.UTC(year, 0, 4);
  const monday = new Date(jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (week - 1) * 7 * DAY_MS);
  return { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
}

/** [Monday 00:00, next Monday 00:00) in UTC: the span a digest counts. */
export function weekRange(week: IsoWeek): { start: Date; end: Date } {
  const m = mondayOf(week);
  const start = new Date(Date.UTC(m.year, m.month - 1, m.day));
  return { start, end: new Date(start.getTime() + 7 * DAY_MS) };
}

export function shiftWeek(week: IsoWeek, by: number): IsoWeek {
  const { start } = weekRange(week);
  return isoWeekOf(new Date(start.getTime() + by * 7 * DAY_MS + DAY_MS));
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function localParts(instant: Date, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
  };
}

/** The instant when a wall-clock time happens in a time zone (the later one if a DST jump skips it). */
export function zonedInstant(
  local: Omit<LocalParts, "minute"> & { minute?: number },
  timeZone: string,
): Date {
  const wanted = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute ?? 0);
  let guess = wanted;
  // Two corrections converge for every real zone (offsets change at most once around a given instant).
  for (let i = 0; i < 2; i++) {
    const seen = localParts(new Date(guess), timeZone);
    const seenMs = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    guess += wanted - seenMs;
  }
  return new Date(guess);
}

/** Monday 08:00 of the ISO week in the reader's time zone: when that week's digest (of the week before) is due. */
export function digestDueAt(week: IsoWeek, timeZone: string, hour = 8): Date {
  return zonedInstant({ ...mondayOf(week), hour }, timeZone);
}
