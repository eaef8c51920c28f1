// After a reply is posted, later mentions by the same author are stored into the case in the store transaction,
// and whether their tone recovered is recorded; rights flags by an author already linked to an account carry the
// link and become rights events in that same transaction.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { accountLinks, cases, mentions, outbox, rightsEvents } from "../../db/schema/index.js";
import type { Flag } from "../../domain/taxonomy.js";
import { decideMentionLink, upsertAccounts } from "../../services/accounts/accounts.js";
import { rightsEventsRouter } from "../../services/accounts/rights-events-router.js";
import { SYSTEM_ACTOR } from "../../services/audit/record-audit.js";
import type { PreparedMention } from "../prepare.js";
import { storePage } from "../store.js";
import { followUpRouter, recoveryRate, toneRecovered } from "./follow-up.js";

const NOW = new Date("2026-03-10T12:00:00Z");
let ctx: WebTestContext;
let manager: Session;
let responder: Session;
let counter = 0;

beforeEach(async () => {
  ctx = await createWebTestContext({ ACCOUNT_WEBHOOK_URL: "http://127.0.0.1:9/events" }, () => NOW);
  manager = await login(ctx, "manager");
  responder = await login(ctx, "responder");
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

function prepared(
  text: string,
  authorKey: string,
  createdAt: Date,
  sentiment: number,
  flags: Flag[] = [],
): PreparedMention {
  counter++;
  return {
    mention: { externalId: `later-${counter}`, text, createdAt, authorHandle: "jane_r" },
    textMasked: text,
    contentHash: `hash-later-${counter}`,
    authorKey,
    brandIds: [ctx.deps.companyBrandId],
    classification: {
      category: "other_collections",
      relevant: true,
      severity: "low",
      flags,
      sentiment,
      confidence: 0.9,
      engine: "local",
      version: "t",
    },
  };
}

const store = (items: PreparedMention[]) =>
  storePage(ctx.deps.database, items, {
    sourceId: ctx.sourceId,
    now: NOW,
    brandSla: new Map(),
    routers: [followUpRouter, rightsEventsRouter({ url: "http://127.0.0.1:9/events" })],
  });

async function answer(mentionId: number) {
  const post = (session: Session, path: string, body?: unknown) =>
    ctx.app.request(
      path,
      authed(session, { method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    );
  const { reply } = (await (
    await post(responder, `/api/mentions/${mentionId}/replies`, { origin: "template" })
  ).json()) as { reply: { id: number } };
  await post(responder, `/api/replies/${reply.id}/submit`);
  await post(manager, `/api/replies/${reply.id}/approve`);
  const res = await post(responder, `/api/replies/${reply.id}/post`, { confirmManual: true });
  expect(res.status).toBe(200);
}

describe("toneRecovered", () => {
  it.each([
    [-0.8, 0.1, true],
    [-0.8, -0.3, true],
    [-0.7, -0.2, true],
    [-0.8, -0.4, false],
    [-0.2, 0, true],
    [null, -0.1, false],
    [-0.5, null, null],
  ])("from %s to %s → %s", (initial, latest, expected) => {
    expect(toneRecovered(initial, latest)).toBe(expected);
  });
});

describe("follow-up router", () => {
  it("attaches the author's later mentions to the case and records whether their tone recovered", async () => {
    const root = await insertMention(ctx, {
      text: "Acme Recovery were rude on the phone",
      category: "communication_tactics",
      relevant: true,
      authorKey: "author-jane",
      createdAt: new Date("2026-03-10T09:00:00Z"),
    });
    await ctx.deps.db.update(mentions).set({ sentiment: -0.8 }).where(eq(mentions.id, root));
    await answer(root);

    const [before] = (
      await store([
        prepared("still angry, posted last week", "author-jane", new Date("2026-03-09T09:00:00Z"), -0.9),
      ])
    ).inserted;
    const [worse] = (
      await store([prepared("no one called me back", "author-jane", new Date("2026-03-10T13:00:00Z"), -0.5)])
    ).inserted;
    const [someoneElse] = (
      await store([prepared("me too", "author-other", new Date("2026-03-10T13:05:00Z"), 0.5)])
    ).inserted;
    let [opened] = await ctx.deps.db.select().from(cases).where(eq(cases.rootMentionId, root));
    expect(opened).toMatchObject({
      followUps: 1,
      initialSentiment: -0.8,
      latestSentiment: -0.5,
      recovered: false,
    });

    const [better] = (
      await store([
        prepared("they sorted it out, thank you", "author-jane", new Date("2026-03-10T15:00:00Z"), 0.4),
      ])
    ).inserted;
    [opened] = await ctx.deps.db.select().from(cases).where(eq(cases.rootMentionId, root));
    expect(opened).toMatchObject({ followUps: 2, latestSentiment: 0.4, recovered: true });
    // Routed again (D1 re-routes a page after a crash): nothing is counted twice.
    await followUpRouter(ctx.deps.db, [better!], { sourceId: ctx.sourceId, now: NOW });
    [opened] = await ctx.deps.db.select().from(cases).where(eq(cases.rootMentionId, root));
    expect(opened!.followUps).toBe(2);

    const caseOf = async (id: number) =>
      (await ctx.deps.db.select({ caseId: mentions.caseId }).from(mentions).where(eq(mentions.id, id)))[0]!
        .caseId;
    expect(await caseOf(worse!.id)).toBe(opened!.id);
    expect(await caseOf(better!.id)).toBe(opened!.id);
    expect(await caseOf(before!.id)).toBeNull();
    expect(await caseOf(someoneElse!.id)).toBeNull();
    expect(
      await recoveryRate(ctx.deps.db, new Date("2026-03-01T00:00:00Z"), new Date("2026-03-31T00:00:00Z")),
    ).toEqual({ followedUp: 1, recovered: 1, rate: 1 });
  });
});

describe("rights-events router", () => {
  it("carries a confirmed link to the same author's new mention and records its rights flags with a webhook", async () => {
    await upsertAccounts(
      ctx.deps,
      ctx.deps.workspaceId,
      [
        {
          reference: "AB-12345",
          displayName: "Jane Q. Doe",
          phones: [],
          emails: [],
          handles: ["jane_r"],
          client: null,
          state: null,
          status: [],
        },
      ],
      SYSTEM_ACTOR,
      "api",
    );
    const first = await insertMention(ctx, {
      text: "Acme Recovery keeps calling",
      authorHandle: "jane_r",
      authorKey: "author-jane",
    });
    const { items } = (await (
      await ctx.app.request(`/api/mentions/${first}/links`, authed(manager))
    ).json()) as { items: { account: { id: number } }[] };
    const managerUser = {
      id: ctx.users.manager.id,
      workspaceId: ctx.deps.workspaceId,
      email: "manager@example.com",
      name: "",
      role: "manager" as const,
    };
    await decideMentionLink(ctx.deps, managerUser, first, items[0]!.account.id, "confirm");
    expect(await ctx.deps.db.select().from(rightsEvents)).toHaveLength(0); // no rights flags on the first post

    const { inserted } = await store([
      prepared(
        "STOP contacting me. I have a lawyer now.",
        "author-jane",
        new Date("2026-03-10T14:00:00Z"),
        -0.7,
        ["cease_contact", "attorney"],
      ),
    ]);
    const newId = inserted[0]!.id;
    const [carried] = await ctx.deps.db.select().from(accountLinks).where(eq(accountLinks.mentionId, newId));
    expect(carried).toMatchObject({
      status: "confirmed",
      decidedBy: null,
      evidence: [{ kind: "same_author" }],
    });
    const events = await ctx.deps.db.select().from(rightsEvents).where(eq(rightsEvents.mentionId, newId));
    expect(events.map((e) => e.flag).sort()).toEqual(["attorney", "cease_contact"]);
    expect(events.every((e) => e.occurredAt.toISOString() === "2026-03-10T14:00:00.000Z")).toBe(true);
    const queued = await ctx.deps.db.select().from(outbox);
    expect(queued.map((o) => o.idempotencyKey).sort()).toEqual(
      events.map((e) => `rights_event:${e.id}`).sort(),
    );
    expect(queued.every((o) => o.kind === "webhook" && o.destination === "http://127.0.0.1:9/events")).toBe(
      true,
    );

    // Another author with rights flags but no confirmed link: no link, no event.
    const { inserted: other } = await store([
      prepared("I dispute this", "author-unknown", new Date("2026-03-10T14:05:00Z"), -0.5, ["dispute"]),
    ]);
    expect(
      await ctx.deps.db.select().from(accountLinks).where(eq(accountLinks.mentionId, other[0]!.id)),
    ).toEqual([]);
  });
});
