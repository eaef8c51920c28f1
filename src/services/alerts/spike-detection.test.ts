// The hourly spike job over a real database: three weeks of rhythm, then a burst of garnishment complaints.
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import { startHttpServer, type TestServer } from "../../../test/helpers/http-server.js";
import { markD1 } from "../../db/atomic.js";
import {
  brands,
  hourlyCounts,
  mentionBrands,
  mentions,
  outbox,
  sources,
  spikeMutes,
  spikes,
  workspaces,
} from "../../db/schema/index.js";
import { runDeliverOutbox } from "../../jobs/deliver-outbox.js";
import { runDetectSpikes } from "../../jobs/detect-spikes.js";
import type { StoredSpikeDetails } from "./spike-detection.js";

const HOUR = 3_600_000;
const SPIKE_HOUR = new Date("2026-03-23T14:00:00Z"); // a Monday afternoon
const START = new Date(SPIKE_HOUR.getTime() - 21 * 24 * HOUR);
const at = (hour: Date, minutes = 0) => new Date(hour.getTime() + minutes * 60_000);
const nextHour = (hour: Date, n = 1) => new Date(hour.getTime() + n * HOUR);

let deps: TestDeps;
let slack: TestServer;
let sourceId: number;
let mentionCounter = 0;

/** A weekly rhythm: busier on weekday working hours, a little noise, never a spike. */
const usual = (hourMs: number) => {
  const d = new Date(hourMs);
  const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  const working = d.getUTCHours() >= 13 && d.getUTCHours() <= 22;
  return (weekday && working ? 3 : 1) + ((hourMs / HOUR) % 3 === 0 ? 1 : 0);
};

async function addMentions(hour: Date, texts: string[], category: string, sameHash?: string) {
  for (const [i, text] of texts.entries()) {
    mentionCounter++;
    const [row] = await deps.db
      .insert(mentions)
      .values({
        sourceId,
        externalId: `m${mentionCounter}`,
        text,
        textMasked: text.replace(/\d{3}-\d{3}-\d{4}/g, "[PHONE]"),
        createdAt: new Date(hour.getTime() + (i % 60) * 60_000),
        contentHash: sameHash ?? `h${mentionCounter}`,
        authorHandle: `user${mentionCounter}`,
        authorKey: `ak${mentionCounter}`,
        category,
        relevant: true,
        severity: "high",
      })
      .returning({ id: mentions.id });
    await deps.db.insert(mentionBrands).values({ mentionId: row!.id, brandId: deps.companyBrandId });
  }
  await bump(`brand:${deps.companyBrandId}`, hour, texts.length);
  await bump(`brand:${deps.companyBrandId}|cat:${category}|src:${sourceId}`, hour, texts.length);
}

async function bump(key: string, hour: Date, count: number) {
  await deps.db
    .insert(hourlyCounts)
    .values({ key, hour, count })
    .onConflictDoUpdate({
      target: [hourlyCounts.key, hourlyCounts.hour],
      set: { count: sql`${hourlyCounts.count} + ${count}` },
    });
}

beforeEach(async () => {
  slack = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  deps = await createTestDeps({
    SLACK_WEBHOOK_URL: `${slack.url}/services/ALL`,
    PUBLIC_URL: "https://rapport.example.com",
  });
  const [source] = await deps.db
    .insert(sources)
    .values({
      workspaceId: deps.workspaceId,
      brandId: deps.companyBrandId,
      name: "reddit-main",
      type: "reddit",
    })
    .returning();
  sourceId = source!.id;
  // Three weeks of counts only (the baseline week also gets real mentions below, for the explanation).
  const rows = [];
  for (let h = START.getTime(); h < SPIKE_HOUR.getTime(); h += HOUR) {
    rows.push({ key: `brand:${deps.companyBrandId}`, hour: new Date(h), count: usual(h) });
  }
  for (let i = 0; i < rows.length; i += 200)
    await deps.db.insert(hourlyCounts).values(rows.slice(i, i + 200));
  // The same hours of the past four weeks: mentions about the payment portal (what "normal" talks about).
  for (let week = 1; week <= 4; week++) {
    for (const offset of [-1, 0, 1]) {
      const at = new Date(SPIKE_HOUR.getTime() - week * 168 * HOUR + offset * HOUR + 10 * 60_000);
      mentionCounter++;
      const [row] = await deps.db
        .insert(mentions)
        .values({
          sourceId,
          externalId: `base${mentionCounter}`,
          text: "The payment portal keeps logging me out",
          textMasked: "The payment portal keeps logging me out",
          createdAt: at,
          contentHash: `b${mentionCounter}`,
          authorHandle: "regular",
          category: "payment_service",
          relevant: true,
          severity: "low",
        })
        .returning({ id: mentions.id });
      await deps.db.insert(mentionBrands).values({ mentionId: row!.id, brandId: deps.companyBrandId });
    }
  }
});

