// The weekly digest from seeded weeks: every figure loadDigestFacts reports is held against an independent
// computation (plain SQL written here), over a week with replies, stopped replies, account links, rights events,
// spikes, unsure classifications, overdue and backfilled posts, and over a week with none of each (zero wording).
// Then when the job queues it (Monday 08:00 in each reader's zone, once), the e-mail a real SMTP server receives
// through the outbox, and the CLI.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { header, mimePart, startSmtpServer, type TestSmtpServer } from "../../../test/alerts/smtp.js";
import { runCli } from "../../../test/helpers/cli.js";
import { createTestDeps, type TestDeps } from "../../../test/helpers/deps.js";
import {
  accountLinks,
  accounts,
  brands,
  cases,
  digestRecipients,
  mentionBrands,
  mentions,
  outbox,
  replies,
  replyLints,
  rightsEvents,
  sources,
  spikes,
} from "../../db/schema/index.js";
import { DIGEST_SECTIONS } from "../../domain/digest/digest-data.js";
import { runDeliverOutbox } from "../../jobs/deliver-outbox.js";
import { runSendDigestsJob } from "../../jobs/send-digests.js";
import { createUser } from "../users/create-user.js";
import { CONFIDENCE_FLOOR } from "./digest-queries.js";
import { renderDigest } from "./email/digest-email.js";
import { loadDigestFacts, toDigestData } from "./load-digest.js";

const W12 = { year: 2026, week: 12 }; // Mon 16 – Sun 22 March 2026
const W09 = { year: 2026, week: 9 }; // nothing happened
const day = (d: number, h = 12, m = 0) => new Date(Date.UTC(2026, 2, d, h, m));
const W12_SPAN = { from: day(16, 0), until: day(23, 0) };
const W11_SPAN = { from: day(9, 0), until: day(16, 0) };
const MIN = 60_000;

let deps: TestDeps;
let smtp: TestSmtpServer;
let clock = day(23, 12, 5);
let redditId: number;
let trustpilotId: number;
let clientBrandId: number;
let userId: number;
let counter = 0;

interface Seed {
  at: Date;
  category: string;
  relevant?: boolean;
  severity?: string;
  flags?: string[];
  reach?: number;
  text?: string;
  status?: string;
  slaMinutes?: number;
  respondedAfter?: number;
  sourceId?: number;
  confidence?: number;
  human?: boolean;
  storedAt?: Date;
  groupId?: number;
  brandId?: number;
}

async function seed(s: Seed): Promise<number> {
  counter++;
  const text = s.text ?? `Complaint number ${counter} about Acme Recovery`;
  const [row] = await deps.db
    .insert(mentions)
    .values({
      sourceId: s.sourceId ?? redditId,
      externalId: `e${counter}`,
      url: `https://reddit.example/r/debt/${counter}`,
      text,
      textMasked: text.replace(/\d{3}-\d{3}-\d{4}/g, "[PHONE]"),
      createdAt: s.at,
      fetchedAt: s.storedAt ?? new Date(s.at.getTime() + MIN),
      contentHash: `c${counter}`,
      category: s.category,
      relevant: s.relevant ?? s.category !== "not_collections",
      severity: s.severity ?? "medium",
      flags: s.flags ?? [],
      reach: s.reach ?? null,
      confidence: s.confidence ?? 0.9,
      classifiedBy: s.human ? "human" : "local",
      status: s.status ?? "new",
      slaDueAt: s.slaMinutes !== undefined ? new Date(s.at.getTime() + s.slaMinutes * MIN) : null,
      firstResponseAt:
        s.respondedAfter !== undefined ? new Date(s.at.getTime() + s.respondedAfter * MIN) : null,
    })
    .returning({ id: mentions.id });
  const id = row!.id;
  await deps.db
    .update(mentions)
    .set({ groupId: s.groupId ?? id })
    .where(eq(mentions.id, id));
  await deps.db.insert(mentionBrands).values({ mentionId: id, brandId: s.brandId ?? deps.companyBrandId });
  return id;
}

async function reply(mentionId: number, status: "posted" | "draft", postedAt?: Date) {
  const [row] = await deps.db
    .insert(replies)
    .values({
      mentionId,
      threadKey: `${redditId}:t${mentionId}`,
      authorId: userId,
      origin: "template",
      text: "We're sorry",
      status,
      ...(postedAt ? { postedAt } : {}),
    })
    .returning();
  return row!.id;
}

const lint = (replyId: number, at: Date, rules: string[]) =>
  deps.db.insert(replyLints).values({
    replyId,
    text: "draft",
    ok: rules.length === 0,
    violations: rules.map((rule) => ({ rule, message: "blocked" })),
    createdAt: at,
  });

