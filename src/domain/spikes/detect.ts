// Spike detection over hourly mention counts. Pure: the job and the CLI feed it counts, it answers.
//
// Real mention volumes are not Poisson: the five Twitter series of the Numenta Anomaly Benchmark vary 3–10× more
// than a Poisson process with the same mean, and burst for an hour and fall back (a retweet storm, a bot) far more
// often than they surge. So the detector works on a variance-stabilised count and robust statistics only:
//
//   y        = ln(count + offset)       — log for busy keys (overdispersion grows with the mean); the offset damps
//                                         small counts, where a bare log would make 1→3 look like a surge;
//   level    = median of y over the last 24 hours           — the trend, unmoved by a burst of a few hours;
//   seasonal = the rhythm: (y − level) at the same hour of week (± 1 hour) over the last 4 weeks, a trimmed mean,
//              once 2 past weeks exist (weekends, Monday mornings); before that the median over the last 7 days
//              at the same hour of day;
//   recent   = half the median of the last 6 hours' residuals: today runs hotter or cooler than the 24-hour
//              level says (it lags by half a day), and a median ignores a burst of an hour or two;
//   residual = y − (level + seasonal + recent);
//   score    = (residual − median residual) ÷ scale, the scale read from the 95th percentile of the last week's
//              absolute residuals: a key that often bursts needs a bigger burst to alert, a calm one less.
//
// Two rules make an hour a spike hour, and the alert says which (`rule`):
//   burst     — its score clears `minScore`, or it and the hour before both clear `pairScore` and add up to
//               `pairSum` (a surge too small to prove in one hour is proven by its second, so the delay stays at
//               one hour; a one-hour burst that falls straight back, the commonest false alarm on real volumes,
//               is not);
//   sustained — each of the last `sustainedHours` hours (3) scores at least `sustainedFloor` and is at least
//               `sustainedRatio` times its expected count, and their scores (each capped at minScore) add up to
//               `sustainedSum`: a surge that rises over a few hours and never jumps enough in any one of them
//               (on the seeded 3× spikes, about a third of what the burst rule alone misses).
// Both must also be big enough in mentions (`minCount`, `minRatio`). Every hour is judged only on the hours before
// it. An empty hour in a key that normally has `gapMedian` (20) or more an hour is a gap in the data (a source
// down), not news: it is judged, then filled in with what was expected of it, so the burst that often follows a
// gap is not hidden by the gap's huge negative residuals widening the scale (the shape of one NAB window).
// Spike hours and the elevated hours after them (score ≥ settleScore) make one episode and one alert, whichever
// rule opened it; the episode ends after `cooldownHours` quiet hours, and its end is noted. One exception: a spike
// hour `escalation` (2.5) times the open episode's peak ends it and opens a new episode with its own alert
// after at least one calm hour (`grewFrom`): a second, bigger wave is news, not an aftershock. A decaying burst stays
// one episode; the medians keep a burst of a few hours out of the baseline, and a level that stays up for good
// becomes the new normal within a day.
//
// The burst rule's parameters were chosen on the five NAB series, the sustained rule's on the seeded synthetic
// series (on the NAB series it adds a few false alerts and finds no further window; see bench/spikes.ts, which also
// reports leave-one-series-out).

export const HOUR_MS = 3_600_000;
export const HOURS_PER_WEEK = 168;
const HOURS_PER_DAY = 24;

export type Sensitivity = "fewer" | "balanced" | "more";

export interface SpikeThresholds {
  /** Robust score one hour alone must reach. */
  minScore: number;
  /** Robust score two consecutive hours must both reach (the alert is then raised at the second). */
  pairScore: number;
  /** …and their scores must add up to at least this. */
  pairSum: number;
  /** Fewer mentions than this in an hour is never a spike, however surprising. */
  minCount: number;
  /** The hour must also be this many times the expected count: surprise alone is not "far above normal". */
  minRatio: number;
  /** Sustained rule: every one of the last `sustainedHours` hours scores at least this… */
  sustainedFloor: number;
  /** …is at least this many times its expected count… */
  sustainedRatio: number;
  /** …and their scores, each capped at minScore, add up to at least this. */
  sustainedSum: number;
}