afterEach(async () => {
  await slack.close();
  await deps.cleanup();
});

const VOICES = [
  "They said they will garnish my paycheck and sue me, this is harassment",
  "Now they want to garnish wages from my second job too",
  "Got a letter saying they will garnish my account by Friday",
];
const burst = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? `Acme threatened to garnish my wages, call me 555-123-${String(1000 + i)} — see https://news.example.org/acme-garnish`
      : VOICES[i % VOICES.length]!,
  );

describe("spike job", () => {
  it("alerts once for a burst, explains it with masked examples, and updates rather than repeats", async () => {
    // A quiet previous hour is judged and found normal.
    await bump(`brand:${deps.companyBrandId}`, nextHour(SPIKE_HOUR, -1), 0);
    await addMentions(SPIKE_HOUR, burst(30), "legal_threats");
    const first = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    expect(first).toMatchObject({ newSpikes: expect.any(Number), alerts: 1 });

    const rows = await deps.db.select().from(spikes);
    const brandSpike = rows.find((r) => r.key === `brand:${deps.companyBrandId}`)!;
    expect(brandSpike).toMatchObject({ count: 30, startedAt: SPIKE_HOUR, lastHourAt: SPIKE_HOUR });
    expect(brandSpike.expected).toBeLessThan(6);
    const details = brandSpike.explanation as StoredSpikeDetails;
    expect(details.explanation.terms.map((t) => t.value)).toContain("garnish");
    expect(details.explanation.categories.map((c) => c.value)).toEqual(["legal_threats"]);
    expect(details.explanation.links.map((l) => l.value)).toContain("news.example.org/acme-garnish");
    expect(details.explanation.examples).toHaveLength(3);
    expect(details.feedUrl).toBe(
      `https://rapport.example.com/feed?brand=acme-recovery&since=${encodeURIComponent(SPIKE_HOUR.toISOString())}&until=${encodeURIComponent(nextHour(SPIKE_HOUR).toISOString())}`,
    );
    // The category×source key spiked in the same hour: recorded, folded into the brand alert.
    for (const sub of rows.filter((r) => r.key !== brandSpike.key)) {
      expect((sub.explanation as StoredSpikeDetails).partOfSpikeId).toBe(brandSpike.id);
    }

    const alerts = await deps.db.select().from(outbox);
    expect(alerts.map((a) => a.idempotencyKey)).toEqual([`spike:${brandSpike.id}`]);
    const payload = JSON.stringify(alerts[0]!.payload);
    expect(payload).toContain("Spike: mention volume — Acme Recovery");
    expect(payload).toContain("30 mentions compared with 12 from the same hours of past weeks");
    expect(payload).toContain("[PHONE]");
    expect(payload).not.toMatch(/555-123-\d{4}/);
    expect(payload).toContain("Open the feed");

    // Re-running the same hour changes nothing.
    const again = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 20));
    expect(again.newSpikes + again.updated).toBe(0);

    // The burst goes on: the spike row is updated, no second alert.
    await addMentions(nextHour(SPIKE_HOUR), burst(40), "legal_threats");
    const second = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR, 2), 5));
    expect(second.alerts).toBe(0);
    expect(second.updated).toBeGreaterThanOrEqual(1);
    const [updated] = await deps.db.select().from(spikes).where(eq(spikes.id, brandSpike.id));
    expect(updated!.lastHourAt).toEqual(nextHour(SPIKE_HOUR));
    const episode = (updated!.explanation as StoredSpikeDetails).episode;
    expect(episode).toMatchObject({ hours: 2, peak: { count: 40 } });
    expect(await deps.db.select().from(outbox)).toHaveLength(1);

    await runDeliverOutbox(deps, at(nextHour(SPIKE_HOUR, 2), 6));
    expect(slack.requests).toHaveLength(1);
  });

  it("a second, bigger wave after a calm hour ends the episode and is alerted as its own, once", async () => {
    await bump(`brand:${deps.companyBrandId}`, nextHour(SPIKE_HOUR, -1), 0);
    await addMentions(SPIKE_HOUR, burst(30), "legal_threats");
    await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    // An hour with nothing, then three times the first wave's peak, inside the day's cooldown.
    const wave = nextHour(SPIKE_HOUR, 2);
    await addMentions(wave, burst(90), "legal_threats");
    const report = await runDetectSpikes(deps, at(nextHour(wave), 5));
    expect(report.alerts).toBe(1);
    const brandKey = `brand:${deps.companyBrandId}`;
    const rows = (await deps.db.select().from(spikes).where(eq(spikes.key, brandKey))).sort(
      (a, b) => a.id - b.id,
    );
    expect(rows.map((r) => [r.startedAt, r.endedAt])).toEqual([
      [SPIKE_HOUR, nextHour(SPIKE_HOUR)],
      [wave, null],
    ]);
    expect((rows[1]!.explanation as StoredSpikeDetails).episode.grewFrom).toBe(30);
    const messages = (await deps.db.select().from(outbox)).map((m) => JSON.stringify(m.payload));
    expect(messages).toHaveLength(2);
    expect(messages[1]).toContain("Second, bigger wave: mention volume — Acme Recovery");
    expect(messages[1]).toContain(
      "The episode already under way peaked at 30 mentions in an hour; this hour has 90.",
    );
    // Re-running the hour sends nothing more.
    expect((await runDetectSpikes(deps, at(nextHour(wave), 20))).alerts).toBe(0);
    expect(await deps.db.select().from(outbox)).toHaveLength(2);
  });

  it("runs on a D1 handle: a new spike and its Slack message are one atomic batch", async () => {
    markD1(deps.db); // any interactive transaction would now be refused (src/db/atomic.ts)
    await bump(`brand:${deps.companyBrandId}`, nextHour(SPIKE_HOUR, -1), 0);
    await addMentions(SPIKE_HOUR, burst(30), "legal_threats");
    expect(await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5))).toMatchObject({ alerts: 1 });
    const brandSpike = (await deps.db.select().from(spikes)).find(
      (r) => r.key === `brand:${deps.companyBrandId}`,
    )!;
    const alerts = await deps.db.select().from(outbox);
    expect(alerts.map((a) => a.idempotencyKey)).toEqual([`spike:${brandSpike.id}`]);
  });

  it("a new category surge during a brand episode that began earlier gets its own alert", async () => {
    const legalKey = `brand:${deps.companyBrandId}|cat:legal_threats|src:${sourceId}`;
    const history = [];
    for (let h = START.getTime(); h < nextHour(SPIKE_HOUR).getTime(); h += HOUR)
      history.push({ key: legalKey, hour: new Date(h), count: (h / HOUR) % 4 === 0 ? 1 : 0 });
    for (let i = 0; i < history.length; i += 200)
      await deps.db.insert(hourlyCounts).values(history.slice(i, i + 200));
    await bump(`brand:${deps.companyBrandId}`, nextHour(SPIKE_HOUR, -1), 0);
    await addMentions(SPIKE_HOUR, burst(30), "payment_service");
    expect((await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5))).alerts).toBe(1);

    // The next hour the brand episode goes on, and legal threats surge for the first time.
    await addMentions(nextHour(SPIKE_HOUR), burst(40), "legal_threats");
    await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR, 2), 5));
    const legal = (await deps.db.select().from(spikes)).find((r) => r.key === legalKey);
    expect(legal).toBeDefined();
    expect((legal!.explanation as StoredSpikeDetails).partOfSpikeId).toBeUndefined();
    expect((await deps.db.select().from(outbox)).map((a) => a.idempotencyKey)).toContain(
      `spike:${legal!.id}`,
    );
  });

  it("respects the workspace's sensitivity and the minimum volume", async () => {
    await deps.db
      .update(workspaces)
      .set({ settings: { spikeSensitivity: "fewer" } })
      .where(eq(workspaces.id, deps.workspaceId));
    // 20 in an hour that usually has ~3: far above normal, but "fewer" wants at least 25 mentions (next test:
    // "balanced" alerts).
    await addMentions(SPIKE_HOUR, burst(20), "legal_threats");
    const report = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    expect(report.judged).toBeGreaterThan(0);
    expect(report.newSpikes).toBe(0);
    expect(await deps.db.select().from(outbox)).toHaveLength(0);
  });

  it("the same hour is a spike at the default sensitivity", async () => {
    await addMentions(SPIKE_HOUR, burst(20), "legal_threats");
    const report = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    expect(report.alerts).toBe(1);
  });

  it("judges nothing without three days of history", async () => {
    await deps.db.delete(hourlyCounts);
    await addMentions(SPIKE_HOUR, burst(50), "legal_threats");
    const report = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    expect(report.newSpikes).toBe(0);
  });

  it("records a muted key's spike without sending it, and sends again once the snooze is over", async () => {
    const brandKey = `brand:${deps.companyBrandId}`;
    await deps.db.insert(spikeMutes).values({
      workspaceId: deps.workspaceId,
      key: brandKey,
      until: nextHour(SPIKE_HOUR, 2),
      createdAt: SPIKE_HOUR,
    });
    await addMentions(SPIKE_HOUR, burst(30), "legal_threats");
    const report = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    expect(report.newSpikes).toBeGreaterThan(0);
    expect(report.alerts).toBe(0);
    expect(await deps.db.select().from(outbox)).toHaveLength(0);
    const rows = await deps.db.select().from(spikes);
    const brandSpike = rows.find((r) => r.key === brandKey)!;
    expect((brandSpike.explanation as StoredSpikeDetails).muted).toEqual({
      until: nextHour(SPIKE_HOUR, 2).toISOString(),
    });
    // The brand mute covers its category×source key too: nothing of Acme reached Slack.
    expect(rows.every((r) => !(r.explanation as StoredSpikeDetails).alerted)).toBe(true);

    // A day and a half later (the episode over, the snooze long past) a new burst is sent.
    const later = nextHour(SPIKE_HOUR, 36);
    for (let h = nextHour(SPIKE_HOUR).getTime(); h < later.getTime(); h += HOUR)
      await bump(brandKey, new Date(h), usual(h));
    await addMentions(later, burst(30), "legal_threats");
    const again = await runDetectSpikes(deps, at(nextHour(later), 5));
    expect(again.alerts).toBe(1);
    // The first episode's end was written once its cooldown passed: the hour after its last spike hour.
    const [first] = await deps.db.select().from(spikes).where(eq(spikes.id, brandSpike.id));
    expect(first!.endedAt).toEqual(nextHour(SPIKE_HOUR));
  });

  it("a brand's own sensitivity overrides the workspace's", async () => {
    await deps.db
      .update(workspaces)
      .set({ settings: { spikeSensitivity: "more" } })
      .where(eq(workspaces.id, deps.workspaceId));
    await deps.db.update(brands).set({ spikeSensitivity: "fewer" }).where(eq(brands.id, deps.companyBrandId));
    await addMentions(SPIKE_HOUR, burst(20), "legal_threats");
    const report = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    // "fewer" wants 25 mentions; the workspace's "more" would have alerted on 20.
    expect(report.newSpikes).toBe(0);
    await deps.db.update(brands).set({ spikeSensitivity: null }).where(eq(brands.id, deps.companyBrandId));
    await deps.db.delete(spikes);
    const followsWorkspace = await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 6));
    expect(followsWorkspace.alerts).toBe(1);
  });

  it("says when one cross-posted text carries the spike: a retweet storm is not a wave", async () => {
    await addMentions(
      SPIKE_HOUR,
      Array.from({ length: 30 }, () => "RT @loud: Acme will garnish your wages, share this"),
      "legal_threats",
      "one-hash",
    );
    await runDetectSpikes(deps, at(nextHour(SPIKE_HOUR), 5));
    const brandSpike = (await deps.db.select().from(spikes)).find(
      (r) => r.key === `brand:${deps.companyBrandId}`,
    )!;
    const details = brandSpike.explanation as StoredSpikeDetails;
    expect(details.explanation.concentration).toMatchObject({ kind: "cross_post", texts: 1, authors: 30 });
    expect(details.summary).toContain("One post shared 30 times (100% of the spike)");
    const [alert] = await deps.db.select().from(outbox);
    expect(JSON.stringify(alert!.payload)).toContain("not a wave of complaints");
  });
});
