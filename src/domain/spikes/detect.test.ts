import { describe, expect, it } from "vitest";
import { detectSpikes, evaluateHour, HOUR_MS, type HourlyCount, type SpikeEpisode } from "./detect.js";
import { logPoissonUpperTail, poissonSurprise } from "./poisson.js";

const START = Date.UTC(2026, 0, 5); // Monday 00:00 UTC
const at = (hour: number) => new Date(START + hour * HOUR_MS).toISOString();

/** A deterministic weekly rhythm: busy afternoons, quiet nights, with a small repeating wobble. */
function rhythm(hour: number, level: number): number {
  const hourOfDay = hour % 24;
  const weekend = Math.floor((hour % 168) / 24) >= 5;
  const shape = hourOfDay >= 9 && hourOfDay < 18 ? 1.6 : hourOfDay >= 18 && hourOfDay < 22 ? 0.8 : 0.2;
  const wobble = [0, 1, -1, 0, 1][hour % 5]!;
  return Math.max(0, Math.round(level * shape * (weekend ? 0.6 : 1)) + wobble);
}

function series(
  key: string,
  hours: number,
  level: number,
  bumps: Record<number, number> = {},
): HourlyCount[] {
  return Array.from({ length: hours }, (_, h) => ({ key, ts: at(h), count: bumps[h] ?? rhythm(h, level) }));
}

describe("poisson tail", () => {
  it("matches exact values", () => {
    // P(X ≥ 1 | 1) = 1 - e^-1; P(X ≥ 3 | 0.5) = 1 - e^-0.5 (1 + 0.5 + 0.125)
    expect(Math.exp(logPoissonUpperTail(1, 1))).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(Math.exp(logPoissonUpperTail(3, 0.5))).toBeCloseTo(1 - Math.exp(-0.5) * 1.625, 10);
    expect(logPoissonUpperTail(0, 4)).toBe(0);
    expect(Math.exp(logPoissonUpperTail(10, 20))).toBeCloseTo(0.995, 4);
  });

  it("stays finite far in the tail", () => {
    const s = poissonSurprise(400, 10);
    expect(Number.isFinite(s)).toBe(true);
    expect(s).toBeGreaterThan(300);
  });

  it("is not impressed by two mentions where one was expected", () => {
    expect(poissonSurprise(2, 1)).toBeLessThan(1);
  });
});