export const SENSITIVITY_THRESHOLDS: Record<Sensitivity, SpikeThresholds> = {
  fewer: {
    minScore: 5,
    pairScore: 2.5,
    pairSum: 6.5,
    minCount: 25,
    minRatio: 2,
    sustainedFloor: 1.5,
    sustainedRatio: 2,
    sustainedSum: 8,
  },
  balanced: {
    minScore: 4,
    pairScore: 2,
    pairSum: 5.5,
    minCount: 15,
    minRatio: 1.5,
    sustainedFloor: 1,
    sustainedRatio: 1.75,
    sustainedSum: 6.5,
  },
  more: {
    minScore: 3,
    pairScore: 1.5,
    pairSum: 4,
    minCount: 5,
    minRatio: 1.3,
    sustainedFloor: 0.75,
    sustainedRatio: 1.5,
    sustainedSum: 5,
  },
};

export interface SpikeOptions {
  sensitivity?: Sensitivity;
  /** Overrides of the sensitivity's thresholds. */
  thresholds?: Partial<SpikeThresholds>;
  /** An episode ends after this many hours without an elevated hour; until then no new alert. */
  cooldownHours?: number;
  /** Added to counts before the log. */
  offset?: number;
  /** Quantile of the last week's absolute residuals that sets the scale (0.5 is the MAD). */
  tailQuantile?: number;
  /** Score at which an hour still counts as elevated, keeping an open episode open. */
  settleScore?: number;
  /** Hours of history needed before an hour is judged at all. */
  minHistoryHours?: number;
  /** An episode longer than this is closed: the level it reached has become the normal. */
  maxEpisodeHours?: number;
  /** Recent hours whose median residual corrects the baseline (0: none). */
  recentHours?: number;
  /** How much of that correction is applied (0–1). */
  recentWeight?: number;
  /** Past weeks needed before the hour-of-week rhythm replaces the hour-of-day one. */
  weeklyFrom?: number;
  /** Read the hour-of-week rhythm from the neighbouring hours too. */
  seasonalSpread?: boolean;
  /** Hours the sustained rule reads (below 2: no sustained rule). */
  sustainedHours?: number;
  /** An empty hour where the last day's median hour had at least this many is a gap (Infinity: never). */
  gapMedian?: number;
  /**
   * A spike hour at least this many times the open episode's peak is a new episode with its own alert, not an
   * aftershock (Infinity: never).
   */
  escalation?: number;
}

export interface ResolvedSpikeOptions extends SpikeThresholds {
  cooldownHours: number;
  offset: number;
  tailQuantile: number;
  settleScore: number;
  minHistoryHours: number;
  maxEpisodeHours: number;
  recentHours: number;
  recentWeight: number;
  weeklyFrom: number;
  seasonalSpread: boolean;
  sustainedHours: number;
  gapMedian: number;
  escalation: number;
}

export const DEFAULT_SPIKE_OPTIONS = {
  sensitivity: "balanced" as Sensitivity,
  // A day: real bursts come back in aftershocks for hours after the first one, and each is the same story.
  cooldownHours: 24,
  offset: 10,
  tailQuantile: 0.95,
  settleScore: 2,
  // Three days: a day to read the level, two more to see the daily rhythm twice.
  minHistoryHours: 72,
  maxEpisodeHours: 72,
  recentHours: 6,
  recentWeight: 0.5,
  weeklyFrom: 2,
  seasonalSpread: true,
  sustainedHours: 3,
  // A key whose median hour over the last day had 20 mentions does not go silent for an hour by chance
  // (Poisson: e^-20); an empty hour there is missing data.
  gapMedian: 20,
  // A wave of 2.5× the open episode's peak: on the seeded series, a 3× surge that follows a small burst by a few
  // hours; on the NAB series, AAPL's 66,573 mentions in an hour on a day already at 5,334.
  escalation: 2.5,
};