beforeEach(async () => {
  smtp = await startSmtpServer();
  clock = day(23, 12, 5);
  deps = await createTestDeps(
    {
      SMTP_URL: smtp.url,
      MAIL_FROM: "Rapport <digest@rapport.example>",
      PUBLIC_URL: "https://rapport.example.com",
    },
    () => clock,
  );
  const [reddit] = await deps.db
    .insert(sources)
    .values({ workspaceId: deps.workspaceId, name: "reddit-main", type: "reddit" })
    .returning();
  const [trustpilot] = await deps.db
    .insert(sources)
    .values({ workspaceId: deps.workspaceId, name: "trustpilot", type: "trustpilot" })
    .returning();
  redditId = reddit!.id;
  trustpilotId = trustpilot!.id;
  const [client] = await deps.db
    .insert(brands)
    .values({ workspaceId: deps.workspaceId, name: "Big Bank", slug: "big-bank", kind: "client" })
    .returning();
  clientBrandId = client!.id;
  const user = await createUser(deps, {
    email: "manager@example.com",
    role: "manager",
    password: "correct horse battery",
  });
  userId = user.id;

  // Last week: 4 relevant mentions, never answered (still open, overdue now), and a stopped reply.
  for (let i = 0; i < 4; i++) await seed({ at: day(10 + i), category: "payment_service", slaMinutes: 1440 });
  // This week.
  const answered = await seed({
    at: day(16, 9),
    category: "communication_tactics",
    slaMinutes: 240,
    respondedAfter: 30,
    severity: "high",
    reach: 5000,
    status: "posted",
    text: "They call me 20 times a day at 555-201-3344, make it stop",
  });
  const late = await seed({
    at: day(17, 9),
    category: "communication_tactics",
    slaMinutes: 1440,
    respondedAfter: 1500,
    status: "posted",
    confidence: 0.8,
  });
  const missed = await seed({
    at: day(18, 9),
    category: "communication_tactics",
    severity: "high",
    slaMinutes: 240,
    confidence: 0.95,
  });
  await seed({ at: day(18, 9, 5), category: "communication_tactics", groupId: missed, severity: "high" });
  await seed({
    at: day(19, 9),
    category: "communication_tactics",
    severity: "low",
    sourceId: trustpilotId,
    status: "dismissed",
    slaMinutes: 4320,
    respondedAfter: 60,
  });
  // Critical, but the model was unsure (0.55): counted, never quoted.
  const attorney = await seed({
    at: day(20, 9),
    category: "legal_threats",
    severity: "critical",
    flags: ["attorney"],
    confidence: 0.55,
    slaMinutes: 60,
    text: "My attorney is sending Acme Recovery a letter",
  });
  // Unsure too, but a person confirmed it: quotable.
  const dispute1 = await seed({
    at: day(21, 9),
    category: "legal_threats",
    severity: "high",
    flags: ["dispute", "pii"],
    confidence: 0.5,
    human: true,
    status: "escalated",
    slaMinutes: 240,
    respondedAfter: 10,
    text: "I dispute this, it is not my debt",
  });
  const dispute2 = await seed({
    at: day(21, 10),
    category: "debt_not_owed",
    flags: ["dispute"],
    confidence: 0.7,
    slaMinutes: 1440,
  });
  await seed({
    at: day(22, 9),
    category: "debt_not_owed",
    flags: ["dispute"],
    confidence: 0.3,
    slaMinutes: 1440,
  });
  await seed({
    at: day(22, 20),
    category: "other_collections",
    severity: "low",
    confidence: 0.65,
    slaMinutes: 4320,
  });
  await seed({
    at: day(22, 9),
    category: "praise",
    severity: "low",
    slaMinutes: 4320,
    text: "The agent was kind and patient",
  });
  await seed({ at: day(22, 10), category: "not_collections", severity: "low" });
  // A backfill: posted on Monday 01:00, stored on Sunday, already past due.
  await seed({
    at: day(16, 1),
    category: "privacy",
    slaMinutes: 1440,
    storedAt: day(22, 8),
    confidence: 0.9,
  });
  // The client brand's mention: not in Acme's digest.
  await seed({
    at: day(18, 9),
    category: "legal_threats",
    severity: "critical",
    slaMinutes: 60,
    brandId: clientBrandId,
  });

  // Account links and rights events: two linked (events recorded), one only suggested, one not linked at all.
  const [account] = await deps.db
    .insert(accounts)
    .values({ workspaceId: deps.workspaceId, reference: "R-1", displayName: "Pat" })
    .returning();
  await deps.db.insert(accountLinks).values([
    { mentionId: attorney, accountId: account!.id, score: 90, evidence: {}, status: "confirmed" },
    { mentionId: dispute1, accountId: account!.id, score: 90, evidence: {}, status: "confirmed" },
    { mentionId: dispute2, accountId: account!.id, score: 40, evidence: {}, status: "suggested" },
  ]);
  await deps.db.insert(rightsEvents).values([
    { accountId: account!.id, mentionId: attorney, flag: "attorney", occurredAt: day(20, 9) },
    { accountId: account!.id, mentionId: dispute1, flag: "dispute", occurredAt: day(21, 9) },
  ]);

  const spikeDetails = (partOfSpikeId?: number) => ({
    subject: "Acme Recovery",
    feedUrl: "https://rapport.example.com/feed?brand=acme-recovery",
    alerted: true,
    ...(partOfSpikeId ? { partOfSpikeId } : {}),
    episode: {
      key: "k",
      ts: "",
      count: 30,
      expected: 3.2,
      score: 9.1,
      lastTs: "",
      hours: 2,
      peak: { ts: "", count: 41, expected: 3.4, score: 12 },
    },
    explanation: {
      mentions: 30,
      baselineMentions: 100,
      terms: [{ value: "garnish", count: 20, share: 0.66, baselineShare: 0.01, score: 5 }],
      sources: [],
      authors: [],
      links: [],
      categories: [],
      examples: [],
    },
  });
  const [spike] = await deps.db
    .insert(spikes)
    .values({
      key: `brand:${deps.companyBrandId}`,
      brandId: deps.companyBrandId,
      startedAt: day(18, 14),
      lastHourAt: day(18, 15),
      count: 30,
      expected: 3.2,
      score: 9.1,
      explanation: spikeDetails(),
    })
    .returning();
  await deps.db.insert(spikes).values([
    {
      key: `brand:${deps.companyBrandId}|cat:communication_tactics|src:${redditId}`,
      brandId: deps.companyBrandId,
      startedAt: day(18, 14),
      lastHourAt: day(18, 15),
      count: 20,
      expected: 2,
      score: 8,
      explanation: spikeDetails(spike!.id),
    },
    {
      key: `brand:${deps.companyBrandId}`,
      brandId: deps.companyBrandId,
      startedAt: day(11, 14),
      lastHourAt: day(11, 15),
      count: 20,
      expected: 2,
      score: 8,
      explanation: spikeDetails(),
    },
  ]);

  // Replies: two posted this week; the compliance check stopped two replies this week (one of them three times)
  // and one last week.
  const r1 = await reply(answered, "posted", day(16, 9, 30));
  const r2 = await reply(late, "posted", day(18, 10));
  const r3 = await reply(missed, "draft");
  await lint(r1, day(16, 9, 10), ["B1"]);
  await lint(r1, day(16, 9, 20), []);
  await lint(r3, day(18, 10), ["B2"]);
  await lint(r3, day(18, 11), ["B2", "B1"]);
  await lint(r3, day(18, 12), ["B2"]);
  await lint(r2, day(12, 10), ["B5"]);
  await lint(r2, day(17, 10), []);
  await deps.db.insert(cases).values([
    { rootMentionId: answered, authorKey: "a", openedAt: day(16, 9, 30), recovered: true },
    { rootMentionId: late, authorKey: "b", openedAt: day(18, 10), recovered: null },
    { rootMentionId: late, authorKey: "c", openedAt: new Date(Date.UTC(2026, 0, 10)), recovered: false },
  ]);
});