describe("detectSpikes", () => {
  it("finds an injected spike at its first hour and reports it once", () => {
    const spikeHour = 5 * 168 + 24 * 2 + 11; // a Wednesday 11:00 in week 6
    const normal = rhythm(spikeHour, 10);
    const bumps = { [spikeHour]: normal * 4, [spikeHour + 1]: normal * 4, [spikeHour + 2]: normal * 3 };
    const spikes = detectSpikes(series("brand:1", 6 * 168, 10, bumps));
    expect(spikes).toHaveLength(1);
    const [spike] = spikes as [SpikeEpisode];
    expect(spike.ts).toBe(at(spikeHour));
    expect(spike.count).toBe(normal * 4);
    expect(spike.expected).toBeGreaterThan(normal * 0.7);
    expect(spike.expected).toBeLessThan(normal * 1.4);
    expect(spike.score).toBeGreaterThan(4);
    // Later spike hours extend the same spike instead of alerting again.
    expect(spike.hours).toBe(3);
    expect(spike.lastTs).toBe(at(spikeHour + 2));
  });

  it("raises nothing on a series that keeps its weekly rhythm", () => {
    expect(detectSpikes(series("brand:1", 8 * 168, 10))).toEqual([]);
    expect(detectSpikes(series("brand:1", 8 * 168, 1))).toEqual([]);
  });

  it("knows the week's rhythm: Monday morning's rise is not a spike, the same rise at 3am is", () => {
    const rows = series("k", 5 * 168, 10);
    expect(detectSpikes(rows)).toEqual([]);
    const night = 4 * 168 + 3;
    const bumped = series("k", 5 * 168, 10, { [night]: rhythm(4 * 168 + 10, 10) });
    const spikes = detectSpikes(bumped);
    expect(spikes.map((s) => s.ts)).toEqual([at(night)]);
  });

  it("does not call a few mentions a spike below the minimum volume", () => {
    // Normally ~0 at night; 4 mentions is surprising but under the balanced minimum of 5.
    const night = 4 * 168 + 2;
    expect(detectSpikes(series("k", 5 * 168, 1, { [night]: 4 }))).toEqual([]);
    expect(detectSpikes(series("k", 5 * 168, 1, { [night]: 4 }), { sensitivity: "more" })).toHaveLength(1);
  });

  it("alerts once when the level shifts for good, then treats the new level as normal", () => {
    const shift = 4 * 168 + 9;
    for (const multiplier of [2, 3]) {
      const rows = Array.from({ length: 8 * 168 }, (_, h) => ({
        key: "k",
        ts: at(h),
        count: rhythm(h, h >= shift ? 10 * multiplier : 10),
      }));
      const spikes = detectSpikes(rows);
      expect(spikes.map((s) => s.ts)).toEqual([at(shift)]);
    }
  });

  it("judges nothing before a week of history", () => {
    expect(detectSpikes(series("k", 150, 10, { 140: 200 }))).toEqual([]);
  });

  it("opens a new spike once the cooldown has passed", () => {
    const h = 4 * 168 + 24 + 10;
    const bumps = { [h]: 80, [h + 10]: 80 };
    expect(detectSpikes(series("k", 5 * 168, 10, bumps), { cooldownHours: 6 })).toHaveLength(2);
    const merged = detectSpikes(series("k", 5 * 168, 10, bumps), { cooldownHours: 12 });
    expect(merged).toHaveLength(1);
    expect(merged[0]!.hours).toBe(2);
  });

  it("treats missing hours as zero and keeps keys apart", () => {
    const h = 4 * 168 + 24 + 10;
    const sparse = series("quiet", 5 * 168, 10).filter((row) => row.count > 12);
    const spiky = series("loud", 5 * 168, 10, { [h]: 90 });
    const spikes = detectSpikes([...sparse, ...spiky]);
    expect(spikes.map((s) => s.key)).toEqual(["loud"]);
  });

  it("uses only data before each hour: appending the future changes no earlier verdict", () => {
    const h = 4 * 168 + 24 + 10;
    const rows = series("k", 4 * 168 + 40, 10, { [h]: 90 });
    const more = series("k", 6 * 168, 10, { [h]: 90, [5 * 168]: 300 });
    const early = detectSpikes(rows);
    expect(early).toHaveLength(1);
    const later = detectSpikes(more).filter((s) => Date.parse(s.ts) < START + (4 * 168 + 40) * HOUR_MS);
    expect(later.map((s) => [s.ts, s.expected, s.score])).toEqual(
      early.map((s) => [s.ts, s.expected, s.score]),
    );
  });
});

describe("evaluateHour", () => {
  it("agrees with detectSpikes hour by hour, carrying the open spike for the cooldown", () => {
    const h = 5 * 168 + 24 + 13;
    const rows = series("k", 6 * 168, 10, { [h]: 90, [h + 1]: 70, [h + 3]: 60 });
    const batch = detectSpikes(rows);
    let open: SpikeEpisode | null = null;
    const actions: { ts: string; action: string; hours: number | undefined }[] = [];
    for (let t = 4 * 168; t < 6 * 168; t++) {
      const history = { key: "k", counts: rows.slice(0, t), since: at(0), openSpike: open };
      const result = evaluateHour(history, at(t), rows[t]!.count);
      if (result.action !== "none")
        actions.push({ ts: at(t), action: result.action, hours: result.spike?.hours });
      if (result.action === "new") {
        const match = batch.find((s) => s.ts === at(t));
        expect(match?.expected).toBe(result.spike?.expected);
        expect(match?.score).toBe(result.spike?.score);
      }
      open = result.spike;
    }
    expect(actions).toEqual([
      { ts: at(h), action: "new", hours: 1 },
      { ts: at(h + 1), action: "update", hours: 2 },
      { ts: at(h + 3), action: "update", hours: 3 },
    ]);
    expect(batch).toHaveLength(1);
  });

  it("returns no expectation while history is short", () => {
    const result = evaluateHour({ key: "k", counts: [{ ts: at(0), count: 3 }] }, at(5), 50);
    expect(result.judgement.expected).toBeNull();
    expect(result.action).toBe("none");
  });
});
