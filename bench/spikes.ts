// Spike detection benchmark: seeded synthetic hourly series with a weekly rhythm, level drift and
// overdispersed noise, with 3× spikes injected. Measures recall, false alerts per series per four weeks,
// and detection delay. Run: `npx tsx bench/spikes.ts` (also part of `npm run bench`).

import { pathToFileURL } from "node:url";
import {
  detectSpikes,
  HOUR_MS,
  HOURS_PER_WEEK,
  type HourlyCount,
  SENSITIVITY_THRESHOLDS,
  type Sensitivity,
  type SpikeOptions,
} from "../src/domain/spikes/detect.js";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function gamma(rand: () => number, shape: number): number {
  // Marsaglia–Tsang; shape ≥ 1 here.
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

/** Relative volume by hour of week (Monday 00:00 = 0): quiet nights, busy working hours, calmer weekends. */
function weeklyProfile(): number[] {
  const raw: number[] = [];
  for (let h = 0; h < HOURS_PER_WEEK; h++) {
    const hourOfDay = h % 24;
    const weekend = Math.floor(h / 24) >= 5;
    const daily =
      0.15 +
      1.5 * Math.exp(-(((hourOfDay - 13) / 4.5) ** 2)) +
      0.4 * Math.exp(-(((hourOfDay - 20) / 2) ** 2));
    raw.push(daily * (weekend ? 0.6 : 1));
  }
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((x) => x / mean);
}

export interface SpikeBenchConfig {
  seed: number;
  seriesPerLevel: number;
  /** Mean hourly counts over the week. */
  levels: number[];
  weeks: number;
  warmupWeeks: number;
  spikesPerSeries: number;
  spikeMultiplier: number;
  /** Gamma shape of the per-hour noise on the rate (higher = closer to pure Poisson). */
  dispersionShape: number;
  /** A spike counts towards the headline recall when its first hour expects at least this many mentions. */
  eligibleSpikeCount: number;
  options: SpikeOptions;
}

export const DEFAULT_SPIKE_BENCH: SpikeBenchConfig = {
  seed: 20261122,
  seriesPerLevel: 40,
  levels: [0.3, 1, 3, 10, 30, 100],
  weeks: 12,
  warmupWeeks: 4,
  spikesPerSeries: 3,
  spikeMultiplier: 3,
  dispersionShape: 50,
  eligibleSpikeCount: 30,
  options: {},
};

interface InjectedSpike {
  key: string;
  start: number;
  hours: number;
  firstHourExpected: number;
}

export interface LevelResult {
  level: number;
  spikes: number;
  detected: number;
  eligible: number;
  eligibleDetected: number;
  falseAlerts: number;
  seriesFourWeeks: number;
  delays: number[];
}

const BANDS = [0, 5, 15, 30, 60, Number.POSITIVE_INFINITY];

export interface SpikeBenchResult {
  levels: LevelResult[];
  /** Recall by the spike's expected count in its first hour: [from, to, spikes, detected]. */
  bands: [number, number, number, number][];
  recallEligible: number;
  recallAll: number;
  falseAlertsPerSeriesPer4Weeks: number;
  worstLevelFalseAlerts: number;
  meanDelayHours: number;
  p95DelayHours: number;
}

export function computeSpikeBench(config: SpikeBenchConfig = DEFAULT_SPIKE_BENCH): SpikeBenchResult {
  const rand = mulberry32(config.seed);
  const profile = weeklyProfile();
  const startMs = Date.UTC(2026, 0, 5); // a Monday
  const totalHours = config.weeks * HOURS_PER_WEEK;
  const judgedFrom = config.warmupWeeks * HOURS_PER_WEEK;
  const cooldown = config.options.cooldownHours ?? 6;
  const levels: LevelResult[] = [];
  const bands = BANDS.slice(0, -1).map(
    (from, i) => [from, BANDS[i + 1]!, 0, 0] as [number, number, number, number],
  );

  for (const level of config.levels) {
    const rows: HourlyCount[] = [];
    const injected: InjectedSpike[] = [];
    for (let s = 0; s < config.seriesPerLevel; s++) {
      const key = `level${level}-series${s}`;
      const spikes: InjectedSpike[] = [];
      // Spikes land in the judged weeks, apart from each other by more than a day.
      while (spikes.length < config.spikesPerSeries) {
        const start = judgedFrom + Math.floor(rand() * (totalHours - judgedFrom - 12));
        if (spikes.some((x) => Math.abs(x.start - start) < 48)) continue;
        spikes.push({ key, start, hours: 2 + Math.floor(rand() * 5), firstHourExpected: 0 });
      }
      let slowDrift = 0;
      let fastDrift = 0;
      for (let t = 0; t < totalHours; t++) {
        // The level wanders (mean-reverting on a log scale) as a brand's volume does: slowly from week to week
        // (half-life ~6 days) and faster with the news of the day (half-life ~14 hours); ~15% spread each.
        slowDrift = 0.995 * slowDrift + 0.015 * normal(rand);
        fastDrift = 0.95 * fastDrift + 0.047 * normal(rand);
        // On top of Poisson noise, a gamma-distributed rate per hour: real counts are overdispersed.
        const hourNoise = gamma(rand, config.dispersionShape) / config.dispersionShape;
        let rate = level * profile[t % HOURS_PER_WEEK]! * Math.exp(slowDrift + fastDrift) * hourNoise;
        const spike = spikes.find((x) => t >= x.start && t < x.start + x.hours);
        if (spike) {
          if (t === spike.start) spike.firstHourExpected = rate * config.spikeMultiplier;
          rate *= config.spikeMultiplier;
        }
        const count = poisson(rand, rate);
        if (count > 0) rows.push({ key, ts: new Date(startMs + t * HOUR_MS).toISOString(), count });
      }
      injected.push(...spikes);
    }
    // Pin the shared time span: every key starts and ends on the same hours even if those hours were empty.
    rows.push({ key: "__span__", ts: new Date(startMs).toISOString(), count: 0 });
    rows.push({
      key: "__span__",
      ts: new Date(startMs + (totalHours - 1) * HOUR_MS).toISOString(),
      count: 0,
    });

    const found = detectSpikes(rows, config.options).filter((e) => e.key !== "__span__");
    const result: LevelResult = {
      level,
      spikes: injected.length,
      detected: 0,
      eligible: 0,
      eligibleDetected: 0,
      falseAlerts: 0,
      seriesFourWeeks: (config.seriesPerLevel * (config.weeks - config.warmupWeeks)) / 4,
      delays: [],
    };
    const matched = new Set<number>();
    for (const spike of injected) {
      const eligible = spike.firstHourExpected >= config.eligibleSpikeCount;
      const band = bands.find(
        ([from, to]) => spike.firstHourExpected >= from && spike.firstHourExpected < to,
      )!;
      band[2]++;
      if (eligible) result.eligible++;
      const hit = found.findIndex((e) => {
        const t = (Date.parse(e.ts) - startMs) / HOUR_MS;
        return e.key === spike.key && t >= spike.start && t < spike.start + spike.hours;
      });
      if (hit < 0) continue;
      matched.add(hit);
      result.detected++;
      band[3]++;
      if (eligible) {
        result.eligibleDetected++;
        result.delays.push((Date.parse(found[hit]!.ts) - startMs) / HOUR_MS - spike.start);
      }
    }
    found.forEach((e, i) => {
      const t = (Date.parse(e.ts) - startMs) / HOUR_MS;
      if (matched.has(i) || t < judgedFrom) return;
      // An alert in the hours just after a spike is the same event seen late, not a false alarm.
      const echo = injected.some((x) => x.key === e.key && t >= x.start && t < x.start + x.hours + cooldown);
      if (!echo) result.falseAlerts++;
    });
    levels.push(result);
  }

  const sum = (f: (l: LevelResult) => number) => levels.reduce((a, l) => a + f(l), 0);
  const delays = levels.flatMap((l) => l.delays).sort((a, b) => a - b);
  return {
    levels,
    bands,
    recallEligible:
      sum((l) => l.eligibleDetected) /
      Math.max(
        1,
        sum((l) => l.eligible),
      ),
    recallAll:
      sum((l) => l.detected) /
      Math.max(
        1,
        sum((l) => l.spikes),
      ),
    falseAlertsPerSeriesPer4Weeks: sum((l) => l.falseAlerts) / sum((l) => l.seriesFourWeeks),
    worstLevelFalseAlerts: Math.max(...levels.map((l) => l.falseAlerts / l.seriesFourWeeks)),
    meanDelayHours: delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length),
    p95DelayHours: delays[Math.min(delays.length - 1, Math.floor(0.95 * delays.length))] ?? 0,
  };
}