afterEach(async () => {
  await smtp.close();
  await deps.cleanup();
});

/** Every digest figure, computed here with plain SQL over the rows (no code under test). */
async function independent(
  span: { from: Date; until: Date },
  previous: { from: Date; until: Date },
  asOf: Date,
) {
  const b = deps.companyBrandId;
  const rows = <T>(q: string) => deps.db.all<T>(sql.raw(q));
  const one = async (q: string) =>
    Number(Object.values((await rows<Record<string, number>>(q))[0] ?? {})[0] ?? 0);
  const inBrand = `m.id IN (SELECT mention_id FROM mention_brands WHERE brand_id = ${b})`;
  const within = (s: { from: Date; until: Date }) =>
    `m.created_at >= ${s.from.getTime()} AND m.created_at < ${s.until.getTime()}`;
  const week = `FROM mentions m WHERE ${inBrand} AND ${within(span)}`;
  const t = asOf.getTime();
  const severityRank =
    "CASE m.severity WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'critical' THEN 3 ELSE -1 END";
  const quotable = `m.relevant = 1 AND (m.classified_by = 'human' OR m.confidence > ${CONFIDENCE_FLOOR}) AND m.group_id = m.id`;
  const order = `ORDER BY ${severityRank} DESC, coalesce(m.reach, 0) DESC, m.created_at DESC, m.id DESC`;
  const categories = await rows<{ category: string; n: number; confirmed: number }>(
    `SELECT m.category, count(*) AS n, sum(m.classified_by = 'human') AS confirmed ${week} AND m.relevant = 1 AND m.category NOT IN ('praise')
     GROUP BY m.category ORDER BY n DESC, m.category LIMIT 5`,
  );
  const clocked = `${week} AND m.relevant = 1 AND m.sla_due_at IS NOT NULL`;
  const notArrived = "m.sla_due_at > m.fetched_at";
  const answeredBy = `m.first_response_at IS NOT NULL AND m.first_response_at <= ${t}`;
  const minutes = `SELECT (m.first_response_at - m.created_at) / 60000.0 AS x ${clocked} AND ${notArrived} AND ${answeredBy}`;
  const n = await one(`SELECT count(*) FROM (${minutes})`);
  const median =
    n === 0
      ? null
      : await one(
          `SELECT avg(x) FROM (SELECT x FROM (${minutes}) ORDER BY x LIMIT ${2 - (n % 2)} OFFSET ${Math.floor((n - 1) / 2)})`,
        );
  const inTime = await one(
    `SELECT count(*) ${clocked} AND ${notArrived} AND ${answeredBy} AND m.first_response_at <= m.sla_due_at`,
  );
  const late = await one(
    `SELECT count(*) ${clocked} AND ${notArrived} AND ${answeredBy} AND m.first_response_at > m.sla_due_at`,
  );
  const missed = await one(
    `SELECT count(*) ${clocked} AND ${notArrived} AND NOT (${answeredBy}) AND m.sla_due_at < ${t}`,
  );
  const open = `FROM mentions m WHERE ${inBrand} AND m.relevant = 1 AND m.sla_due_at IS NOT NULL AND m.status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated')`;
  const failing = `rl.ok = 0 AND rl.created_at >= ${span.from.getTime()} AND rl.created_at < ${span.until.getTime()} AND rl.reply_id IN (SELECT r.id FROM replies r JOIN mention_brands mb ON mb.mention_id = r.mention_id WHERE mb.brand_id = ${b})`;
  return {
    total: await one(`SELECT count(*) ${week}`),
    relevant: await one(`SELECT count(*) ${week} AND m.relevant = 1`),
    confirmed: await one(`SELECT count(*) ${week} AND m.relevant = 1 AND m.classified_by = 'human'`),
    previousTotal: await one(`SELECT count(*) FROM mentions m WHERE ${inBrand} AND ${within(previous)}`),
    byDay: Object.fromEntries(
      (
        await rows<{ d: number; n: number }>(
          `SELECT m.created_at / 86400000 AS d, count(*) AS n ${week} GROUP BY 1`,
        )
      ).map((r) => [new Date(Number(r.d) * 86_400_000).toISOString().slice(0, 10), Number(r.n)]),
    ),
    categories: await Promise.all(
      categories.map(async (c) => ({
        key: c.category,
        count: Number(c.n),
        confirmed: Number(c.confirmed),
        previousWeek: await one(
          `SELECT count(*) FROM mentions m WHERE ${inBrand} AND ${within(previous)} AND m.relevant = 1 AND m.category = '${c.category}'`,
        ),
        examples: (
          await rows<{ id: number }>(
            `SELECT m.id ${week} AND ${quotable} AND m.category = '${c.category}' ${order} LIMIT 2`,
          )
        ).map((r) => Number(r.id)),
      })),
    ),
    sources: (
      await rows<{ name: string; n: number }>(
        `SELECT s.name, count(*) AS n FROM mentions m JOIN sources s ON s.id = m.source_id WHERE ${inBrand} AND ${within(span)} AND m.relevant = 1 GROUP BY s.id ORDER BY n DESC, s.name`,
      )
    ).map((r) => ({ name: r.name, count: Number(r.n) })),
    spikes: (
      await rows<{ id: number }>(
        `SELECT id FROM spikes WHERE brand_id = ${b} AND started_at >= ${span.from.getTime()} AND started_at < ${span.until.getTime()} AND json_extract(explanation, '$.partOfSpikeId') IS NULL ORDER BY started_at`,
      )
    ).map((r) => Number(r.id)),
    sla: {
      clocked: await one(`SELECT count(*) ${clocked}`),
      arrivedOverdue: await one(`SELECT count(*) ${clocked} AND m.sla_due_at <= m.fetched_at`),
      inTime,
      late,
      missed,
      pending: await one(
        `SELECT count(*) ${clocked} AND ${notArrived} AND NOT (${answeredBy}) AND m.sla_due_at >= ${t}`,
      ),
      decided: inTime + late + missed,
      median,
    },
    repliesPosted: await one(
      `SELECT count(*) FROM replies r WHERE r.status = 'posted' AND r.posted_at >= ${span.from.getTime()} AND r.posted_at < ${span.until.getTime()} AND r.mention_id IN (SELECT mention_id FROM mention_brands WHERE brand_id = ${b})`,
    ),
    queue: {
      open: await one(`SELECT count(*) ${open}`),
      overdue: await one(
        `SELECT count(*) ${open} AND m.first_response_at IS NULL AND m.sla_due_at < ${t} AND m.sla_due_at > m.fetched_at`,
      ),
      arrivedOverdue: await one(
        `SELECT count(*) ${open} AND m.first_response_at IS NULL AND m.sla_due_at <= m.fetched_at`,
      ),
    },
    rights: (
      await rows<{ flag: string; n: number; sent: number; waiting: number }>(
        `SELECT f.value AS flag, count(*) AS n,
           sum(EXISTS (SELECT 1 FROM rights_events e WHERE e.mention_id = m.id AND e.flag = f.value)) AS sent,
           sum(NOT EXISTS (SELECT 1 FROM account_links l WHERE l.mention_id = m.id AND l.status = 'confirmed')) AS waiting
         FROM mentions m, json_each(m.flags) f WHERE ${inBrand} AND ${within(span)}
           AND f.value IN ('dispute', 'cease_contact', 'attorney', 'bankruptcy', 'identity_theft')
         GROUP BY f.value ORDER BY n DESC, f.value`,
      )
    ).map((r) => ({
      flag: r.flag,
      mentions: Number(r.n),
      sentAsEvents: Number(r.sent),
      awaitingLink: Number(r.waiting),
    })),
    stopped: await one(`SELECT count(DISTINCT rl.reply_id) FROM reply_lints rl WHERE ${failing}`),
    stoppedByRule: (
      await rows<{ rule: string; n: number }>(
        `SELECT json_extract(v.value, '$.rule') AS rule, count(DISTINCT rl.reply_id) AS n FROM reply_lints rl, json_each(rl.violations) v WHERE ${failing} GROUP BY 1 ORDER BY n DESC, rule`,
      )
    ).map((r) => ({ rule: r.rule, replies: Number(r.n) })),
    recovery: {
      answered: await one(
        `SELECT count(*) FROM cases c WHERE c.opened_at >= ${span.until.getTime() - 30 * 86_400_000} AND c.opened_at < ${span.until.getTime()} AND c.root_mention_id IN (SELECT mention_id FROM mention_brands WHERE brand_id = ${b})`,
      ),
      judged: await one(
        `SELECT count(*) FROM cases c WHERE c.recovered IS NOT NULL AND c.opened_at >= ${span.until.getTime() - 30 * 86_400_000} AND c.opened_at < ${span.until.getTime()} AND c.root_mention_id IN (SELECT mention_id FROM mention_brands WHERE brand_id = ${b})`,
      ),
      recovered: await one(
        `SELECT count(*) FROM cases c WHERE c.recovered = 1 AND c.opened_at >= ${span.until.getTime() - 30 * 86_400_000} AND c.opened_at < ${span.until.getTime()} AND c.root_mention_id IN (SELECT mention_id FROM mention_brands WHERE brand_id = ${b})`,
      ),
    },
    notable: (await rows<{ id: number }>(`SELECT m.id ${week} AND ${quotable} ${order} LIMIT 5`)).map((r) =>
      Number(r.id),
    ),
  };
}

