// Cron arithmetic on node-cron's own matcher, so "due", "next run" and the live scheduler agree.
import cron from "node-cron";

const matchers = new Map<string, (date: Date) => boolean>();

function matcher(expression: string): (date: Date) => boolean {
  let match = matchers.get(expression);
  if (!match) {
    const task = cron.createTask(expression, () => {});
    match = (date: Date) => task.match(date);
    matchers.set(expression, match);
  }
  return match;
}

const MINUTE = 60_000;
const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

/** The first minute after `after` that the expression fires, looking at most `horizonDays` ahead. */
export function nextRun(expression: string, after: Date, horizonDays = 8): Date | null {
  const match = matcher(expression);
  const end = after.getTime() + horizonDays * 24 * 60 * MINUTE;
  for (let t = floorMinute(after.getTime()) + MINUTE; t <= end; t += MINUTE) {
    if (match(new Date(t))) return new Date(t);
  }
  return null;
}

/** Due when the expression fired at some minute after the last run, up to now (a missed run still runs once). */
export function isDue(expression: string, lastRunAt: Date | null, now: Date): boolean {
  if (!lastRunAt) return true;
  const next = nextRun(expression, lastRunAt);
  return next !== null && next.getTime() <= now.getTime();
}
