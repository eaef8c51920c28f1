// Schedules and instants as people say them: "every 15 minutes", "4 minutes ago", "in 11 minutes". Pages show
// these, never a cron string (the CLI and the API keep cron, which operators and scripts write). Pure.

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
const isInt = (text: string) => /^\d{1,2}$/.test(text);
const clock = (hour: string, minute: string) => `${hour.padStart(2, "0")}:${minute.padStart(2, "0")}`;

/** The schedules the dashboard offers, in words; a stored schedule outside this list is shown by describeSchedule. */
export const SCHEDULE_CHOICES: readonly { cron: string; words: string }[] = [
  "*/5 * * * *",
  "*/15 * * * *",
  "*/30 * * * *",
  "0 * * * *",
  "0 */6 * * *",
  "0 6 * * *",
].map((cron) => ({ cron, words: describeSchedule(cron) }));

/**
 * A five-field cron expression in words. Covers what people actually schedule (every N minutes or hours, hourly,
 * daily, weekly at a time); anything else is "a custom schedule", and the page shows its next run beside it.
 */
export function describeSchedule(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return "a custom schedule";
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  if (day !== "*" || month !== "*") return "a custom schedule";
  const step = (field: string) => /^\*\/(\d{1,2})$/.exec(field)?.[1];
  if (hour === "*" && weekday === "*") {
    if (minute === "*") return "every minute";
    const every = step(minute);
    if (every) return Number(every) === 1 ? "every minute" : `every ${plural(Number(every), "minute")}`;
    if (isInt(minute)) return minute === "0" ? "every hour" : `every hour at ${Number(minute)} past`;
    return "a custom schedule";
  }
  if (!isInt(minute)) return "a custom schedule";
  const everyHours = step(hour);
  if (everyHours && weekday === "*")
    return `every ${plural(Number(everyHours), "hour")}${minute === "0" ? "" : ` at ${Number(minute)} past`}`;
  const hours = hour.split(",");
  if (!hours.every(isInt)) return "a custom schedule";
  const times = hours.map((h) => clock(h, minute));
  const at = times.length === 1 ? times[0] : `${times.slice(0, -1).join(", ")} and ${times.at(-1)}`;
  if (weekday === "*") return `every day at ${at}`;
  if (weekday === "1-5") return `every weekday at ${at}`;
  const days = weekday.split(",");
  if (days.every((d) => /^[0-7]$/.test(d)))
    return `every ${days.map((d) => WEEKDAYS[Number(d) % 7]).join(" and ")} at ${at}`;
  return "a custom schedule";
}

/** How far `then` is from `now` in words: "just now", "4 minutes ago", "in 2 hours", "3 days ago". */
export function timeFromNow(then: Date, now: Date): string {
  const ms = then.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const minutes = Math.round(abs / 60_000);
  if (minutes < 1) return ms > 0 ? "in under a minute" : "just now";
  const hours = Math.round(abs / 3_600_000);
  const days = Math.round(abs / 86_400_000);
  const amount =
    minutes < 60 ? plural(minutes, "minute") : hours < 48 ? plural(hours, "hour") : plural(days, "day");
  return ms > 0 ? `in ${amount}` : `${amount} ago`;
}