type Independent = Awaited<ReturnType<typeof independent>>;

async function expectFacts(week: typeof W12, want: Independent, asOf: Date) {
  const f = await loadDigestFacts(deps, deps.companyBrandId, week, asOf);
  expect(f.volume).toMatchObject({
    total: want.total,
    relevant: want.relevant,
    confirmed: want.confirmed,
    previousTotal: want.previousTotal,
  });
  expect(Object.fromEntries(f.volume.byDay.filter((d) => d.count > 0).map((d) => [d.date, d.count]))).toEqual(
    want.byDay,
  );
  expect(f.volume.byDay.reduce((sum, d) => sum + d.count, 0)).toBe(want.total);
  expect(
    f.categories.map((c) => ({
      key: c.key,
      count: c.count,
      confirmed: c.confirmed,
      previousWeek: c.previousWeek,
      examples: c.examples.map((e) => e.id),
    })),
  ).toEqual(want.categories);
  expect(f.sources.map((s) => ({ name: s.name, count: s.count }))).toEqual(want.sources);
  expect(f.spikes.map((s) => s.id)).toEqual(want.spikes);
  expect({
    ...f.sla,
    median: f.sla.medianFirstResponseMinutes,
    medianFirstResponseMinutes: undefined,
  }).toEqual({
    ...want.sla,
    medianFirstResponseMinutes: undefined,
  });
  expect(f.repliesPosted).toBe(want.repliesPosted);
  expect({ open: f.queue.open, overdue: f.queue.overdue, arrivedOverdue: f.queue.arrivedOverdue }).toEqual(
    want.queue,
  );
  expect(f.rights).toEqual(want.rights);
  expect(f.compliance).toEqual({ replies: want.stopped, rules: want.stoppedByRule });
  expect(f.recovery).toEqual(want.recovery);
  expect(f.notable.map((p) => p.id)).toEqual(want.notable);
  return f;
}

