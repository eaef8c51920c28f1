// Accounts end to end: the push API (API token) and the CSV import store contact identifiers only as keyed
// hashes; link suggestions are for managers and admins only and every view and decision is audited; a confirmed
// link turns the mention's rights flags into dated events, a CSV export and signed webhooks that a local
// receiver verifies; an account marked attorney-represented stops replies before anyone writes one.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq, ne } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../test/helpers/cli.js";
import { startHttpServer, type TestServer } from "../../../test/helpers/http-server.js";
import {
  authed,
  createWebTestContext,
  insertMention,
  login,
  type Session,
  type WebTestContext,
} from "../../../test/web/helpers.js";
import { createApiToken } from "../../auth/api-tokens.js";
import {
  accountIdentifiers,
  accountLinks,
  accounts,
  auditLog,
  mentions,
  outbox,
  rightsEvents,
} from "../../db/schema/index.js";
import { verifyWebhook } from "../../domain/accounts/crypto.js";
import { runDeliverOutbox } from "../../jobs/deliver-outbox.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const WEBHOOK_SECRET = "whsec-collections-system-0123456789";
const JANE = {
  reference: "AB-12345",
  displayName: "Jane Q. Doe",
  phones: ["(555) 123-4567"],
  emails: ["Jane.Doe@Example.org"],
  handles: ["jane_r"],
  client: "Mercy Hospital",
  state: "OH",
  status: ["attorney_represented"],
};

let ctx: WebTestContext;
let receiver: TestServer;
let manager: Session;
let responder: Session;
let viewer: Session;

beforeEach(async () => {
  receiver = await startHttpServer((_req, res) => {
    res.statusCode = 204;
    res.end();
  });
  ctx = await createWebTestContext(
    { ACCOUNT_WEBHOOK_URL: `${receiver.url}/rapport/events`, ACCOUNT_WEBHOOK_SECRET: WEBHOOK_SECRET },
    () => NOW,
  );
  manager = await login(ctx, "manager");
  responder = await login(ctx, "responder");
  viewer = await login(ctx, "viewer");
});
afterEach(async () => {
  await receiver.close();
  await ctx.deps.cleanup();
});