function formatResult(name: string, r: SpikeBenchResult, eligibleCount: number): string {
  const lines = [
    `spikes (${name}): recall on 3× spikes expecting ≥${eligibleCount} mentions in their first hour ${r.recallEligible.toFixed(3)} (target ≥ 0.95)`,
    `  recall on all 3× spikes ${r.recallAll.toFixed(3)}; false alerts per series per 4 weeks ${r.falseAlertsPerSeriesPer4Weeks.toFixed(3)} (worst volume level ${r.worstLevelFalseAlerts.toFixed(3)}; target ≤ 1)`,
    `  detection delay: mean ${r.meanDelayHours.toFixed(2)} h, p95 ${r.p95DelayHours} h (target ≤ 1 h)`,
    "  mean/hour  spikes  recall(all)  recall(eligible)  false/series/4wk  mean delay",
  ];
  lines.push(
    `  recall by expected mentions in the spike's first hour: ${r.bands
      .map(
        ([from, to, n, hit]) =>
          `${from}–${Number.isFinite(to) ? to : "∞"}: ${n ? (hit / n).toFixed(2) : "-"} (${n})`,
      )
      .join(", ")}`,
  );
  for (const l of r.levels) {
    const delay = l.delays.length ? (l.delays.reduce((a, b) => a + b, 0) / l.delays.length).toFixed(2) : "-";
    lines.push(
      `  ${String(l.level).padStart(9)}  ${String(l.spikes).padStart(6)}  ${(l.detected / l.spikes).toFixed(3).padStart(11)}  ${(l.eligible ? (l.eligibleDetected / l.eligible).toFixed(3) : "-").padStart(16)} (${l.eligible})  ${(l.falseAlerts / l.seriesFourWeeks).toFixed(3).padStart(8)}  ${delay.padStart(10)}`,
    );
  }
  return lines.join("\n");
}

export async function runSpikeBench(): Promise<void> {
  for (const sensitivity of Object.keys(SENSITIVITY_THRESHOLDS) as Sensitivity[]) {
    const config = { ...DEFAULT_SPIKE_BENCH, options: { sensitivity } };
    console.log(formatResult(sensitivity, computeSpikeBench(config), config.eligibleSpikeCount));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSpikeBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