describe("digest figures", () => {
  it("every figure of a busy week matches plain SQL, and the sentences state those numbers", async () => {
    const want = await independent(W12_SPAN, W11_SPAN, clock);
    // The seed exercises each figure: none is trivially zero.
    expect(want).toMatchObject({
      total: 13,
      previousTotal: 4,
      repliesPosted: 2,
      stopped: 2,
      spikes: [expect.any(Number)],
      sla: { inTime: 3, late: 1, missed: 4, pending: 2, arrivedOverdue: 1, decided: 8, median: 45 },
      queue: { open: 12, overdue: 8, arrivedOverdue: 1 },
      recovery: { answered: 2, judged: 1, recovered: 1 },
    });
    expect(want.rights).toEqual([
      { flag: "dispute", mentions: 3, sentAsEvents: 1, awaitingLink: 2 },
      { flag: "attorney", mentions: 1, sentAsEvents: 1, awaitingLink: 0 },
    ]);
    const f = await expectFacts(W12, want, clock);
    // The unsure critical post is counted but never quoted; the unsure one a person confirmed is.
    const quoted = [...f.notable, ...f.categories.flatMap((c) => c.examples)];
    expect(quoted.some((p) => p.textMasked.startsWith("My attorney"))).toBe(false);
    expect(quoted.find((p) => p.textMasked.startsWith("I dispute"))?.confirmed).toBe(true);
    expect(quoted.every((p) => p.confirmed || (p.confidence ?? 0) > CONFIDENCE_FLOOR)).toBe(true);
    expect(f.categories[0]!.examples[0]!.textMasked).toContain("[PHONE]");

    const { text, html, subject } = renderDigest(toDigestData(f));
    expect(subject).toBe(
      `Acme Recovery weekly digest, 2026-W12: ${want.total} mentions this week, vs ${want.previousTotal} last week (+225%)`,
    );
    for (const sentence of [
      `${want.total} mentions this week, vs ${want.previousTotal} last week`,
      `${want.relevant} about collections; a person confirmed the classification of ${want.confirmed} of them`,
      `Calls and messages: ${want.categories[0]!.count} (${want.categories[0]!.confirmed} confirmed by a person; ${want.categories[0]!.previousWeek} last week)`,
      `${want.sla.inTime} of ${want.sla.decided} answered in time; ${want.sla.late} answered late; ${want.sla.missed} not answered by the deadline; ${want.sla.pending} still inside their time`,
      `${want.sla.arrivedOverdue} post arrived already past its deadline`,
      `Median time to first response: ${want.sla.median} min (over ${want.sla.inTime + want.sla.late} answered mentions`,
      `${want.repliesPosted} public replies posted this week.`,
      `Queue now: ${want.queue.open} still open, ${want.queue.overdue} overdue, ${want.queue.arrivedOverdue} arrived overdue.`,
      "3 dispute mentions; 1 linked to an account and sent as an event; 2 wait for a link.",
      "1 attorney mention; 1 linked to an account and sent as an event; 0 wait for a link.",
      "2 replies were stopped before posting (B1 confirms a relationship or a debt: 2; B2 amount, date or identifier: 1).",
      `${want.repliesPosted} customers were answered in public this week. Of ${want.recovery.answered} customers answered in the last 30 days, ${want.recovery.judged} posted again, and ${want.recovery.recovered} of them came back neutral or positive (100%).`,
    ]) {
      expect(text).toContain(sentence);
      expect(html).toContain(sentence);
    }
    expect(text).not.toContain("No customer was answered");
    expect(text).not.toContain("My attorney");
  });

  it("a week with none of anything: every figure matches SQL and reads as zero", async () => {
    const W08_SPAN = { from: new Date(Date.UTC(2026, 1, 16)), until: new Date(Date.UTC(2026, 1, 23)) };
    const want = await independent(
      { from: new Date(Date.UTC(2026, 1, 23)), until: day(2, 0) },
      W08_SPAN,
      clock,
    );
    expect(want).toMatchObject({
      total: 0,
      previousTotal: 0,
      repliesPosted: 0,
      stopped: 0,
      spikes: [],
      rights: [],
      notable: [],
    });
    const f = await expectFacts(W09, want, clock);
    const { text, html } = renderDigest(toDigestData(f));
    for (const sentence of [
      "0 mentions this week, vs 0 last week.",
      "No complaints about collections this week.",
      "No spikes this week.",
      "No mention this week needed a response.",
      "No public reply was posted this week.",
      `Queue now: ${want.queue.open} still open, ${want.queue.overdue} overdue, ${want.queue.arrivedOverdue} arrived overdue.`,
      "No consumer exercised a right",
      "No reply was stopped by the compliance check.",
      "No customer was answered in public this week or in the 30 days before.",
      "Nothing stood out",
    ]) {
      expect(text).toContain(sentence);
      expect(html).toContain(sentence);
    }
  });

  it("the week in progress ends now and compares with the same part of last week", async () => {
    const asOf = day(18, 12);
    const f = await loadDigestFacts(deps, deps.companyBrandId, W12, asOf);
    expect(f.partial).toBe(true);
    expect(f.end).toEqual(asOf);
    const want = await independent(
      { from: W12_SPAN.from, until: asOf },
      {
        from: W11_SPAN.from,
        until: new Date(W11_SPAN.from.getTime() + (asOf.getTime() - W12_SPAN.from.getTime())),
      },
      asOf,
    );
    await expectFacts(W12, want, asOf);
    expect(want.previousTotal).toBe(1);
    expect(renderDigest(toDigestData(f)).subject).toContain(
      `${want.total} mentions so far this week, vs ${want.previousTotal} by this time last week`,
    );
  });
});

