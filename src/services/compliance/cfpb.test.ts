// The CFPB response clock against a real database: which mentions get a clock, the tally Today and the digest
// print (checked against plain SQL), a person's records (audited), and Slack reminders queued once each.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { accounts, mentions, outbox, sources, workspaces } from "../../db/schema/index.js";
import { runCfpbClock } from "../../jobs/cfpb-clock.js";
import { cfpbComplaintOf, ensureCfpbRow } from "./cfpb-complaint-of.js";
import { cfpbTally, syncCfpbComplaints } from "./cfpb-complaints.js";
import { linkCfpbComplaint } from "./link-cfpb-complaint.js";
import { recordComplaintResponse } from "./record-complaint-response.js";

let ctx: WebTestContext;
let cfpbSourceId: number;
let clock = new Date("2026-12-14T15:00:00Z"); // 10:00 on 14 Dec in New York
const ids: Record<string, number> = {};

const actor = (role: "manager" | "responder" | "admin") => ({
  id: ctx.users[role].id,
  workspaceId: ctx.deps.workspaceId,
  email: ctx.users[role].email,
  name: "",
  role,
});

async function portalComplaint(sentToCompany: string, extra: Record<string, unknown> = {}) {
  const id = await insertMention(ctx, {
    text: "They called my work three times a day about a debt I do not owe.",
    sourceId: cfpbSourceId,
    createdAt: new Date(`${sentToCompany}T17:00:00Z`),
    fetchedAt: new Date("2026-12-01T10:00:00Z"),
    flags: ["regulator"],
    category: "communication_tactics",
    relevant: true,
  });
  await ctx.deps.db
    .update(mentions)
    .set({
      meta: {
        dateSentToCompany: `${sentToCompany}T12:00:00-05:00`,
        issue: "Communication tactics",
        ...extra,
      },
    })
    .where(eq(mentions.id, id));
  return id;
}

beforeAll(async () => {
  ctx = await createWebTestContext({ SLACK_WEBHOOK_URL: "http://127.0.0.1:9/slack" }, () => clock);
  const [source] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: ctx.deps.workspaceId, name: "cfpb", type: "cfpb", config: { company: "ACME" } })
    .returning();
  cfpbSourceId = source!.id;
  ids.dueIn2 = await portalComplaint("2026-12-01"); // response due 16 Dec: 2 days left
  ids.overdue = await portalComplaint("2026-11-20"); // due 5 Dec: overdue
  ids.later = await portalComplaint("2026-12-10"); // due 25 Dec
  ids.closed = await portalComplaint("2026-11-25", { companyResponse: "Closed with explanation" });
  ids.reported = await insertMention(ctx, {
    text: "Filed a complaint with the CFPB about Acme Recovery today <!channel> call me at 555-867-5309",
    createdAt: new Date("2026-12-13T02:00:00Z"), // 12 Dec in New York
    flags: ["regulator"],
    category: "communication_tactics",
    relevant: true,
  });
  ids.bbb = await insertMention(ctx, {
    text: "Reported Acme Recovery to the BBB",
    createdAt: new Date("2026-12-13T02:00:00Z"),
    flags: ["regulator"],
    relevant: true,
  });
  // Another workspace's CFPB complaint: never counted here.
  const [other] = await ctx.deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
  const [otherSource] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: other!.id, name: "cfpb", type: "cfpb" })
    .returning();
  ids.otherWorkspace = await insertMention(ctx, {
    text: "Other company's complaint",
    sourceId: otherSource!.id,
    createdAt: new Date("2026-12-01T17:00:00Z"),
    brandIds: [],
  });
});
afterAll(async () => ctx.deps.cleanup());

