// The weekly digest from a seeded week: what loadDigestData reads, when the job queues it (Monday 08:00 in each
// reader's zone, once), and the e-mail a real SMTP server receives through the outbox. Also the CLI.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cases,
  digestRecipients,
  mentionBrands,
  mentions,
  outbox,
  replies,
  replyLints,
  sources,
  spikes,
} from "../../src/db/schema/index.js";
import { DIGEST_SECTIONS } from "../../src/domain/digest/assemble.js";
import { runDeliverOutbox } from "../../src/jobs/deliver-outbox.js";
import { runSendDigestsJob } from "../../src/jobs/send-digests.js";
import { loadDigestData, loadDigestFacts } from "../../src/services/digest/load-digest.js";
import { createUser } from "../../src/services/users/create-user.js";
import { runCli } from "../helpers/cli.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";
import { header, mimePart, startSmtpServer, type TestSmtpServer } from "./smtp.js";

const W12 = { year: 2026, week: 12 }; // Mon 16 – Sun 22 March 2026
const day = (d: number, h = 12, m = 0) => new Date(Date.UTC(2026, 2, d, h, m));
const MIN = 60_000;

let deps: TestDeps;
let smtp: TestSmtpServer;
let clock = day(23, 12, 5);
let redditId: number;
let trustpilotId: number;
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
  repliedAfter?: number;
  sourceId?: number;
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
      contentHash: `c${counter}`,
      category: s.category,
      relevant: s.relevant ?? s.category !== "not_collections",
      severity: s.severity ?? "medium",
      flags: s.flags ?? [],
      reach: s.reach ?? null,
      status: s.status ?? (s.repliedAfter !== undefined ? "posted" : "new"),
      slaDueAt: s.slaMinutes !== undefined ? new Date(s.at.getTime() + s.slaMinutes * MIN) : null,
      firstResponseAt: s.repliedAfter !== undefined ? new Date(s.at.getTime() + s.repliedAfter * MIN) : null,
    })
    .returning({ id: mentions.id });
  const id = row!.id;
  await deps.db.update(mentions).set({ groupId: id }).where(eq(mentions.id, id));
  await deps.db.insert(mentionBrands).values({ mentionId: id, brandId: deps.companyBrandId });
  return id;
}

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
  const user = await createUser(deps, {
    email: "manager@example.com",
    role: "manager",
    password: "correct horse battery",
  });

  // Last week: 4 relevant mentions.
  for (let i = 0; i < 4; i++) await seed({ at: day(10 + i), category: "payment_service" });
  // This week: 7 relevant (4 communication tactics, 2 legal threats, 1 praise) and 1 unrelated.
  const answered = await seed({
    at: day(16, 9),
    category: "communication_tactics",
    slaMinutes: 60,
    repliedAfter: 30,
    severity: "high",
    reach: 5000,
    text: "They call me 20 times a day at 555-201-3344, make it stop",
  });
  const late = await seed({
    at: day(17, 9),
    category: "communication_tactics",
    slaMinutes: 240,
    repliedAfter: 300,
  });
  await seed({ at: day(18, 9), category: "communication_tactics", slaMinutes: 60 }); // unanswered, overdue
  await seed({
    at: day(19, 9),
    category: "communication_tactics",
    sourceId: trustpilotId,
    status: "dismissed",
  });
  await seed({
    at: day(20, 9),
    category: "legal_threats",
    severity: "critical",
    flags: ["attorney"],
    text: "My attorney is sending Acme Recovery a letter",
  });
  await seed({
    at: day(21, 9),
    category: "legal_threats",
    flags: ["dispute", "pii"],
    text: "I dispute this, it is not my debt",
  });
  await seed({ at: day(22, 9), category: "praise", severity: "low", text: "The agent was kind and patient" });
  await seed({ at: day(22, 10), category: "not_collections", severity: "low" });

  await deps.db.insert(spikes).values({
    key: `brand:${deps.companyBrandId}`,
    brandId: deps.companyBrandId,
    startedAt: day(18, 14, 0),
    lastHourAt: day(18, 15, 0),
    count: 30,
    expected: 3.2,
    score: 9.1,
    explanation: {
      subject: "Acme Recovery",
      feedUrl: "https://rapport.example.com/feed?brand=acme-recovery",
      alerted: true,
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
    },
  });

  const [reply] = await deps.db
    .insert(replies)
    .values({
      mentionId: answered,
      threadKey: `${redditId}:t1`,
      authorId: user.id,
      origin: "template",
      text: "We're sorry",
      status: "posted",
    })
    .returning();
  await deps.db.insert(replyLints).values([
    {
      replyId: reply!.id,
      text: "Your balance is due",
      ok: false,
      violations: [{ rule: "B1", message: "confirms a debt" }],
      createdAt: day(16, 10),
    },
    { replyId: reply!.id, text: "We're sorry", ok: true, violations: [], createdAt: day(16, 10, 5) },
  ]);
  await deps.db.insert(cases).values([
    { rootMentionId: answered, authorKey: "a", openedAt: day(16, 10), recovered: true },
    { rootMentionId: late, authorKey: "b", openedAt: day(17, 14), recovered: false },
  ]);
});

afterEach(async () => {
  await smtp.close();
  await deps.cleanup();
});

