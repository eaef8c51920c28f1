// The detector before issue 18 (quasi-Poisson tail over an hour-of-week baseline), kept only so `npm run bench -- spikes`
// can show what the robust detector in detect.ts changed. Nothing in the application imports it.
// Spike detection over hourly mention counts. Pure: the job and the CLI feed it counts, it answers.
//
// Expected count for an hour = seasonal expectation × recent level.
//   seasonal: the same hour of the week over the trailing weeks (±1 hour, so a sparse series is not
//             judged on one noisy sample), with each past value capped so last week's spike does not
//             become this week's normal;
//   level:    observed ÷ seasonal over the last day, shrunk towards 1 by a prior, so a brand whose
//             volume has doubled this week is compared with its new normal.
// The test is the Poisson upper tail: P(X ≥ count | expected). At 2 mentions a z-score calls anything a
// spike; the tail probability does not, and a minimum volume stops "1 where 0.01 was expected".

import {
  HOUR_MS,
  HOURS_PER_WEEK,
  type HourlyCount,
  type Spike,
  toHourMs,
} from "../src/domain/spikes/detect.js";
import { poissonSurprise } from "../src/domain/spikes/poisson.js";

export type Sensitivity = "fewer" | "balanced" | "more";

export interface SpikeThresholds {
  /** -log10 of the largest p-value that counts as a spike hour. */
  minScore: number;
  /** Fewer mentions than this in an hour is never a spike, however surprising. */
  minCount: number;
  /** The hour must also be this many times the expected count: surprise alone is not "far above normal". */
  minRatio: number;
}

export const SENSITIVITY_THRESHOLDS: Record<Sensitivity, SpikeThresholds> = {
  fewer: { minScore: 5, minCount: 8, minRatio: 2.5 },
  balanced: { minScore: 4, minCount: 5, minRatio: 2 },
  more: { minScore: 3, minCount: 3, minRatio: 1.5 },
};

export interface SpikeOptions {
  sensitivity?: Sensitivity;
  /** Overrides of the sensitivity's thresholds. */
  thresholds?: Partial<SpikeThresholds>;
  /** A spike hour within this many hours of the last one extends that spike instead of raising a new alert. */
  cooldownHours?: number;
  /** How many past weeks make the hour-of-week baseline. */
  trailingWeeks?: number;
  /** How many recent hours set the current level against the seasonal expectation. */
  recentHours?: number;
  /** Within the recent hours, weight halves every this many hours back. */
  levelHalfLifeHours?: number;
  /**
   * κ of the quasi-Poisson test: the variance assumed is expected × (1 + expected/κ). Lower = more tolerant of
   * busy series' natural swings.
   */
  overdispersion?: number;
  /** Hours of history needed before an hour is judged at all (one week, to know the rhythm). */
  minHistoryHours?: number;
}

interface ResolvedOptions extends SpikeThresholds {
  cooldownHours: number;
  trailingWeeks: number;
  recentHours: number;
  levelHalfLifeHours: number;
  overdispersion: number;
  minHistoryHours: number;
}

export const DEFAULT_SPIKE_OPTIONS = {
  sensitivity: "balanced" as Sensitivity,
  cooldownHours: 6,
  trailingWeeks: 4,
  recentHours: 24,
  levelHalfLifeHours: 6,
  overdispersion: 30,
  minHistoryHours: HOURS_PER_WEEK,
};

// Pseudo-counts that shrink the recent level towards 1 when the last day saw few mentions.
const LEVEL_PRIOR = 10;
const LEVEL_MIN = 0.25;
const LEVEL_MAX = 4;
const LEVEL_OBSERVED_CAP = 3;
// An hour expected to see ~nothing still expects a little: a count of 0.001 would make any mention "certain".
const EXPECTED_FLOOR = 0.05;

function resolve(opts: SpikeOptions = {}): ResolvedOptions {
  const base = SENSITIVITY_THRESHOLDS[opts.sensitivity ?? DEFAULT_SPIKE_OPTIONS.sensitivity];
  return {
    ...base,
    ...opts.thresholds,
    cooldownHours: opts.cooldownHours ?? DEFAULT_SPIKE_OPTIONS.cooldownHours,
    trailingWeeks: opts.trailingWeeks ?? DEFAULT_SPIKE_OPTIONS.trailingWeeks,
    recentHours: opts.recentHours ?? DEFAULT_SPIKE_OPTIONS.recentHours,
    levelHalfLifeHours: opts.levelHalfLifeHours ?? DEFAULT_SPIKE_OPTIONS.levelHalfLifeHours,
    overdispersion: opts.overdispersion ?? DEFAULT_SPIKE_OPTIONS.overdispersion,
    minHistoryHours: Math.max(
      opts.minHistoryHours ?? DEFAULT_SPIKE_OPTIONS.minHistoryHours,
      HOURS_PER_WEEK + 1,
    ),
  };
}