describe("the CFPB clock", () => {
  it("gives a clock to CFPB-source mentions and posts naming the CFPB, not to other regulator posts", async () => {
    expect(await syncCfpbComplaints(ctx.deps.db, clock)).toBe(6);
    expect(await syncCfpbComplaints(ctx.deps.db, clock)).toBe(0); // idempotent
    const rows = await ctx.deps.db.all<{ mention_id: number; origin: string; received_day: string }>(
      sql`SELECT mention_id, origin, received_day FROM complaint_responses ORDER BY mention_id`,
    );
    expect(rows.find((r) => r.mention_id === ids.reported)).toMatchObject({
      origin: "reported",
      received_day: "2026-12-12",
    });
    expect(rows.find((r) => r.mention_id === ids.dueIn2)?.received_day).toBe("2026-12-01");
    expect(rows.some((r) => r.mention_id === ids.bbb)).toBe(false);
  });

  it("tallies open, due within 3 days and past the 15-day response as plain SQL counts them", async () => {
    const tally = await cfpbTally(ctx.deps.db, ctx.deps.workspaceId, clock);
    // Independent: Eastern today is 2026-12-14; a response is due on received_day + 15.
    const [expected] = await ctx.deps.db.all<{ open: number; soon: number; past: number }>(sql`
      SELECT
        sum(closed = 0) AS open,
        sum(closed = 0 AND due >= '2026-12-14' AND due <= '2026-12-17') AS soon,
        sum(closed = 0 AND due < '2026-12-14') AS past
      FROM (
        SELECT date(cr.received_day, '+15 days') AS due,
               (cr.final_at IS NOT NULL OR coalesce(json_extract(m.meta, '$.companyResponse'), '') LIKE 'Closed%') AS closed
        FROM complaint_responses cr JOIN mentions m ON m.id = cr.mention_id JOIN sources s ON s.id = m.source_id
        WHERE cr.workspace_id = ${ctx.deps.workspaceId} AND s.workspace_id = ${ctx.deps.workspaceId}
      )`);
    expect(tally).toEqual({
      open: Number(expected!.open),
      dueSoon: Number(expected!.soon),
      pastResponse: Number(expected!.past),
      pastFinal: 0,
    });
    expect(tally.open).toBe(4);
  });

  it("records a company response (managers only, audited) and moves the clock to the final response", async () => {
    await expect(
      recordComplaintResponse(ctx.deps, actor("responder"), ids.dueIn2!, { step: "response" }),
    ).rejects.toThrow(/Only admins and managers/);
    await expect(
      recordComplaintResponse(ctx.deps, actor("manager"), ids.bbb!, { step: "response" }),
    ).rejects.toThrow(/not a CFPB complaint/);
    await expect(
      recordComplaintResponse(ctx.deps, actor("manager"), ids.dueIn2!, {
        step: "response",
        on: "2026-12-20",
      }),
    ).rejects.toThrow(/after today/);
    await recordComplaintResponse(ctx.deps, actor("manager"), ids.dueIn2!, {
      step: "response",
      on: "2026-12-12",
    });
    await expect(
      recordComplaintResponse(ctx.deps, actor("manager"), ids.dueIn2!, { step: "response" }),
    ).rejects.toThrow(/already recorded/);
    const complaint = await cfpbComplaintOf(ctx.deps.db, ctx.deps.workspaceId, ids.dueIn2!, clock);
    expect(complaint?.clock).toMatchObject({ stage: "final", dueDay: "2027-01-30", responseLate: false });
    expect(complaint?.respondedBy).toBe(ctx.users.manager.email);
    const audit = await ctx.deps.db.all<{ action: string; actor_email: string; after: string }>(
      sql`SELECT action, actor_email, after FROM audit_log WHERE entity_type = 'mention' AND entity_id = ${String(ids.dueIn2)}`,
    );
    expect(audit).toEqual([
      {
        action: "complaint.company_response",
        actor_email: ctx.users.manager.email,
        after: '{"on":"2026-12-12"}',
      },
    ]);
    expect(await cfpbComplaintOf(ctx.deps.db, ctx.deps.workspaceId, ids.otherWorkspace!, clock)).toBeNull();
  });

  it("records a response once when two managers press at the same time, with one audit row", async () => {
    const raced = await portalComplaint("2026-12-05");
    const results = await Promise.allSettled([
      recordComplaintResponse(ctx.deps, actor("manager"), raced, { step: "response" }),
      recordComplaintResponse(ctx.deps, actor("admin"), raced, { step: "response" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(rejected.reason)).toMatch(/already recorded|meanwhile/);
    const audit = await ctx.deps.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'complaint.company_response' AND entity_id = ${String(raced)}`,
    );
    expect(Number(audit[0]!.n)).toBe(1);
  });

  it("requires the outcome for a final response, which closes the complaint", async () => {
    await expect(
      recordComplaintResponse(ctx.deps, actor("manager"), ids.later!, { step: "final" }),
    ).rejects.toThrow(/outcome/);
    await recordComplaintResponse(ctx.deps, actor("admin"), ids.later!, {
      step: "final",
      outcome: "Closed with explanation",
    });
    const complaint = await cfpbComplaintOf(ctx.deps.db, ctx.deps.workspaceId, ids.later!, clock);
    expect(complaint?.clock.stage).toBe("closed");
    expect(complaint?.respondedAt).not.toBeNull();
  });

  it("tallies the 60-day final stage once a company response is recorded, against hand-computed due days", async () => {
    // dueIn2: received 1 Dec, response recorded 12 Dec, final due 1 Dec + 60 = 30 Jan 2027. raced: received 5 Dec,
    // responded, final due 3 Feb. later: closed by its final response; closed: closed on the portal. overdue
    // (received 20 Nov) and reported (12 Dec) have no response: past their 15-day response by late January.
    const tallyOn = async (eastern: string) => {
      const now = new Date(`${eastern}T15:00:00Z`);
      const [row] = await ctx.deps.db.all<{
        open: number;
        soon: number;
        past_response: number;
        past_final: number;
      }>(sql`
        SELECT sum(1) AS open,
               sum(due >= ${eastern} AND due <= date(${eastern}, '+3 days')) AS soon,
               sum(responded = 0 AND due < ${eastern}) AS past_response,
               sum(responded = 1 AND due < ${eastern}) AS past_final
        FROM (
          SELECT cr.responded_at IS NOT NULL AS responded,
                 CASE WHEN cr.responded_at IS NULL THEN date(cr.received_day, '+15 days')
                      ELSE date(cr.received_day, '+60 days') END AS due
          FROM complaint_responses cr JOIN mentions m ON m.id = cr.mention_id
          WHERE cr.workspace_id = ${ctx.deps.workspaceId} AND cr.final_at IS NULL
            AND coalesce(json_extract(m.meta, '$.companyResponse'), '') NOT LIKE 'Closed%'
            AND NOT (cr.origin = 'reported' AND m.status = 'dismissed')
        )`);
      const tally = await cfpbTally(ctx.deps.db, ctx.deps.workspaceId, now);
      expect(tally).toEqual({
        open: Number(row!.open),
        dueSoon: Number(row!.soon),
        pastResponse: Number(row!.past_response),
        pastFinal: Number(row!.past_final),
      });
      return tally;
    };
    // 28 Jan: dueIn2's final response is 2 days away (30 Jan); raced's (3 Feb) is 6.
    expect(await tallyOn("2027-01-28")).toEqual({ open: 4, dueSoon: 1, pastResponse: 2, pastFinal: 0 });
    // 2 Feb: dueIn2 is past its final response; raced's is due tomorrow.
    expect(await tallyOn("2027-02-02")).toEqual({ open: 4, dueSoon: 1, pastResponse: 2, pastFinal: 1 });
    const complaint = await cfpbComplaintOf(ctx.deps.db, ctx.deps.workspaceId, ids.dueIn2!, clock);
    expect(complaint?.clock.dueDay).toBe("2027-01-30");
  });
});

describe("Slack reminders", () => {
  const reminderKeys = async () =>
    (
      await ctx.deps.db
        .select({ key: outbox.idempotencyKey })
        .from(outbox)
        .where(
          sql`${outbox.idempotencyKey} LIKE 'cfpb:%' AND ${outbox.workspaceId} = ${ctx.deps.workspaceId}`,
        )
    )
      .map((r) => r.key)
      .sort();

  it("queues each window's reminder once, however often the job runs", async () => {
    clock = new Date("2026-12-21T15:00:00Z"); // 21 Dec Eastern: the reported one (due 27 Dec) is 6 days away
    await runCfpbClock(ctx.deps, clock);
    // ids.overdue was stored (1 Dec) before its deadline (5 Dec) passed: one overdue notice.
    expect(await reminderKeys()).toEqual([`cfpb:${ids.overdue}:response:2026-12-05:overdue`]);
    clock = new Date("2026-12-24T15:00:00Z"); // 3 days before 27 Dec
    await runCfpbClock(ctx.deps, clock);
    await runCfpbClock(ctx.deps, clock);
    clock = new Date("2026-12-26T15:00:00Z"); // 1 day before
    await runCfpbClock(ctx.deps, clock);
    await runCfpbClock(ctx.deps, clock);
    expect(await reminderKeys()).toEqual(
      [
        `cfpb:${ids.overdue}:response:2026-12-05:overdue`,
        `cfpb:${ids.reported}:response:2026-12-27:1d`,
        `cfpb:${ids.reported}:response:2026-12-27:3d`,
      ].sort(),
    );
    const [row] = await ctx.deps.db
      .select({ payload: outbox.payload, workspaceId: outbox.workspaceId, destination: outbox.destination })
      .from(outbox)
      .where(eq(outbox.idempotencyKey, `cfpb:${ids.reported}:response:2026-12-27:1d`));
    expect(row?.workspaceId).toBe(ctx.deps.workspaceId);
    expect(row?.destination).toBe("http://127.0.0.1:9/slack");
    expect((row!.payload as { text: string }).text).toContain("Company response due tomorrow (Dec 27)");
    // The deadline is midnight Eastern at the end of 27 Dec (a Sunday), not "within a day" of 26 Dec 10:00.
    expect((row!.payload as { text: string }).text).toMatch(
      /^CFPB complaint: the company response \(15 days\) is due by the end of Sun, Dec 27 \(US Eastern\):/,
    );
    const [three] = await ctx.deps.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(eq(outbox.idempotencyKey, `cfpb:${ids.reported}:response:2026-12-27:3d`));
    expect((three!.payload as { text: string }).text).toContain(
      "is due by the end of Sun, Dec 27 (US Eastern)",
    );
    expect(JSON.stringify(three!.payload)).not.toMatch(/within \d+ days|within a day/);
    // Mention text is hostile: no @channel ping, no phone number in a shared channel.
    const payload = JSON.stringify(row!.payload);
    expect(payload).not.toContain("<!channel>");
    expect(payload).toContain("&lt;!channel&gt;");
    expect(payload).not.toContain("867-5309");
  });
});

describe("linking a CFPB complaint to its account", () => {
  it("links by the portal's account reference through the usual confirmation, audited; refuses guesses", async () => {
    await ctx.deps.db
      .insert(accounts)
      .values({ workspaceId: ctx.deps.workspaceId, reference: "ACC-1001", displayName: "J. Doe" });
    const manager = actor("manager");
    await expect(linkCfpbComplaint(ctx.deps, actor("responder"), ids.dueIn2!, "ACC-1001")).rejects.toThrow(
      /Only admins and managers/,
    );
    await expect(linkCfpbComplaint(ctx.deps, manager, ids.dueIn2!, "ACC-9999")).rejects.toThrow(
      /No account has the reference/,
    );
    await expect(linkCfpbComplaint(ctx.deps, manager, ids.bbb!, "ACC-1001")).rejects.toThrow(
      /Only a CFPB complaint/,
    );
    const linked = await linkCfpbComplaint(ctx.deps, manager, ids.dueIn2!, "ACC-1001");
    const [row] = await ctx.deps.db.all<{ status: string; decided_by: number; evidence: string }>(
      sql`SELECT status, decided_by, evidence FROM account_links WHERE id = ${linked.linkId}`,
    );
    expect(row).toMatchObject({ status: "confirmed", decided_by: manager.id });
    expect(row!.evidence).toContain("CFPB company portal");
    const audit = await ctx.deps.db.all<{ action: string }>(
      sql`SELECT action FROM audit_log WHERE entity_type = 'account_link' AND entity_id = ${String(linked.linkId)}`,
    );
    expect(audit.map((a) => a.action)).toEqual(["account_link.confirm"]);
  });
});

describe("a clock row made before the job ran", () => {
  it("carries the CFPB's published closing like the job's, so a complaint closed on the portal is not counted open", async () => {
    const before = await cfpbTally(ctx.deps.db, ctx.deps.workspaceId, clock);
    const closed = await portalComplaint("2026-12-08", { companyResponse: "Closed with monetary relief" });
    expect(await ensureCfpbRow(ctx.deps.db, ctx.deps.workspaceId, closed, clock)).toBe(true);
    const [row] = await ctx.deps.db.all<{ outcome: string | null }>(
      sql`SELECT outcome FROM complaint_responses WHERE mention_id = ${closed}`,
    );
    expect(row?.outcome).toBe("Closed with monetary relief");
    expect(await cfpbTally(ctx.deps.db, ctx.deps.workspaceId, clock)).toEqual(before);
    // One still in progress on the portal stays open: the tally grows by exactly one.
    const inProgress = await portalComplaint("2026-12-08", { companyResponse: "In progress" });
    await ensureCfpbRow(ctx.deps.db, ctx.deps.workspaceId, inProgress, clock);
    expect((await cfpbTally(ctx.deps.db, ctx.deps.workspaceId, clock)).open).toBe(before.open + 1);
  });
});

describe("Today's CFPB figure and the register it links to", () => {
  it("counts the same complaints: Today's open figure is the register's row count behind its link", async () => {
    const session = await login(ctx, "manager");
    const today = await (await ctx.app.request("/", authed(session))).text();
    const tally = /<p[^>]*id="cfpb-count"[^>]*>\s*<a href="([^"]+)">CFPB complaints: (\d+) open/.exec(today);
    expect(tally).not.toBeNull();
    const [, href, open] = tally!;
    expect(href).toBe("/complaints?clock=running");
    const register = await (await ctx.app.request(href!, authed(session))).text();
    const listed = /<strong>(\d+)<\/strong> complaints? \(/.exec(register);
    expect(Number(listed![1])).toBe(Number(open));
    // Independent: clock rows of this workspace with no final response and not closed on the portal, answered
    // or not (a dismissed post that only reported a complaint does not count).
    const [expected] = await ctx.deps.db.all<{ n: number }>(sql`
      SELECT count(*) AS n FROM complaint_responses cr JOIN mentions m ON m.id = cr.mention_id
      WHERE cr.workspace_id = ${ctx.deps.workspaceId} AND cr.final_at IS NULL
        AND coalesce(json_extract(m.meta, '$.companyResponse'), '') NOT LIKE 'Closed%'
        AND NOT (cr.origin = 'reported' AND m.status = 'dismissed')`);
    expect(Number(open)).toBe(Number(expected!.n));
    // Some of them are answered and await the final response: "open" on Today is not the register's status "open".
    const [answered] = await ctx.deps.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM complaint_responses WHERE workspace_id = ${ctx.deps.workspaceId} AND responded_at IS NOT NULL AND final_at IS NULL`,
    );
    expect(Number(answered!.n)).toBeGreaterThan(0);
  });
});