describe("digest data", () => {
  it("reads the week: volume, grievances, sources, spikes, response, rights, compliance, recovery, notable", async () => {
    const d = await loadDigestFacts(deps, deps.companyBrandId, W12, clock);
    expect(d).toMatchObject({ week: "2026-W12", partial: false, brand: { slug: "acme-recovery" } });
    expect(d.volume).toMatchObject({
      total: 8,
      relevant: 7,
      previousTotal: 4,
      previousRelevant: 4,
      change: 0.75,
    });
    expect(d.volume.byDay.map((x) => x.relevant)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(d.categories.map((c) => [c.category, c.count])).toEqual([
      ["communication_tactics", 4],
      ["legal_threats", 2],
    ]);
    // The most serious, most seen example first, masked.
    expect(d.categories[0]!.examples[0]!.textMasked).toContain("[PHONE]");
    expect(d.categories[0]!.examples[0]!.link).toMatch(/^https:\/\/rapport\.example\.com\/mentions\/\d+$/);
    expect(d.sources).toEqual([
      { name: "reddit-main", type: "reddit", count: 6 },
      { name: "trustpilot", type: "trustpilot", count: 1 },
    ]);
    expect(d.spikes).toHaveLength(1);
    expect(d.spikes[0]).toMatchObject({ hours: 2, count: 41, subject: "Acme Recovery" });
    expect(d.spikes[0]!.highlights[0]).toContain("garnish");
    // Replies after 30 and 300 minutes: median 165. SLA decided for 3 (one met, one late, one overdue).
    expect(d.response).toMatchObject({
      answered: 2,
      medianFirstResponseMinutes: 165,
      slaDecided: 3,
      overdue: 1,
    });
    expect(d.response.withinSla).toBeCloseTo(1 / 3);
    // Open: every relevant one not posted/resolved/dismissed (the four "new" of last week count too).
    expect(d.response.openBacklog).toBe(4 + 4);
    expect(d.rightsEvents).toEqual([
      { flag: "attorney", count: 1 },
      { flag: "dispute", count: 1 },
    ]);
    expect(d.compliance).toEqual({ lintRuns: 2, blocked: 1, rules: [{ rule: "B1", count: 1 }] });
    expect(d.recovery).toEqual({ judged: 2, recovered: 1, rate: 0.5 });
    expect(d.notable[0]!.severity).toBe("critical");
    expect(d.notable).toHaveLength(5);
  });

  it("hands the assembler its DigestData: labels, links back to Rapport, rule titles", async () => {
    const d = await loadDigestData(deps, deps.companyBrandId, W12, clock);
    expect(d).toMatchObject({
      brand: "Acme Recovery",
      week: "2026-W12",
      periodLabel: "16–22 Mar 2026",
      partial: false,
    });
    expect(d.volume).toMatchObject({ total: 8, previousWeek: 4, relevant: 7 });
    expect(d.volume.byDay.map((x) => x.label)).toEqual(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    expect(d.grievances.map((g) => [g.label, g.count, g.previousWeek])).toEqual([
      ["Calls and messages", 4, 0],
      ["Legal threats", 2, 0],
    ]);
    expect(d.grievances[0]!.examples[0]!.url).toMatch(/^https:\/\/rapport\.example\.com\/mentions\/\d+$/);
    expect(d.spikes[0]).toMatchObject({ subject: "Acme Recovery", count: 41, terms: ["garnish"] });
    expect(d.response).toMatchObject({
      medianFirstReplyMinutes: 165,
      replied: 2,
      openBacklog: 8,
      overdue: 1,
    });
    expect(d.rightsEvents).toEqual([
      { label: "Attorney", count: 1 },
      { label: "Disputes", count: 1 },
    ]);
    expect(d.complianceBlocks).toEqual([
      { rule: "B1", label: "confirms a relationship or a debt", count: 1 },
    ]);
    expect(d.recovery).toEqual({ answered: 2, recovered: 1 });
    expect(d.notable[0]!.note).toBe("critical, legal threats");
  });

  it("the week in progress ends now and compares with the same part of last week", async () => {
    const d = await loadDigestFacts(deps, deps.companyBrandId, W12, day(18, 12));
    expect(d.partial).toBe(true);
    expect(d.end).toEqual(day(18, 12));
    expect(d.volume.relevant).toBe(3); // Monday, Tuesday and Wednesday 09:00
    expect(d.volume.previousRelevant).toBe(1); // last Monday 00:00 to Wednesday 12:00: only Tuesday's
  });
});

describe("weekly send", () => {
  it("queues each reader's digest at their Monday 08:00, once, and delivers a multipart e-mail over SMTP", async () => {
    await deps.db.insert(digestRecipients).values([
      { brandId: deps.companyBrandId, email: "director@example.com", timeZone: "America/New_York" },
      { brandId: null, email: "cfo@example.com", timeZone: "Asia/Kolkata" },
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

    const mail = smtp.received.find((m) => m.to.includes("director@example.com"))!;
    expect(mail.from).toBe("digest@rapport.example");
    expect(header(mail.raw, "Content-Type")).toMatch(/^multipart\/alternative/);
    expect(header(mail.raw, "Subject")).toBe(
      "Acme Recovery weekly digest, 2026-W12: 8 mentions, +100% vs last week",
    );
    const text = mimePart(mail.raw, "text/plain")!;
    const html = mimePart(mail.raw, "text/html")!;
    for (const section of DIGEST_SECTIONS) {
      expect(text).toContain(section.toUpperCase());
      expect(html).toContain(`>${section}</h2>`);
    }
    expect(text).toContain("Median time to first reply: 2.8 h (2 replies)");
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