/** A spike as it evolves: the alert hour (the `Spike` fields) plus what later hours added to it. */
export interface SpikeEpisode extends Spike {
  /** The last hour judged a spike hour; the cooldown runs from here. */
  lastTs: string;
  /** Spike hours in the episode so far. */
  hours: number;
  peak: { ts: string; count: number; expected: number; score: number };
}

export interface HourJudgement {
  ts: string;
  count: number;
  /** null while there is not yet enough history to judge. */
  expected: number | null;
  score: number;
  isSpikeHour: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Hour-of-week expectation for index t of a dense series; past values above a robust cap are clipped. */
function seasonalAt(counts: ArrayLike<number>, t: number, weeks: number): number | null {
  const samples: { value: number; weight: number }[] = [];
  const centres: number[] = [];
  for (let k = 1; k <= weeks; k++) {
    const centre = t - k * HOURS_PER_WEEK;
    if (centre < 0) break;
    for (const [offset, weight] of [
      [-1, 1],
      [0, 2],
      [1, 1],
    ] as const) {
      const i = centre + offset;
      if (i < 0 || i >= counts.length) continue;
      const value = counts[i]!;
      samples.push({ value, weight });
      if (offset === 0) centres.push(value);
    }
  }
  if (samples.length === 0) return null;
  // The cap comes from the same hour in past weeks only: mixing in the neighbouring hours would make the first
  // busy hour of the morning look like an outlier against the quiet hour before it.
  const sorted = (centres.length > 0 ? centres : samples.map((s) => s.value)).sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const cap = Math.max(2 * median, median + 3 * Math.sqrt(median) + 2);
  let sum = 0;
  let weightSum = 0;
  for (const s of samples) {
    sum += Math.min(s.value, cap) * s.weight;
    weightSum += s.weight;
  }
  return sum / weightSum;
}

/**
 * Expected count at index t of a dense series, from data before t only; null if history is too short.
 * `sinceStart` is t's distance from the first counted hour (differs from t when the array is a window).
 */
function expectedAt(
  counts: ArrayLike<number>,
  t: number,
  sinceStart: number,
  o: ResolvedOptions,
): number | null {
  if (sinceStart < o.minHistoryHours) return null;
  const seasonal = seasonalAt(counts, t, o.trailingWeeks);
  if (seasonal === null) return null;
  let observed = 0;
  let seasonalSum = 0;
  for (let s = Math.max(0, t - o.recentHours); s < t; s++) {
    const expectedThen = seasonalAt(counts, s, o.trailingWeeks);
    if (expectedThen === null) continue;
    // Today's hours say more about today's level than yesterday's busy afternoon does.
    const weight = 0.5 ** ((t - 1 - s) / o.levelHalfLifeHours);
    // A spike in the last day should not lift the level it is judged against by more than it can explain.
    observed += weight * Math.min(counts[s]!, LEVEL_OBSERVED_CAP * expectedThen + 3);
    seasonalSum += weight * expectedThen;
  }
  const level = Math.min(
    LEVEL_MAX,
    Math.max(LEVEL_MIN, (observed + LEVEL_PRIOR) / (seasonalSum + LEVEL_PRIOR)),
  );
  return Math.max(seasonal * level, EXPECTED_FLOOR);
}

/** -log10 of the tail probability, quasi-Poisson. */
function surprise(count: number, expected: number, o: ResolvedOptions): number {
  if (count <= expected) return 0;
  // Real counts vary more than Poisson once volume is high (news cycles, reply threads); scaling both sides
  // by 1 + expected/κ keeps the test exactly Poisson at low counts and honest at high ones.
  const scale = 1 + expected / o.overdispersion;
  return poissonSurprise(count / scale, expected / scale);
}

function passes(count: number, expected: number, score: number, o: ResolvedOptions): boolean {
  return count >= o.minCount && count >= o.minRatio * expected && score >= o.minScore;
}

/**
 * Judges index t. Besides the hour alone, the last two hours together are tested: a spike of moderate
 * volume that one hour cannot prove is proven by its second hour, which keeps the delay at one hour.
 */
function judgeAt(counts: ArrayLike<number>, t: number, sinceStart: number, o: ResolvedOptions) {
  const count = counts[t]!;
  const expected = expectedAt(counts, t, sinceStart, o);
  if (expected === null) return { count, expected, score: 0, isSpikeHour: false };
  const score = surprise(count, expected, o);
  if (passes(count, expected, score, o)) return { count, expected, score, isSpikeHour: true };
  const previousExpected = t > 0 ? expectedAt(counts, t - 1, sinceStart - 1, o) : null;
  if (previousExpected === null || count <= o.minRatio * expected * 0.75) {
    return { count, expected, score, isSpikeHour: false };
  }
  const pairCount = count + counts[t - 1]!;
  const pairExpected = expected + previousExpected;
  // Two looks at the data: the pair must clear the bar plus log10(2), so the false-alert rate stays put.
  const pairScore = surprise(pairCount, pairExpected, o) - Math.log10(2);
  const isSpikeHour = passes(pairCount, pairExpected, pairScore, o);
  return { count, expected, score: isSpikeHour ? Math.max(score, pairScore) : score, isSpikeHour };
}

/**
 * Folds one judged hour into the open episode. Returns what the caller must do: raise a new alert,
 * update the alert it already raised, or nothing; and the episode to carry to the next hour.
 */
function advance(
  key: string,
  hourMs: number,
  judged: HourJudgement,
  open: SpikeEpisode | null,
  cooldownHours: number,
): { action: "new" | "update" | "none"; episode: SpikeEpisode | null } {
  const withinCooldown = open !== null && hourMs - toHourMs(open.lastTs) <= cooldownHours * HOUR_MS;
  if (!judged.isSpikeHour || judged.expected === null) {
    return { action: "none", episode: withinCooldown ? open : null };
  }
  const hour = {
    ts: judged.ts,
    count: judged.count,
    expected: round2(judged.expected),
    score: round2(judged.score),
  };
  if (withinCooldown && open) {
    const peak = hour.score > open.peak.score ? hour : open.peak;
    return { action: "update", episode: { ...open, lastTs: judged.ts, hours: open.hours + 1, peak } };
  }
  return { action: "new", episode: { key, ...hour, lastTs: judged.ts, hours: 1, peak: hour } };
}

/** Dense hourly series per key, from `startMs` to `endMs` inclusive; missing hours are zero. */
function densify(rows: { ts: string | Date; count: number }[], startMs: number, endMs: number): Float64Array {
  const dense = new Float64Array(Math.max(0, Math.round((endMs - startMs) / HOUR_MS) + 1));
  for (const row of rows) {
    const i = Math.round((toHourMs(row.ts) - startMs) / HOUR_MS);
    if (i >= 0 && i < dense.length) dense[i]! += row.count;
  }
  return dense;
}

/**
 * Every spike in a batch of hourly counts, each hour judged only on the hours before it. All keys share the
 * input's time span: a key with no row for an hour had zero mentions then. Sorted by time, then key.
 */
export function detectSpikes(series: HourlyCount[], opts: SpikeOptions = {}): SpikeEpisode[] {
  if (series.length === 0) return [];
  const o = resolve(opts);
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  const byKey = new Map<string, HourlyCount[]>();
  for (const row of series) {
    const ms = toHourMs(row.ts);
    startMs = Math.min(startMs, ms);
    endMs = Math.max(endMs, ms);
    const rows = byKey.get(row.key) ?? [];
    rows.push(row);
    byKey.set(row.key, rows);
  }
  const episodes: SpikeEpisode[] = [];
  for (const [key, rows] of byKey) {
    const counts = densify(rows, startMs, endMs);
    let open: SpikeEpisode | null = null;
    for (let t = 0; t < counts.length; t++) {
      const hourMs = startMs + t * HOUR_MS;
      const judged = { ts: iso(hourMs), ...judgeAt(counts, t, t, o) };
      const step = advance(key, hourMs, judged, open, o.cooldownHours);
      if (step.action === "new" && step.episode) episodes.push(step.episode);
      if (step.action === "update" && step.episode) episodes[episodes.length - 1] = step.episode;
      open = step.episode;
    }
  }
  return episodes.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.key < b.key ? -1 : 1));
}
