// `rapport spikes --input <file>`: JSONL hourly counts {"key","ts","count"} in, one JSONL line per detected spike
// {"key","ts","count","expected","score"} out, each hour judged only on the hours before it. No database.
// Added fields (issue 18): "end" (the hour after the episode's last elevated hour; null if it may still go on),
// "hours" (elevated hours in the episode), "peak" (its largest count) and "rule" ("burst": an hour or two far above
// normal; "sustained": three hours in a row well above it). A key with too little history to judge is named on
// stderr (reason insufficient_history), so stdout stays one line per spike. An absent hour is zero mentions, except
// in a key whose median hour over the last day had 20 or more: there it is a gap in the data, judged but never
// read as normal.
import { createReadStream, existsSync } from "node:fs";
import type { Readable } from "node:stream";
import { z } from "zod";
import {
  DEFAULT_SPIKE_OPTIONS,
  detectSpikesByKey,
  type HourlyCount,
  SENSITIVITY_THRESHOLDS,
  type Sensitivity,
} from "../domain/spikes/detect.js";
import { parseCliArgs } from "./args.js";
import { type RowError, readJsonl } from "./jsonl.js";
import { type Command, UsageError } from "./types.js";

// An ISO-8601 hour: date, hour, optional minutes/seconds (which must be zero), optional zone (UTC if absent).
const ISO_HOUR = /^(\d{4}-\d{2}-\d{2})T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseIsoHour(value: string): Date | null {
  const m = ISO_HOUR.exec(value.trim());
  if (!m) return null;
  const [, date, hour, minutes = "00", seconds = "00", fraction = "0", zone = "Z"] = m;
  if (Number(minutes) !== 0 || Number(seconds) !== 0 || Number(fraction) !== 0) return null;
  const normalizedZone =
    zone === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${hour}:00:00${normalizedZone}`);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

const countLine = z.object({
  key: z.string().min(1),
  ts: z.string(),
  count: z.number().int().nonnegative(),
});

function readCounts(stream: Readable): Promise<{ rows: HourlyCount[]; errors: string[] }> {
  return readJsonl(stream, countLine, '{"key","ts","count"}', (line): HourlyCount | RowError => {
    const hour = parseIsoHour(line.ts);
    if (!hour)
      return { error: `ts must be an ISO-8601 hour such as 2026-11-02T13:00:00Z (got "${line.ts}")` };
    return { key: line.key, ts: hour, count: line.count };
  });
}

const SENSITIVITIES = Object.keys(SENSITIVITY_THRESHOLDS) as Sensitivity[];

export const spikesCommand: Command = {
  name: "spikes",
  usage: "spikes --input <file> [--sensitivity fewer|balanced|more] [--cooldown <hours>]",
  summary: 'Detect spikes in JSONL hourly counts {"key","ts","count"}; one JSONL line per spike',
  async run(args, ctx) {
    const { values } = parseCliArgs(
      args,
      { input: { type: "string" }, sensitivity: { type: "string" }, cooldown: { type: "string" } },
      false,
    );
    const sensitivity = values.sensitivity ?? "balanced";
    if (!(SENSITIVITIES as string[]).includes(sensitivity)) {
      throw new UsageError(`--sensitivity must be one of ${SENSITIVITIES.join(", ")} (got "${sensitivity}")`);
    }
    const cooldownHours = values.cooldown === undefined ? undefined : Number(values.cooldown);
    if (cooldownHours !== undefined && !(Number.isInteger(cooldownHours) && cooldownHours >= 0)) {
      throw new UsageError(`--cooldown must be a whole number of hours (got "${values.cooldown}")`);
    }
    if (values.input !== undefined && !existsSync(values.input))
      throw new UsageError(`file not found: ${values.input}`);

    const { rows, errors } = await readCounts(values.input ? createReadStream(values.input) : ctx.stdin);
    if (errors.length > 0) {
      for (const error of errors.slice(0, 50)) ctx.stderr.write(`${error}\n`);
      if (errors.length > 50) ctx.stderr.write(`… and ${errors.length - 50} more bad lines\n`);
      ctx.stderr.write("No spikes were computed: fix the lines above.\n");
      return 1;
    }
    const verdicts = detectSpikesByKey(rows, { sensitivity: sensitivity as Sensitivity, cooldownHours });
    for (const verdict of verdicts) {
      if (verdict.reason === "insufficient_history")
        ctx.stderr.write(
          `${verdict.key}: not judged (insufficient_history): ${verdict.hours} hours of counts, at least ${DEFAULT_SPIKE_OPTIONS.minHistoryHours + 1} needed\n`,
        );
    }
    const spikes = verdicts
      .flatMap((v) => v.episodes)
      .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.key < b.key ? -1 : 1));
    for (const spike of spikes) {
      const { key, ts, count, expected, score, endTs, hours, peak, rule, grewFrom } = spike;
      ctx.stdout.write(
        `${JSON.stringify({ key, ts, count, expected, score, end: endTs, hours, peak: peak.count, rule, grew_from: grewFrom })}\n`,
      );
    }
    return 0;
  },
};