describe("the response section's promise", () => {
  it("names the brand's own response times where it set them", async () => {
    await deps.db
      .update(brands)
      .set({ slaMinutes: { critical: 30 } })
      .where(eq(brands.id, deps.companyBrandId));
    const label = toDigestData(await loadDigestFacts(deps, deps.companyBrandId, W12, day(23, 12))).response
      .slaLabel;
    expect(label).toMatch(/^first response within 30 min critical, /);
  });
});

describe("weekly send", () => {
  it("east of UTC+8, waits for the UTC week to end: Monday 08:00 in Sydney comes before Sunday is over in UTC", async () => {
    await deps.db
      .insert(digestRecipients)
      .values({ brandId: deps.companyBrandId, email: "sydney@example.com", timeZone: "Australia/Sydney" });
    // Sunday 22 March 21:30 UTC is Monday 08:30 in Sydney, but the week's last 2.5 hours have not happened yet.
    expect(await runSendDigestsJob(deps, day(22, 21, 30))).toMatchObject({ queued: [], notDue: 1 });
    expect(await runSendDigestsJob(deps, day(23, 0, 0))).toMatchObject({ queued: ["sydney@example.com"] });
  });

  it("queues each reader's digest at their Monday 08:00, once, and delivers a multipart e-mail over SMTP", async () => {
    await deps.db.insert(digestRecipients).values([
      { brandId: deps.companyBrandId, email: "director@example.com", timeZone: "America/New_York" },
      {
        brandId: null,
        workspaceId: deps.workspaceId,
        email: "cfo@example.com",
        timeZone: "Asia/Kolkata",
      },
    ]);
    // Monday 23 March 07:55 in New York (11:55 UTC): Kolkata's 08:00 (02:30 UTC) has passed, New York's not.
    const early = await runSendDigestsJob(deps, day(23, 11, 55));
    expect(early).toMatchObject({ queued: ["cfo@example.com"], notDue: 1 });
    const onTime = await runSendDigestsJob(deps, day(23, 12, 0));
    expect(onTime).toMatchObject({ queued: ["director@example.com"], alreadyQueued: 1 });
    const again = await runSendDigestsJob(deps, day(23, 12, 15));
    expect(again).toMatchObject({ queued: [], alreadyQueued: 2 });
    const keys = (await deps.db.select().from(outbox)).map((r) => r.idempotencyKey).sort();
    expect(keys).toEqual([
      `digest:${deps.companyBrandId}:2026-W12:cfo@example.com`,
      `digest:${deps.companyBrandId}:2026-W12:director@example.com`,
    ]);

    // The mail server is down for a while: nothing lost, nothing doubled.
    await smtp.close();
    const down = await runDeliverOutbox(deps, day(23, 12, 1));
    expect(down.retried).toBe(1);
    expect(down.deferred).toBe(1);
    smtp = await startSmtpServerOnSameUrl();
    for (let minute = 2; minute <= 20; minute++) await runDeliverOutbox(deps, day(23, 12, minute));
    expect(smtp.received).toHaveLength(2);
    const rows = await deps.db.select().from(outbox);
    expect(rows.every((r) => r.status === "sent")).toBe(true);

    const want = await independent(W12_SPAN, W11_SPAN, day(23, 12, 0));
    const mail = smtp.received.find((m) => m.to.includes("director@example.com"))!;
    expect(mail.from).toBe("digest@rapport.example");
    expect(header(mail.raw, "Content-Type")).toMatch(/^multipart\/alternative/);
    expect(header(mail.raw, "Subject")).toBe(
      `Acme Recovery weekly digest, 2026-W12: ${want.total} mentions this week, vs ${want.previousTotal} last week (+${Math.round(((want.total - want.previousTotal) / want.previousTotal) * 100)}%)`,
    );
    const text = mimePart(mail.raw, "text/plain")!;
    const html = mimePart(mail.raw, "text/html")!;
    for (const section of DIGEST_SECTIONS) {
      expect(text).toContain(section.toUpperCase());
      expect(html).toContain(`>${section}</h2>`);
    }
    expect(text).toContain(`${want.sla.inTime} of ${want.sla.decided} answered in time`);
    expect(text).toContain("[PHONE]");
    expect(text).not.toContain("555-201-3344");
    expect(html).not.toContain("555-201-3344");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('name="viewport"');
  });

  it("queues nothing while no mail server is configured", async () => {
    await deps.db
      .insert(digestRecipients)
      .values({ brandId: deps.companyBrandId, email: "d@example.com", timeZone: "UTC" });
    const report = await runSendDigestsJob(
      { ...deps, env: { ...deps.env, SMTP_URL: undefined } },
      day(23, 9),
    );
    expect(report).toMatchObject({ queued: [], skipped: "SMTP_URL is not set" });
    expect(await deps.db.select().from(outbox)).toHaveLength(0);
  });

  it("a refused recipient is a failure with its fix, not an endless retry", async () => {
    await deps.db
      .insert(digestRecipients)
      .values({ brandId: deps.companyBrandId, email: "gone@example.com", timeZone: "UTC" });
    await runSendDigestsJob(deps, day(23, 9));
    smtp.rejectRecipients(550);
    const report = await runDeliverOutbox(deps, day(23, 9, 1));
    expect(report.failed).toBe(1);
    const [row] = await deps.db.select().from(outbox);
    expect(row!.status).toBe("failed");
    expect(row!.lastError).toContain("550");
    expect(row!.fix).toMatch(/recipient addresses/);
  });
});