const DAILY_DAYS = 7;
const WEEKLY_WEEKS = 4;
const SCALE_HOURS = HOURS_PER_WEEK;
const MIN_SCALE_SAMPLES = 24;
// Standard normal quantiles, so a scale read from any supported tail quantile is in "standard deviations".
const NORMAL_QUANTILE: Record<string, number> = {
  "0.5": 0.6745,
  "0.75": 1.1503,
  "0.8": 1.2816,
  "0.9": 1.6449,
  "0.95": 1.96,
  "0.975": 2.2414,
};

export function resolveSpikeOptions(opts: SpikeOptions = {}): ResolvedSpikeOptions {
  const base = SENSITIVITY_THRESHOLDS[opts.sensitivity ?? DEFAULT_SPIKE_OPTIONS.sensitivity];
  const tailQuantile = opts.tailQuantile ?? DEFAULT_SPIKE_OPTIONS.tailQuantile;
  if (NORMAL_QUANTILE[String(tailQuantile)] === undefined)
    throw new RangeError(
      `tailQuantile must be one of ${Object.keys(NORMAL_QUANTILE).join(", ")} (got ${tailQuantile})`,
    );
  return {
    ...base,
    ...opts.thresholds,
    cooldownHours: opts.cooldownHours ?? DEFAULT_SPIKE_OPTIONS.cooldownHours,
    offset: opts.offset ?? DEFAULT_SPIKE_OPTIONS.offset,
    tailQuantile,
    settleScore: opts.settleScore ?? DEFAULT_SPIKE_OPTIONS.settleScore,
    // Below two days there is no daily rhythm to compare with at all.
    minHistoryHours: Math.max(
      opts.minHistoryHours ?? DEFAULT_SPIKE_OPTIONS.minHistoryHours,
      2 * HOURS_PER_DAY,
    ),
    maxEpisodeHours: opts.maxEpisodeHours ?? DEFAULT_SPIKE_OPTIONS.maxEpisodeHours,
    recentHours: opts.recentHours ?? DEFAULT_SPIKE_OPTIONS.recentHours,
    recentWeight: opts.recentWeight ?? DEFAULT_SPIKE_OPTIONS.recentWeight,
    weeklyFrom: opts.weeklyFrom ?? DEFAULT_SPIKE_OPTIONS.weeklyFrom,
    seasonalSpread: opts.seasonalSpread ?? DEFAULT_SPIKE_OPTIONS.seasonalSpread,
    sustainedHours: opts.sustainedHours ?? DEFAULT_SPIKE_OPTIONS.sustainedHours,
    gapMedian: opts.gapMedian ?? DEFAULT_SPIKE_OPTIONS.gapMedian,
    escalation: opts.escalation ?? DEFAULT_SPIKE_OPTIONS.escalation,
  };
}

export interface HourlyCount {
  key: string;
  /** Start of the hour, ISO-8601 or a Date. */
  ts: string | Date;
  count: number;
}

/** Which rule raised the alert: one hour (or two) far above normal, or several hours well above it. */
export type SpikeRule = "burst" | "sustained";

/** One detected spike: the hour it was first alerted, as the CLI prints it. */
export interface Spike {
  key: string;
  ts: string;
  count: number;
  expected: number;
  score: number;
  /** Absent on episodes stored before the sustained rule existed (they were all bursts). */
  rule?: SpikeRule;
  /**
   * Set when this alert broke into an episode still open: the earlier episode's peak hour count, which this hour
   * has at least `escalation` times over (a second, bigger wave is news, not an aftershock).
   */
  grewFrom?: number;
}

/** A spike as it evolves: the alert hour (the `Spike` fields) plus what later hours added to it. */
export interface SpikeEpisode extends Spike {
  /** The last hour still elevated; the cooldown runs from here. */
  lastTs: string;
  /** Elevated hours in the episode so far. */
  hours: number;
  peak: { ts: string; count: number; expected: number; score: number };
  /** End of the episode (the hour after its last elevated hour) once it is over; null while it may go on. */
  endTs: string | null;
}

export type RefusalReason = "insufficient_history";

