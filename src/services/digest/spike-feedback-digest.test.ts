// The digest's "was this alert useful?" line: per brand, the spikes it lists and how the team answered, each
// figure held against plain SQL written here. Answers go through the real service (recordSpikeFeedback), so a
// changed answer replaces the old one as on /alerts, and each person's answer counts as /alerts counts it
// (feedbackForSpikes). A week with no spike reads as zero.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import type { AuthUser } from "../../auth/types.js";
import { brands, spikes } from "../../db/schema/index.js";
import { feedbackForSpikes, recordSpikeFeedback } from "../alerts/spike-feedback.js";
import { createUser } from "../users/create-user.js";
import { renderDigest } from "./email/digest-email.js";
import { loadDigestFacts, toDigestData } from "./load-digest.js";

const W12 = { year: 2026, week: 12 }; // Mon 16 – Sun 22 March 2026
const W09 = { year: 2026, week: 9 }; // no spike
const day = (d: number, h = 12) => new Date(Date.UTC(2026, 2, d, h));
const W12_SPAN = { from: day(16, 0), until: day(23, 0) };

let deps: TestDeps;
let clock = day(23, 12);
let otherBrandId: number;
let manager: AuthUser;
let agent: AuthUser;

/** What the spike job stores (StoredSpikeDetails), as small as it gets. */
const details = (partOfSpikeId?: number) => ({
  subject: "Acme Recovery",
  feedUrl: "https://rapport.example.com/feed?brand=acme-recovery",
  alerted: partOfSpikeId === undefined,
  ...(partOfSpikeId ? { partOfSpikeId } : {}),
  episode: {
    key: "k",
    ts: "",
    count: 40,
    expected: 8,
    score: 6,
    lastTs: "",
    hours: 1,
    peak: { ts: "", count: 40, expected: 8, score: 6 },
    endTs: null,
  },
  explanation: {
    mentions: 40,
    baselineMentions: 100,
    terms: [],
    sources: [],
    authors: [],
    links: [],
    categories: [],
    examples: [],
  },
});

async function spike(brandId: number, startedAt: Date, partOfSpikeId?: number): Promise<number> {
  const [row] = await deps.db
    .insert(spikes)
    .values({
      key: `brand:${brandId}`,
      brandId,
      startedAt,
      lastHourAt: startedAt,
      count: 40,
      expected: 8,
      score: 6,
      explanation: details(partOfSpikeId),
    })
    .returning({ id: spikes.id });
  return row!.id;
}

async function answer(user: AuthUser, spikeId: number, useful: boolean, at: Date) {
  clock = at;
  await recordSpikeFeedback(deps, user, spikeId, useful);
}

/** The figures as plain SQL: the brand's listed spikes of the week joined to every answer given up to `asOf`. */
async function independent(brandId: number, span: { from: Date; until: Date }, asOf: Date) {
  const listed = `s.brand_id = ${brandId} AND s.started_at >= ${span.from.getTime()} AND s.started_at < ${span.until.getTime()}
        AND json_extract(s.explanation, '$.partOfSpikeId') IS NULL`;
  const [row] = await deps.db.all<{ alerts: number; useful: number; not_useful: number; unanswered: number }>(
    sql.raw(`
      SELECT (SELECT count(*) FROM spikes s WHERE ${listed}) AS alerts,
        (SELECT count(*) FROM spikes s JOIN spike_feedback f ON f.spike_id = s.id
          WHERE ${listed} AND f.answered_at <= ${asOf.getTime()} AND f.useful = 1) AS useful,
        (SELECT count(*) FROM spikes s JOIN spike_feedback f ON f.spike_id = s.id
          WHERE ${listed} AND f.answered_at <= ${asOf.getTime()} AND f.useful = 0) AS not_useful,
        (SELECT count(*) FROM spikes s LEFT JOIN spike_feedback f ON f.spike_id = s.id AND f.answered_at <= ${asOf.getTime()}
          WHERE ${listed} AND f.id IS NULL) AS unanswered`),
  );
  return {
    alerts: Number(row!.alerts),
    useful: Number(row!.useful),
    notUseful: Number(row!.not_useful),
    unanswered: Number(row!.unanswered),
  };
}