describe("rapport digest", () => {
  const env = () => ({
    DATABASE_URL: `file:${join(deps.dir, "test.db")}`,
    RAPPORT_DEMO: "0",
    LOG_LEVEL: "silent",
    SMTP_URL: smtp.url,
    PUBLIC_URL: "https://rapport.example.com",
    // The test SMTP server listens on 127.0.0.1, which the egress policy refuses unless allow-listed.
    EGRESS_ALLOW: "127.0.0.1,localhost",
  });

  it("prints the text digest of a week, writes its HTML, and sends it to --to addresses", async () => {
    const printed = await runCli(["digest", "--week", "2026-W12"], { env: env() });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^Subject: Acme Recovery weekly digest, 2026-W12/);
    expect(printed.stdout).toContain("TOP GRIEVANCES");

    const file = join(deps.dir, "digest.html");
    const written = await runCli(
      ["digest", "--brand", "acme-recovery", "--week", "2026-W12", "--html", file],
      { env: env() },
    );
    expect(written.code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain(">Response performance</h2>");

    const sent = await runCli(
      ["digest", "--week", "2026-W12", "--send", "--to", "a@example.com", "--to", "b@example.com"],
      { env: env() },
    );
    expect(sent.stdout).toContain("sent to a@example.com");
    expect(sent.code).toBe(0);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(["a@example.com", "b@example.com"]);
  });

  it("refuses a malformed week or address, and --send without recipients", async () => {
    expect((await runCli(["digest", "--week", "2026-12"], { env: env() })).code).toBe(2);
    expect((await runCli(["digest", "--send", "--to", "nope"], { env: env() })).code).toBe(2);
    const none = await runCli(["digest", "--week", "2026-W12", "--send"], { env: env() });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no digest recipients");
  });
});

/** Restarts the SMTP server on the port the queued rows' transport was configured with. */
async function startSmtpServerOnSameUrl(): Promise<TestSmtpServer> {
  const port = Number(new URL(smtp.url).port);
  const next = await startSmtpServer(port);
  return next;
}