export interface HourJudgement {
  ts: string;
  count: number;
  /** null while the detector refuses to judge (see `reason`). */
  expected: number | null;
  score: number;
  isSpikeHour: boolean;
  /** Still above normal (score ≥ settleScore): keeps an open episode going. */
  isElevated: boolean;
  /** The rule that made it a spike hour. */
  rule?: SpikeRule;
  /** Why the hour was not judged. */
  reason?: RefusalReason;
}

export function toHourMs(ts: string | Date): number {
  const ms = ts instanceof Date ? ts.getTime() : Date.parse(ts);
  if (!Number.isFinite(ms)) throw new RangeError(`not a timestamp: ${String(ts)}`);
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round2 = (x: number) => Math.round(x * 100) / 100;

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Mean of the middle half: steadier than a median on few samples, and one past burst cannot move it. */
function trimmedMean(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const cut = Math.floor(sorted.length / 4);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

/**
 * Baselines and scores for a dense window of counts; hours before the window are unknown (not zero). Scores are
 * computed from index `from` on (earlier ones only feed the baselines).
 */
interface Scored {
  expected: Float64Array;
  score: Float64Array;
}

function scoreWindow(counts: ArrayLike<number>, from: number, o: ResolvedSpikeOptions): Scored {
  const n = counts.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.log(counts[i]! + o.offset);
  // Gaps in the data are judged like any hour but left out of every baseline, rhythm and scale below.
  const gap = new Uint8Array(n);
  for (let i = HOURS_PER_DAY; i < n; i++) {
    if (counts[i] !== 0) continue;
    const day: number[] = [];
    for (let j = i - HOURS_PER_DAY; j < i; j++) day.push(counts[j]!);
    if (median(day) >= o.gapMedian) gap[i] = 1;
  }
  // One pass, oldest hour first: each hour's level and rhythm read only earlier hours, and a gap hour is then
  // filled in with what was expected of it (`filled`), so an outage moves no later level, rhythm or scale (its
  // own residual, far below, is kept out of the recent term and the scale below).
  const filled = Float64Array.from(y);
  const level = new Float64Array(n).fill(Number.NaN);
  const daily = new Float64Array(n).fill(Number.NaN);
  // Seasonal term: hour of week once two past weeks show it (weekends, Monday mornings), hour of day before that.
  const seasonal = new Float64Array(n).fill(Number.NaN);
  for (let i = HOURS_PER_DAY; i < n; i++) {
    level[i] = median(Array.from(filled.subarray(i - HOURS_PER_DAY, i)));
    const days: number[] = [];
    for (let k = 1; k <= DAILY_DAYS; k++) {
      const j = i - HOURS_PER_DAY * k;
      if (j >= 0 && !Number.isNaN(level[j]!)) days.push(filled[j]! - level[j]!);
    }
    if (days.length > 0) daily[i] = median(days);
    if (!Number.isNaN(daily[i]!)) {
      const samples: number[] = [];
      let weeks = 0;
      for (let k = 1; k <= WEEKLY_WEEKS; k++) {
        const centre = i - HOURS_PER_WEEK * k;
        if (centre < 0 || Number.isNaN(level[centre]!)) continue;
        weeks++;
        // The hours either side too: three times the samples, and a rising morning's slope cancels out.
        for (const j of o.seasonalSpread ? [centre - 1, centre, centre + 1] : [centre])
          if (j >= 0 && j < i && !Number.isNaN(level[j]!)) samples.push(filled[j]! - level[j]!);
      }
      seasonal[i] = weeks >= o.weeklyFrom ? trimmedMean(samples) : daily[i]!;
    }
    if (gap[i]) filled[i] = level[i]! + (Number.isNaN(seasonal[i]!) ? 0 : seasonal[i]!);
  }
  // What the last few hours say about today against the 24-hour level (which lags by half a day): the median of
  // their residuals, so a burst of an hour or two does not move it.
  const raw = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) if (!Number.isNaN(seasonal[i]!)) raw[i] = y[i]! - level[i]! - seasonal[i]!;
  const baseline = new Float64Array(n).fill(Number.NaN);
  const residual = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(raw[i]!)) continue;
    let adjust = 0;
    if (o.recentHours > 0) {
      const recent: number[] = [];
      for (let j = Math.max(0, i - o.recentHours); j < i; j++)
        if (!gap[j] && !Number.isNaN(raw[j]!)) recent.push(raw[j]!);
      if (recent.length > 0) adjust = median(recent) * o.recentWeight;
    }
    baseline[i] = level[i]! + seasonal[i]! + adjust;
    residual[i] = y[i]! - baseline[i]!;
  }
  const expected = new Float64Array(n).fill(Number.NaN);
  const score = new Float64Array(n).fill(Number.NaN);
  const zQuantile = NORMAL_QUANTILE[String(o.tailQuantile)]!;
  for (let i = Math.max(from, 0); i < n; i++) {
    if (Number.isNaN(residual[i]!)) continue;
    const past: number[] = [];
    for (let j = Math.max(0, i - SCALE_HOURS); j < i; j++)
      if (!gap[j] && !Number.isNaN(residual[j]!)) past.push(residual[j]!);
    if (past.length < MIN_SCALE_SAMPLES) continue;
    const centre = median(past.slice());
    const deviations = past.map((r) => Math.abs(r - centre)).sort((a, b) => a - b);
    const tail = deviations[Math.min(deviations.length - 1, Math.floor(o.tailQuantile * deviations.length))]!;
    const mu = Math.max(Math.exp(baseline[i]! + centre) - o.offset, 0);
    // Counting noise alone (Poisson, by the delta method on the log): a quiet week must not make one extra
    // mention a spike.
    const countingNoise = Math.sqrt(Math.max(mu, 0.5)) / (mu + o.offset);
    const scale = Math.max(tail / zQuantile, countingNoise, 0.02);
    expected[i] = mu;
    score[i] = (residual[i]! - centre) / scale;
  }
  return { expected, score };
}