beforeEach(async () => {
  clock = day(23, 12);
  deps = await createTestDeps({ PUBLIC_URL: "https://rapport.example.com" }, () => clock);
  const [other] = await deps.db
    .insert(brands)
    .values({ workspaceId: deps.workspaceId, name: "Big Bank", slug: "big-bank", kind: "client" })
    .returning();
  otherBrandId = other!.id;
  const asUser = async (email: string, role: "manager" | "admin") => {
    const u = await createUser(deps, { email, role, password: "correct horse battery" });
    return { id: u.id, workspaceId: u.workspaceId, email: u.email, name: email, role: u.role };
  };
  manager = await asUser("manager@example.com", "manager");
  agent = await asUser("admin@example.com", "admin");
});

afterEach(async () => {
  await deps.cleanup();
});

describe("digest: spike alert feedback", () => {
  it("counts each person's answer on the week's listed spikes, per brand, as plain SQL and /alerts do", async () => {
    const b = deps.companyBrandId;
    const useful = await spike(b, day(17, 9));
    const changedMind = await spike(b, day(18, 14));
    const split = await spike(b, day(19, 3));
    await spike(b, day(20, 22)); // nobody answered
    const answeredLate = await spike(b, day(21, 10)); // answered only after the digest was written
    await spike(b, day(18, 14), changedMind); // folded into the brand's spike: not listed, not counted
    const lastWeek = await spike(b, day(11, 10)); // last week's: its answer this week does not count here
    const otherBrand = await spike(otherBrandId, day(18, 9)); // another brand's digest

    await answer(manager, useful, true, day(17, 10));
    await answer(manager, changedMind, true, day(18, 15));
    await answer(manager, changedMind, false, day(19, 8)); // the same person changes their answer
    await answer(manager, split, true, day(19, 9));
    await answer(agent, split, false, day(19, 11)); // two people: both answers count, as on /alerts
    await answer(manager, lastWeek, true, day(17, 8));
    await answer(manager, otherBrand, false, day(18, 10));
    await answer(manager, answeredLate, true, day(24, 9));

    const asOf = day(23, 12);
    const want = await independent(b, W12_SPAN, asOf);
    // The seed exercises every figure.
    expect(want).toEqual({ alerts: 5, useful: 2, notUseful: 2, unanswered: 2 });
    const f = await loadDigestFacts(deps, b, W12, asOf);
    expect(f.spikeFeedback).toEqual(want);
    // The split spike reads the same on /alerts: one useful, one not useful.
    const onAlerts = (await feedbackForSpikes(deps, manager, [split])).get(split);
    expect(onAlerts).toMatchObject({ useful: 1, notUseful: 1 });
    expect(f.spikeFeedback.alerts).toBe(f.spikes.length);
    const { text, html } = renderDigest(toDigestData(f));
    const line = `Spike alerts this week: ${want.alerts}; marked useful ${want.useful}, not useful ${want.notUseful}, unanswered ${want.unanswered}.`;
    expect(text).toContain(line);
    expect(html).toContain(line);

    // Written later, the late answer is in.
    const later = await loadDigestFacts(deps, b, W12, day(25, 0));
    expect(later.spikeFeedback).toEqual(await independent(b, W12_SPAN, day(25, 0)));
    expect(later.spikeFeedback.useful).toBe(want.useful + 1);

    const other = await loadDigestFacts(deps, otherBrandId, W12, asOf);
    expect(other.spikeFeedback).toEqual(await independent(otherBrandId, W12_SPAN, asOf));
    expect(other.spikeFeedback).toEqual({ alerts: 1, useful: 0, notUseful: 1, unanswered: 0 });
  });

  it("a week without spikes reads as zero", async () => {
    await spike(deps.companyBrandId, day(18, 14));
    const span = { from: new Date(Date.UTC(2026, 1, 23)), until: day(2, 0) };
    const want = await independent(deps.companyBrandId, span, clock);
    expect(want).toEqual({ alerts: 0, useful: 0, notUseful: 0, unanswered: 0 });
    const f = await loadDigestFacts(deps, deps.companyBrandId, W09, clock);
    expect(f.spikeFeedback).toEqual(want);
    const { text, html } = renderDigest(toDigestData(f));
    expect(text).toContain("Spike alerts this week: 0.");
    expect(html).toContain("Spike alerts this week: 0.");
    expect(text).not.toContain("marked useful");
  });
});