async function push(token: string, body: unknown) {
  return ctx.app.request("/api/accounts", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function everythingStored(): Promise<string> {
  const tables = [accounts, accountIdentifiers, auditLog] as const;
  const dumps = await Promise.all(tables.map((t) => ctx.deps.db.select().from(t)));
  return JSON.stringify(dumps);
}

async function janeMention(flags: string[] = ["cease_contact", "dispute"]) {
  const id = await insertMention(ctx, {
    text: "Acme Recovery, stop calling 555-123-4567. I dispute this and told you in writing.",
    createdAt: new Date("2026-03-09T08:30:00Z"),
    category: "communication_tactics",
    relevant: true,
    flags,
    authorHandle: "jane_r",
  });
  return id;
}

describe("push API and CSV import", () => {
  it("store phones, e-mails and handles only as keyed hashes, and only for managers and admins", async () => {
    const { token } = await createApiToken(ctx.deps, ctx.users.admin.id, "collections system");
    const res = await push(token, { accounts: [JANE] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ created: 1, updated: 0 });
    expect(
      await push(token, { accounts: [{ ...JANE, displayName: "Jane Doe" }] }).then((r) => r.json()),
    ).toEqual({ created: 0, updated: 1 });

    const stored = await everythingStored();
    for (const clear of [
      "5551234567",
      "555-123-4567",
      "123-4567",
      "jane.doe@example.org",
      "Jane.Doe@Example.org",
      "jane_r",
    ]) {
      expect(stored).not.toContain(clear);
    }
    const kinds = (await ctx.deps.db.select().from(accountIdentifiers)).map((i) => i.kind).sort();
    expect(kinds).toEqual(["email", "handle", "phone", "reference"]);
    const [account] = await ctx.deps.db.select().from(accounts);
    // Reference and display name are plain on purpose: the people confirming a link must read them.
    expect(account).toMatchObject({
      reference: "AB-12345",
      displayName: "Jane Doe",
      client: "Mercy Hospital",
      status: { attorneyRepresented: true },
    });

    const bad = await push(token, { accounts: [{ reference: "X-1", phones: ["12"], state: "ZZ" }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /accounts\[0\]\.phones.*not a phone number/,
    );

    const { token: responderToken } = await createApiToken(ctx.deps, ctx.users.responder.id, "nope");
    expect((await push(responderToken, { accounts: [JANE] })).status).toBe(403);
    expect((await ctx.app.request("/api/accounts", { method: "POST", body: "{}" })).status).toBe(401);
  });

  it("npx rapport accounts import reports bad rows by line and stores the good ones hashed", async () => {
    const file = join(ctx.deps.dir, "accounts.csv");
    writeFileSync(
      file,
      [
        "reference,display_name,phones,emails,handles,client,state,status",
        "AB-12345,Jane Q. Doe,555-123-4567,jane.doe@example.org,x:jane_r,Mercy Hospital,OH,attorney_represented",
        "CD-67890,John Roe,not-a-phone,,,Big Bank,TX,",
        "EF-11111,Ann Poe,+1 (555) 987-6543,ann@example.com,,Big Bank,CA,cease_contact",
      ].join("\n"),
    );
    const run = await runCli(["accounts", "import", file], {
      env: {
        DATABASE_URL: ctx.deps.env.DATABASE_URL,
        RAPPORT_SECRET: ctx.deps.env.RAPPORT_SECRET,
        RAPPORT_DEMO: "0",
        LOG_LEVEL: "silent",
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:3 phones: "not-a-phone" is not a phone number`);
    expect(run.stdout).toContain("2 account(s) created, 0 updated, 1 problem(s)");
    expect((await ctx.deps.db.select().from(accounts)).map((a) => a.reference).sort()).toEqual([
      "AB-12345",
      "EF-11111",
    ]);
    const stored = await everythingStored();
    for (const clear of ["5551234567", "5559876543", "jane.doe@example.org", "ann@example.com", "jane_r"])
      expect(stored).not.toContain(clear);
  });
});

describe("links", () => {
  beforeEach(async () => {
    const { token } = await createApiToken(ctx.deps, ctx.users.admin.id, "collections system");
    await push(token, {
      accounts: [
        JANE,
        { reference: "ZZ-99999", displayName: "John Roe", phones: ["555-000-1111"], state: "TX" },
      ],
    });
  });

  it("are suggested with score and evidence to managers only; viewers and responders never see them", async () => {
    const id = await janeMention();
    const res = await ctx.app.request(`/api/mentions/${id}/links`, authed(manager));
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: {
        id: number | null;
        score: number;
        status: string;
        evidence: { kind: string; detail: string }[];
        account: { id: number; reference: string };
      }[];
    };
    expect(items).toHaveLength(1);
    expect(items[0]!.account.reference).toBe("AB-12345");
    expect(items[0]!.status).toBe("suggested");
    expect(items[0]!.evidence.map((e) => e.kind).sort()).toEqual(["handle", "phone"]);
    expect(items[0]!.evidence.find((e) => e.kind === "handle")!.detail).toBe(
      "author handle @jane_r is on the account",
    );
    expect(items[0]!.score).toBeGreaterThanOrEqual(90);
    // Shown, not stored: nothing exists until someone decides.
    expect(items[0]!.id).toBeNull();

    for (const session of [viewer, responder]) {
      expect((await ctx.app.request(`/api/mentions/${id}/links`, authed(session))).status).toBe(403);
      expect(
        (
          await ctx.app.request(
            `/api/mentions/${id}/links/${items[0]!.account.id}/confirm`,
            authed(session, { method: "POST" }),
          )
        ).status,
      ).toBe(403);
      expect((await ctx.app.request("/api/accounts", authed(session))).status).toBe(403);
      expect((await ctx.app.request("/accounts", authed(session))).status).toBe(403);
    }
    const responderPage = await (await ctx.app.request(`/mentions/${id}/reply`, authed(responder))).text();
    expect(responderPage).not.toContain("AB-12345");
    expect(responderPage).not.toContain("Jane Q. Doe");
    expect(responderPage).not.toContain('data-testid="account-links"');
    const managerPage = await (await ctx.app.request(`/mentions/${id}/reply`, authed(manager))).text();
    expect(managerPage).toContain('data-testid="account-links"');
    expect(managerPage).toContain("ref AB-12345");
  });

  it("a GET of the reply page or the links API stores no suggestion and emits no rights event; only the view is audited", async () => {
    const id = await janeMention([]);
    // One account confirmed, a second still only suggested, and a rights flag added after the link without a
    // correction: reading the page used to store the suggestion, audit the view and emit the event.
    const { token } = await createApiToken(ctx.deps, ctx.users.admin.id, "cs3");
    await push(token, { accounts: [{ reference: "KL-33333", displayName: "Other", handles: ["jane_r"] }] });
    const [jane] = await ctx.deps.db.select().from(accounts).where(eq(accounts.reference, "AB-12345"));
    const linked = await ctx.app.request(
      `/api/mentions/${id}/links/${jane!.id}/confirm`,
      authed(manager, { method: "POST" }),
    );
    expect(linked.status).toBe(200);
    await ctx.deps.db
      .update(mentions)
      .set({ flags: ["dispute"] })
      .where(eq(mentions.id, id));
    const state = async () =>
      JSON.stringify(
        await Promise.all([
          ctx.deps.db.select().from(auditLog).where(ne(auditLog.action, "account_link.view")),
          ctx.deps.db.select().from(accountLinks),
          ctx.deps.db.select().from(rightsEvents),
          ctx.deps.db.select().from(outbox),
        ]),
      );
    const before = await state();
    const viewsBefore = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "account_link.view"));
    for (const session of [manager, responder]) {
      expect((await ctx.app.request(`/mentions/${id}/reply`, authed(session))).status).toBe(200);
      await ctx.app.request(`/api/mentions/${id}/replies`, authed(session));
    }
    expect((await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))).status).toBe(200);
    expect(await state()).toBe(before);
    // Every view of a link is on record (GLBA): the manager's page and API reads, never the responder's, who
    // is not shown accounts at all.
    const views = (
      await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, "account_link.view"))
    ).slice(viewsBefore.length);
    expect(views.map((v) => v.actorEmail)).toEqual(Array(2).fill(ctx.users.manager.email));
    expect(views[0]?.after).toEqual({
      links: expect.arrayContaining([
        { accountId: jane!.id, status: "confirmed" },
        expect.objectContaining({ status: "suggested" }),
      ]),
    });
  });

  it("deciding stores the suggestion and audits what it was based on; an account the matcher does not suggest cannot be linked", async () => {
    const id = await janeMention([]);
    const { items } = (await (
      await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))
    ).json()) as { items: { id: number | null; score: number; account: { id: number } }[] };
    const accountId = items[0]!.account.id;
    const res = await ctx.app.request(
      `/api/mentions/${id}/links/${accountId}/confirm`,
      authed(manager, { method: "POST" }),
    );
    expect(res.status).toBe(200);
    const { linkId } = (await res.json()) as { linkId: number };
    const [link] = await ctx.deps.db.select().from(accountLinks).where(eq(accountLinks.id, linkId));
    expect(link).toMatchObject({ mentionId: id, accountId, status: "confirmed", score: items[0]!.score });
    const [entry] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "account_link.confirm"), eq(auditLog.entityId, String(linkId))));
    expect(entry!.actorEmail).toBe("manager@example.com");
    expect(entry!.after).toMatchObject({
      score: items[0]!.score,
      evidence: expect.arrayContaining(["handle"]),
    });
    // The GET now shows the stored link by its id.
    const again = (await (await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))).json()) as {
      items: { id: number | null; status: string }[];
    };
    expect(again.items[0]).toMatchObject({ id: linkId, status: "confirmed" });

    const [john] = await ctx.deps.db.select().from(accounts).where(eq(accounts.reference, "ZZ-99999"));
    const refused = await ctx.app.request(
      `/api/mentions/${id}/links/${john!.id}/confirm`,
      authed(manager, { method: "POST" }),
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      "not suggested for this mention",
    );
  });

  it("no link when the evidence is only a name", async () => {
    const id = await insertMention(ctx, {
      text: "John Roe here from Texas, these people are rude",
      authorHandle: "someone_else",
    });
    const { items } = (await (
      await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))
    ).json()) as { items: unknown[] };
    expect(items).toEqual([]);
  });

  it("confirmed: rights flags become dated events, a CSV export and signed webhooks; the attorney status stops replies", async () => {
    const id = await janeMention();
    const { items } = (await (
      await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))
    ).json()) as { items: { account: { id: number } }[] };
    const confirmed = await ctx.app.request(
      `/api/mentions/${id}/links/${items[0]!.account.id}/confirm`,
      authed(manager, { method: "POST" }),
    );
    const { linkId, ...outcome } = (await confirmed.json()) as { linkId: number; rightsEvents: number[] };
    expect(outcome).toEqual({ rightsEvents: [expect.any(Number), expect.any(Number)] });

    const events = await ctx.deps.db.select().from(rightsEvents).orderBy(rightsEvents.id);
    expect(events.map((e) => [e.flag, e.occurredAt.toISOString()])).toEqual([
      ["dispute", "2026-03-09T08:30:00.000Z"],
      ["cease_contact", "2026-03-09T08:30:00.000Z"],
    ]);
    // Confirming again changes nothing and sends nothing twice.
    await ctx.app.request(`/api/account-links/${linkId}/confirm`, authed(manager, { method: "POST" }));
    expect(await ctx.deps.db.select().from(outbox)).toHaveLength(2);

    const csv = await (await ctx.app.request("/accounts/rights-events.csv", authed(manager))).text();
    expect(csv.split("\r\n")).toEqual([
      "event_id,type,flag,occurred_at,account_reference,mention_id,mention_url,recorded_at",
      `rights_event_${events[0]!.id},dispute_raised,dispute,2026-03-09T08:30:00.000Z,AB-12345,${id},,2026-03-10T12:00:00.000Z`,
      `rights_event_${events[1]!.id},cease_contact_requested,cease_contact,2026-03-09T08:30:00.000Z,AB-12345,${id},,2026-03-10T12:00:00.000Z`,
      "",
    ]);
    expect((await ctx.app.request("/accounts/rights-events.csv", authed(viewer))).status).toBe(403);

    // The outbox delivers; the collections system verifies each signature with the shared secret.
    const report = await runDeliverOutbox(ctx.deps, NOW);
    expect(report.sent).toBe(2);
    expect(receiver.requests).toHaveLength(2);
    const bodies = receiver.requests.map((request) => {
      expect(request.method).toBe("POST");
      expect(request.url).toBe("/rapport/events");
      const verified = verifyWebhook(
        WEBHOOK_SECRET,
        request.headers["rapport-signature"] as string,
        request.body,
        {
          nowSeconds: Math.floor(NOW.getTime() / 1000),
        },
      );
      expect(verified).toEqual({ ok: true, timestamp: Math.floor(NOW.getTime() / 1000) });
      expect(
        verifyWebhook("wrong-secret", request.headers["rapport-signature"] as string, request.body, {
          nowSeconds: Math.floor(NOW.getTime() / 1000),
        }).ok,
      ).toBe(false);
      expect(
        verifyWebhook(
          WEBHOOK_SECRET,
          request.headers["rapport-signature"] as string,
          request.body.replace("AB-12345", "AB-99999"),
          { nowSeconds: Math.floor(NOW.getTime() / 1000) },
        ).ok,
      ).toBe(false);
      return JSON.parse(request.body) as Record<string, unknown>;
    });
    expect(bodies.map((b) => b.type).sort()).toEqual(["cease_contact_requested", "dispute_raised"]);
    expect(bodies[0]).toMatchObject({
      account: { reference: "AB-12345" },
      occurredAt: "2026-03-09T08:30:00.000Z",
      mention: { id },
    });

    // The linked account is attorney-represented: the Reply panel says so before anyone writes, and drafting is refused.
    const page = await (await ctx.app.request(`/mentions/${id}/reply`, authed(responder))).text();
    expect(page).toContain("represented by an attorney");
    const refused = await ctx.app.request(
      `/api/mentions/${id}/replies`,
      authed(responder, { method: "POST", body: JSON.stringify({ origin: "template" }) }),
    );
    expect(refused.status).toBe(403);

    const decisions = (await ctx.deps.db.select().from(auditLog)).map((a) => a.action);
    expect(decisions).toEqual(
      expect.arrayContaining(["account_link.confirm", "rights_event.create", "rights_event.export"]),
    );
  });

  it("unlinking and rejecting are audited and a second account cannot be linked while one is", async () => {
    const { token } = await createApiToken(ctx.deps, ctx.users.admin.id, "cs2");
    await push(token, {
      accounts: [{ reference: "GH-22222", displayName: "Jane Other", handles: ["jane_r"] }],
    });
    const id = await janeMention([]);
    const { items } = (await (
      await ctx.app.request(`/api/mentions/${id}/links`, authed(manager))
    ).json()) as {
      items: { id: number | null; account: { id: number; reference: string } }[];
    };
    expect(items.map((i) => i.account.reference)).toEqual(["AB-12345", "GH-22222"]);
    // The panel's form: confirm, then back to the panel with a message; a viewer's form post is refused.
    const form = await ctx.app.request(
      `/mentions/${id}/account-links/${items[0]!.account.id}/confirm`,
      authed(manager, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ back: `/mentions/${id}/reply` }).toString(),
      }),
    );
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toMatch(
      new RegExp(`^/mentions/${id}/reply\\?notice=Linked\\.&t=[0-9a-z]+&sig=[\\w-]{22}#account-links$`),
    );
    const viewerForm = await ctx.app.request(
      `/mentions/${id}/account-links/${items[1]!.account.id}/confirm`,
      authed(viewer, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "",
      }),
    );
    expect(viewerForm.status).toBe(403);
    expect(
      (
        await ctx.app.request(
          `/api/mentions/${id}/links/${items[1]!.account.id}/confirm`,
          authed(manager, { method: "POST" }),
        )
      ).status,
    ).toBe(409);
    expect(
      (
        await ctx.app.request(
          `/api/mentions/${id}/links/${items[0]!.account.id}/reject`,
          authed(manager, { method: "POST" }),
        )
      ).status,
    ).toBe(200);
    const actions = (
      await ctx.deps.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityType, "account_link"))
        .orderBy(auditLog.id)
    ).map((a) => a.action);
    expect(actions).toEqual(["account_link.confirm", "account_link.reject"]);
    expect(await ctx.deps.db.select().from(rightsEvents)).toHaveLength(0);

    // Linked again, then a reviewer adds a rights flag: the correction itself records the event.
    await ctx.deps.db
      .update(accountLinks)
      .set({ status: "confirmed" })
      .where(and(eq(accountLinks.mentionId, id), eq(accountLinks.accountId, items[0]!.account.id)));
    const correct = () =>
      ctx.app.request(
        `/api/mentions/${id}/classification`,
        authed(responder, {
          method: "POST",
          body: JSON.stringify({ category: "debt_not_owed", severity: "high", flags: ["dispute"] }),
        }),
      );
    expect((await correct()).status).toBe(200);
    const events = await ctx.deps.db.select().from(rightsEvents);
    expect(events.map((e) => [e.flag, e.mentionId])).toEqual([["dispute", id]]);
    await correct();
    expect(await ctx.deps.db.select().from(outbox)).toHaveLength(1);
  });
});