/** The sustained rule at index `t` (see the top of the file); every hour it reads must have been judged. */
function sustainedRise(
  counts: ArrayLike<number>,
  scored: Scored,
  t: number,
  sinceStart: number,
  o: ResolvedSpikeOptions,
): boolean {
  const k = o.sustainedHours;
  if (k < 2 || t + 1 < k || sinceStart + 1 - k < o.minHistoryHours) return false;
  let sum = 0;
  for (let j = t - k + 1; j <= t; j++) {
    const z = scored.score[j]!;
    // NaN (an hour not scored) fails both comparisons.
    if (!(z >= o.sustainedFloor) || !(counts[j]! >= o.sustainedRatio * scored.expected[j]!)) return false;
    sum += Math.min(z, o.minScore);
  }
  return sum >= o.sustainedSum;
}

function judgeIndex(
  counts: ArrayLike<number>,
  scored: Scored,
  t: number,
  sinceStart: number,
  ts: string,
  o: ResolvedSpikeOptions,
): HourJudgement {
  const count = counts[t]!;
  const expected = scored.expected[t]!;
  const score = scored.score[t]!;
  if (sinceStart < o.minHistoryHours || Number.isNaN(score)) {
    return {
      ts,
      count,
      expected: null,
      score: 0,
      isSpikeHour: false,
      isElevated: false,
      reason: "insufficient_history",
    };
  }
  const bigEnough = (c: number, e: number) => c >= o.minCount && c >= o.minRatio * e;
  const previous = t > 0 && sinceStart - 1 >= o.minHistoryHours ? scored.score[t - 1]! : Number.NaN;
  const pair =
    !Number.isNaN(previous) &&
    score >= o.pairScore &&
    previous >= o.pairScore &&
    score + previous >= o.pairSum &&
    bigEnough(counts[t - 1]!, scored.expected[t - 1]!);
  const burst = score >= o.minScore || pair;
  const sustained = !burst && sustainedRise(counts, scored, t, sinceStart, o);
  const isSpikeHour = bigEnough(count, expected) && (burst || sustained);
  return {
    ts,
    count,
    expected,
    score: Math.max(score, 0),
    isSpikeHour,
    ...(isSpikeHour ? { rule: burst ? ("burst" as const) : ("sustained" as const) } : {}),
    isElevated: isSpikeHour || (score >= o.settleScore && count > expected),
  };
}

/**
 * Folds one judged hour into the open episode. Returns what the caller must do: raise a new alert, update the
 * alert it already raised, or nothing; the episode to carry to the next hour; and the episode that ended, if any.
 */
function advance(
  key: string,
  hourMs: number,
  judged: HourJudgement,
  open: SpikeEpisode | null,
  o: ResolvedSpikeOptions,
): { action: "new" | "update" | "none"; episode: SpikeEpisode | null; ended: SpikeEpisode | null } {
  let ended: SpikeEpisode | null = null;
  let grewFrom: number | null = null;
  if (open) {
    const lastMs = toHourMs(open.lastTs);
    const quietTooLong = hourMs - lastMs > o.cooldownHours * HOUR_MS;
    const tooLong = hourMs - toHourMs(open.ts) >= o.maxEpisodeHours * HOUR_MS;
    // A new wave, not the same one still climbing: the hour before it was not elevated.
    const calmedFirst = hourMs - lastMs > HOUR_MS;
    if (
      !quietTooLong &&
      !tooLong &&
      calmedFirst &&
      judged.isSpikeHour &&
      judged.count >= o.escalation * open.peak.count
    )
      grewFrom = open.peak.count;
    if (quietTooLong || tooLong || grewFrom !== null) {
      ended = { ...open, endTs: iso(lastMs + HOUR_MS) };
      open = null;
    }
  }
  const hour =
    judged.expected === null
      ? null
      : {
          ts: judged.ts,
          count: judged.count,
          expected: round2(judged.expected),
          score: round2(judged.score),
        };
  if (open) {
    if (!judged.isElevated || !hour) return { action: "none", episode: open, ended };
    const peak = hour.count > open.peak.count ? hour : open.peak;
    return {
      action: "update",
      episode: { ...open, lastTs: judged.ts, hours: open.hours + 1, peak },
      ended,
    };
  }
  if (!judged.isSpikeHour || !hour) return { action: "none", episode: null, ended };
  return {
    action: "new",
    episode: {
      key,
      ...hour,
      rule: judged.rule ?? "burst",
      ...(grewFrom !== null ? { grewFrom } : {}),
      lastTs: judged.ts,
      hours: 1,
      peak: hour,
      endTs: null,
    },
    ended,
  };
}

/** Dense hourly series from `startMs` to `endMs` inclusive; missing hours are zero. */
function densify(rows: { ts: string | Date; count: number }[], startMs: number, endMs: number): Float64Array {
  const dense = new Float64Array(Math.max(0, Math.round((endMs - startMs) / HOUR_MS) + 1));
  for (const row of rows) {
    const i = Math.round((toHourMs(row.ts) - startMs) / HOUR_MS);
    if (i >= 0 && i < dense.length) dense[i]! += row.count;
  }
  return dense;
}

export interface KeyVerdict {
  key: string;
  episodes: SpikeEpisode[];
  /** Hours judged; the rest were refused. */
  judgedHours: number;
  hours: number;
  /** Set when no hour of the key could be judged. */
  reason?: RefusalReason;
}

/**
 * Every key's spikes in a batch of hourly counts, each hour judged only on the hours before it. All keys share
 * the input's time span: a key with no row for an hour had zero mentions then. An episode still open at the last
 * hour has `endTs: null`.
 */
export function detectSpikesByKey(series: HourlyCount[], opts: SpikeOptions = {}): KeyVerdict[] {
  if (series.length === 0) return [];
  const o = resolveSpikeOptions(opts);
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
  const verdicts: KeyVerdict[] = [];
  for (const [key, rows] of byKey) {
    const counts = densify(rows, startMs, endMs);
    const scored = scoreWindow(counts, o.minHistoryHours - 1, o);
    const episodes: SpikeEpisode[] = [];
    let open: SpikeEpisode | null = null;
    let judgedHours = 0;
    for (let t = 0; t < counts.length; t++) {
      const hourMs = startMs + t * HOUR_MS;
      const judged = judgeIndex(counts, scored, t, t, iso(hourMs), o);
      if (judged.expected !== null) judgedHours++;
      const step = advance(key, hourMs, judged, open, o);
      if (step.ended) episodes[episodes.length - 1] = step.ended;
      if (step.action === "new" && step.episode) episodes.push(step.episode);
      if (step.action === "update" && step.episode) episodes[episodes.length - 1] = step.episode;
      open = step.episode;
    }
    verdicts.push({
      key,
      episodes,
      judgedHours,
      hours: counts.length,
      ...(judgedHours === 0 ? { reason: "insufficient_history" as const } : {}),
    });
  }
  return verdicts;
}

/** Every spike in a batch of hourly counts (see detectSpikesByKey). Sorted by time, then key. */
export function detectSpikes(series: HourlyCount[], opts: SpikeOptions = {}): SpikeEpisode[] {
  return detectSpikesByKey(series, opts)
    .flatMap((v) => v.episodes)
    .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.key < b.key ? -1 : 1));
}

export interface SpikeHistory {
  key: string;
  /** Counts for hours before the one being judged (any order; absent hours are zero). */
  counts: { ts: string | Date; count: number }[];
  /** First hour the key was counted; earlier hours are unknown, not zero. Defaults to the earliest count. */
  since?: string | Date;
  /** The episode returned by the previous call, if any: it carries the cooldown. */
  openSpike?: SpikeEpisode | null;
}

export interface HourEvaluation {
  judgement: HourJudgement;
  /** "new": raise an alert; "update": refresh the alert already raised for `spike`; "none": nothing to send. */
  action: "new" | "update" | "none";
  /** The episode to store and pass back as `openSpike` next hour (null once it has ended). */
  spike: SpikeEpisode | null;
  /** The episode that ended before this hour, with its `endTs`, if one did. */
  ended: SpikeEpisode | null;
}

/** The hours of history `evaluateHour` reads; older counts can be left out of `history.counts`. */
export function lookbackHours(opts: SpikeOptions = {}): number {
  // The sustained rule's hours, each scaled over a week of residuals, each needing the weekly (4 weeks), daily
  // (7 days) and level (1 day) terms.
  const { sustainedHours } = resolveSpikeOptions(opts);
  return (
    Math.max(sustainedHours, 2) +
    SCALE_HOURS +
    24 +
    WEEKLY_WEEKS * HOURS_PER_WEEK +
    DAILY_DAYS * HOURS_PER_DAY +
    HOURS_PER_DAY
  );
}

/**
 * Judges one hour as the hourly job sees it: the key's past counts in, a verdict and the episode to carry out.
 * Gives the same answers as `detectSpikes` over the same data.
 */
export function evaluateHour(
  history: SpikeHistory,
  hourTs: string | Date,
  count: number,
  opts: SpikeOptions = {},
): HourEvaluation {
  const o = resolveSpikeOptions(opts);
  const hourMs = toHourMs(hourTs);
  let sinceMs = history.since !== undefined ? toHourMs(history.since) : hourMs;
  if (history.since === undefined)
    for (const row of history.counts) sinceMs = Math.min(sinceMs, toHourMs(row.ts));
  sinceMs = Math.min(sinceMs, hourMs);
  // Indices keep their distance from `since`, so truncating to the lookback changes nothing but the work done.
  const t = Math.round((hourMs - sinceMs) / HOUR_MS);
  const offset = Math.max(0, t - lookbackHours(opts));
  const windowStart = sinceMs + offset * HOUR_MS;
  const before = history.counts.filter((row) => {
    const ms = toHourMs(row.ts);
    return ms >= windowStart && ms < hourMs;
  });
  const dense = densify([...before, { ts: new Date(hourMs), count }], windowStart, hourMs);
  const local = t - offset;
  // The hours the pair and sustained rules read back need their scores too.
  const scored = scoreWindow(dense, Math.max(0, local - Math.max(1, o.sustainedHours - 1)), o);
  const judgement = judgeIndex(dense, scored, local, t, iso(hourMs), o);
  const step = advance(history.key, hourMs, judgement, history.openSpike ?? null, o);
  return { judgement, action: step.action, spike: step.episode, ended: step.ended };
}
