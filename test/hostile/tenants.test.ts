// The other tenant: with two workspaces in one database, workspace 2's admin walks every route of the app (the
// list comes from Hono's own route table, so a route added later is walked too) with workspace 1's ids in every
// path parameter and every body field. One of every entity of workspace 1 carries a marker; no response may
// contain it, and no row of workspace 1 may change.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/auth/tokens.js";
import {
  accountLinks,
  accounts,
  apiTokens,
  brands,
  digestRecipients,
  notes,
  outbox,
  replies,
  replyTemplates,
  rightsEvents,
  savedViews,
  sources,
  spikes,
  workspaces,
} from "../../src/db/schema/index.js";
import { loadIngestContext } from "../../src/pipeline/context.js";
import { prepareMentions } from "../../src/pipeline/prepare.js";
import { storePage } from "../../src/pipeline/store.js";
import { rightsEventsRouter } from "../../src/services/accounts/rights-events-router.js";
import { recordAudit } from "../../src/services/audit/record-audit.js";
import { runSendDigests } from "../../src/services/digest/send-digests.js";
import { createUser } from "../../src/services/users/create-user.js";
import { createTestDeps } from "../helpers/deps.js";
import { createWebTestContext, insertMention, PASSWORD, type WebTestContext } from "../web/helpers.js";
import { rawRequest } from "./http.js";

const MARK = "W1MARK";
const mark = (what: string) => `${MARK}-${what}`;

/** Tables whose workspace-1 rows must come out of the walk exactly as they went in. */
const WATCHED = [
  "mentions",
  "notes",
  "replies",
  "reply_templates",
  "accounts",
  "account_links",
  "rights_events",
  "digest_recipients",
  "outbox",
  "users",
  "api_tokens",
  "sources",
  "brands",
  "saved_views",
  "spikes",
  "workspaces",
  "classifications",
  "mention_brands",
];
/** Columns a request of anyone's may legitimately touch (bookkeeping, not data). */
const VOLATILE = new Set(["last_feed_visit_at", "last_used_at"]);

let ctx: WebTestContext;
let server: ReturnType<typeof serve>;
let baseUrl: string;
const w1: Record<string, number> = {};
let w2Session: { cookie: string; csrf: string };

async function rows(table: string): Promise<Record<string, unknown>[]> {
  const database = ctx.deps.database as { client: { execute(sql: string): Promise<{ rows: unknown[] }> } };
  const result = await database.client.execute(`SELECT rowid AS _rowid, * FROM ${table} ORDER BY rowid`);
  return result.rows.map((row) =>
    Object.fromEntries(Object.entries(row as Record<string, unknown>).filter(([k]) => !VOLATILE.has(k))),
  );
}

async function snapshot() {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of WATCHED) out[table] = await rows(table);
  return out;
}

beforeAll(async () => {
  ctx = await createWebTestContext();
  const { deps } = ctx;
  const admin1 = ctx.users.admin;
  // Workspace 1: one of everything, each with the marker.
  const [client] = await deps.db
    .insert(brands)
    .values({
      workspaceId: deps.workspaceId,
      name: mark("brand"),
      slug: "w1mark-brand",
      kind: "client",
      keywords: [mark("keyword")],
      slackWebhookUrl: `https://hooks.slack.com/services/T0/B0/${MARK}hook`,
    })
    .returning();
  w1.brand = client!.id;
  const [source] = await deps.db
    .insert(sources)
    .values({
      workspaceId: deps.workspaceId,
      brandId: client!.id,
      name: mark("source"),
      type: "rss",
      config: {},
    })
    .returning();
  w1.source = source!.id;
  w1.mention = await insertMention(ctx, {
    text: `${mark("mention")} they called my mother about my ${MARK} debt`,
    authorHandle: mark("handle"),
    url: `https://social.example/${MARK}`,
    sourceId: source!.id,
    brandIds: [client!.id, deps.companyBrandId],
    severity: "high",
    relevant: true,
    category: "privacy",
    slaDueAt: new Date(Date.now() + 3_600_000),
  });
  const [note] = await deps.db
    .insert(notes)
    .values({ mentionId: w1.mention, userId: admin1.id, body: mark("note") })
    .returning();
  w1.note = note!.id;
  const [reply] = await deps.db
    .insert(replies)
    .values({
      mentionId: w1.mention,
      threadKey: mark("thread"),
      authorId: ctx.users.responder.id,
      origin: "manual",
      text: mark("reply"),
      status: "awaiting_approval",
    })
    .returning();
  w1.reply = reply!.id;
  const [template] = await deps.db
    .insert(replyTemplates)
    .values({
      workspaceId: deps.workspaceId,
      brandId: null,
      name: mark("template"),
      body: `${MARK} template`,
    })
    .returning();
  w1.template = template!.id;
  const [account] = await deps.db
    .insert(accounts)
    .values({ workspaceId: deps.workspaceId, reference: mark("ref"), displayName: mark("debtor") })
    .returning();
  w1.account = account!.id;
  const [link] = await deps.db
    .insert(accountLinks)
    .values({ mentionId: w1.mention, accountId: account!.id, score: 90, evidence: { note: MARK } })
    .returning();
  w1.link = link!.id;
  const [event] = await deps.db
    .insert(rightsEvents)
    .values({ accountId: account!.id, mentionId: w1.mention, flag: "dispute", occurredAt: new Date() })
    .returning();
  w1.event = event!.id;
  const [recipient] = await deps.db
    .insert(digestRecipients)
    .values({ workspaceId: deps.workspaceId, brandId: null, email: "w1mark-director@example.com" })
    .returning();
  w1.recipient = recipient!.id;
  const [message] = await deps.db
    .insert(outbox)
    .values({
      workspaceId: deps.workspaceId,
      kind: "email",
      idempotencyKey: mark("outbox"),
      destination: "w1mark-inbox@example.com",
      payload: { subject: mark("digest") },
      status: "failed",
      nextAttemptAt: new Date(),
      lastError: mark("error"),
      fix: mark("fix"),
    })
    .returning();
  w1.outbox = message!.id;
  const [spike] = await deps.db
    .insert(spikes)
    .values({
      key: `brand:${client!.id}`,
      brandId: client!.id,
      startedAt: new Date(),
      lastHourAt: new Date(),
      count: 40,
      expected: 2,
      score: 9,
      explanation: { subject: mark("spike") },
    })
    .returning();
  w1.spike = spike!.id;
  const [view] = await deps.db
    .insert(savedViews)
    .values({ userId: admin1.id, name: mark("view"), query: { q: MARK } })
    .returning();
  w1.view = view!.id;
  const [token] = await deps.db
    .insert(apiTokens)
    .values({ userId: admin1.id, name: mark("token"), tokenHash: sha256(mark("token-secret")) })
    .returning();
  w1.token = token!.id;
  w1.user = (
    await createUser(deps, { email: "w1mark-user@example.com", role: "manager", password: PASSWORD })
  ).id;
  w1.admin = admin1.id;
  await recordAudit(deps.db, {
    actor: admin1,
    action: "test.marker",
    entityType: "mention",
    entityId: w1.mention,
    after: { marker: mark("audit") },
  });

  // Workspace 2: its own admin, brand, source and mention.
  const [other] = await deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
  const [otherBrand] = await deps.db
    .insert(brands)
    .values({
      workspaceId: other!.id,
      name: "Other Brand",
      slug: "other-brand",
      kind: "company",
      keywords: ["Other"],
    })
    .returning();
  const [otherSource] = await deps.db
    .insert(sources)
    .values({ workspaceId: other!.id, brandId: otherBrand!.id, name: "other-feed", type: "rss", config: {} })
    .returning();
  await insertMention(ctx, {
    text: "Other Brand was fine",
    sourceId: otherSource!.id,
    brandIds: [otherBrand!.id],
  });
  await createUser(deps, {
    email: "admin2@other.example",
    role: "admin",
    password: PASSWORD,
    workspaceId: other!.id,
  });

  server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await rawRequest(baseUrl, "/api/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin2@other.example", password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  w2Session = {
    cookie: String(login.headers["set-cookie"]).split(";")[0]!,
    csrf: (JSON.parse(login.body) as { csrfToken: string }).csrfToken,
  };
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await ctx.deps.cleanup();
});

/** Routes a signed-in workspace admin reaches (Hono's table), minus the ones that end the walker's session. */
function walkedRoutes(): { method: string; path: string }[] {
  const skip = (method: string, path: string) =>
    method === "ALL" ||
    path.includes("*") ||
    path.startsWith("/static") ||
    path.startsWith("/reply-assets") ||
    path.startsWith("/api/ingest") || // push sources: their own token, no session
    path === "/healthz" ||
    path === "/logout" ||
    path.startsWith("/welcome/") ||
    path === "/login" ||
    (path === "/api/session" && method !== "GET");
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of ctx.app.routes) {
    if (skip(route.method, route.path)) continue;
    seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}

/** Every concrete path for a route pattern: each workspace-1 id in each `:param`. */
function concretePaths(pattern: string): string[] {
  const ids = [...new Set(Object.values(w1))];
  let paths = [pattern];
  for (const match of pattern.matchAll(/:(\w+)(\{([^}]*)\})?/g)) {
    const [whole, name, , choices] = match;
    const values =
      choices !== undefined
        ? [choices.split("|")[0]!]
        : name === "accountId"
          ? [String(w1.account)]
          : ids.map(String);
    paths = paths.flatMap((p) => values.map((v) => p.replace(whole, v)));
  }
  return paths;
}

/** A body that names workspace-1 rows in every field a route might read. */
const poison = () => ({
  ids: [w1.mention],
  mentionIds: [w1.mention],
  id: w1.mention,
  mentionId: w1.mention,
  replyId: w1.reply,
  accountId: w1.account,
  brandId: w1.brand,
  brand: String(w1.brand),
  sourceId: w1.source,
  templateId: w1.template,
  userId: w1.user,
  assigneeId: w1.user,
  recipientId: w1.recipient,
  status: "dismissed",
  decision: "confirm",
  role: "viewer",
  disabled: true,
  name: "probe from workspace 2",
  email: "probe@other.example",
  text: "We're sorry to hear this. Please reach us privately. — Other Co",
  body: "probe",
  category: "praise",
  severity: "low",
  relevant: true,
  flags: [],
  platform: "generic",
  timeZone: "UTC",
  url: "http://127.0.0.1:9/probe",
  sensitivity: "fewer",
  reason: "probe",
  reference: "W2-REF",
  displayName: "probe",
  query: {},
});

function formBody(values: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (Array.isArray(value)) for (const v of value) form.append(key, String(v));
    else if (typeof value !== "object") form.append(key, String(value));
  }
  form.append("_csrf", w2Session.csrf);
  return form.toString();
}

describe("two workspaces", () => {
  it("workspace 2's admin never sees or changes workspace 1's rows, on any route", async () => {
    const before = await snapshot();
    const routes = walkedRoutes();
    expect(routes.length).toBeGreaterThan(80);
    const leaks: string[] = [];
    let requests = 0;
    for (const route of routes) {
      for (const path of concretePaths(route.path)) {
        const isApi = path.startsWith("/api/");
        const variants =
          route.method === "GET"
            ? [
                path,
                `${path}?brand=${w1.brand}&source=${w1.source}&mention=${w1.mention}&brandId=${w1.brand}`,
              ]
            : [path];
        for (const url of variants) {
          const headers: Record<string, string> = {
            cookie: w2Session.cookie,
            "x-csrf-token": w2Session.csrf,
          };
          let body: string | undefined;
          if (route.method !== "GET") {
            headers["content-type"] = isApi ? "application/json" : "application/x-www-form-urlencoded";
            body = isApi ? JSON.stringify(poison()) : formBody(poison());
          }
          const res = await rawRequest(baseUrl, url, {
            method: route.method,
            headers,
            ...(body !== undefined ? { body } : {}),
          });
          requests++;
          const seen = `${res.body} ${JSON.stringify(res.headers)}`.toLowerCase();
          if (seen.includes(MARK.toLowerCase())) {
            const at = seen.indexOf(MARK.toLowerCase());
            leaks.push(
              `${route.method} ${url} → ${res.status}: …${seen.slice(Math.max(0, at - 80), at + 40)}…`,
            );
          }
          expect(res.status, `${route.method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(requests).toBeGreaterThan(routes.length);

    // Nothing of workspace 1 changed: every row that existed is still there, the same; and no new row hangs
    // off a workspace-1 mention, brand or account.
    const after = await snapshot();
    for (const table of WATCHED) {
      const now = new Map(after[table]!.map((r) => [r._rowid, r]));
      for (const row of before[table]!) {
        const later = now.get(row._rowid);
        const belongsTo2 = table === "users" && String(row.email).endsWith("@other.example");
        if (belongsTo2) continue;
        expect(later, `${table} row ${row._rowid} was deleted`).toBeDefined();
        if (table === "workspaces" && row.id !== ctx.deps.workspaceId) continue;
        expect(later, `${table} row ${row._rowid} changed`).toEqual(row);
      }
      const added = after[table]!.filter((r) => !before[table]!.some((b) => b._rowid === r._rowid));
      for (const row of added) {
        const refs =
          [row.mention_id, row.root_mention_id].includes(w1.mention) ||
          row.brand_id === w1.brand ||
          row.account_id === w1.account ||
          row.workspace_id === ctx.deps.workspaceId;
        expect(refs, `${table} gained a workspace-1 row: ${JSON.stringify(row)}`).toBe(false);
      }
    }
  }, 300_000);

  it("workspace 1's own admin does see the marked rows (the walk would notice them)", async () => {
    const login = await rawRequest(baseUrl, "/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@example.com", password: PASSWORD }),
    });
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    for (const path of [
      "/api/audit",
      "/api/alerts",
      "/api/reply-templates",
      "/api/mentions",
      "/api/accounts",
    ]) {
      const res = await rawRequest(baseUrl, path, { headers: { cookie } });
      expect(res.body, path).toContain(MARK);
    }
  });
});

describe("weekly digests with two workspaces", () => {
  it("a recipient without a brand gets their own workspace's digest, never the other's", async () => {
    const deps = await createTestDeps({ SMTP_URL: "smtp://127.0.0.1:2525" });
    try {
      const [other] = await deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
      const [otherBrand] = await deps.db
        .insert(brands)
        .values({
          workspaceId: other!.id,
          name: "Other Brand",
          slug: "other",
          kind: "company",
          keywords: ["Other"],
        })
        .returning();
      await deps.db.insert(digestRecipients).values([
        { workspaceId: deps.workspaceId, brandId: null, email: "director@one.example", timeZone: "UTC" },
        { workspaceId: other!.id, brandId: null, email: "director@two.example", timeZone: "UTC" },
      ]);
      await runSendDigests(deps, new Date("2026-11-30T15:00:00Z")); // a Monday afternoon
      const queued = await deps.db
        .select({ key: outbox.idempotencyKey, to: outbox.destination, workspaceId: outbox.workspaceId })
        .from(outbox);
      const sent = queued.map((q) => [q.to, q.key.split(":")[1], q.workspaceId]).sort();
      expect(sent).toEqual(
        [
          ["director@one.example", String(deps.companyBrandId), deps.workspaceId],
          ["director@two.example", String(otherBrand!.id), other!.id],
        ].sort(),
      );
    } finally {
      await deps.cleanup();
    }
  });
});

describe("account links with two workspaces", () => {
  it("a known author's new post in workspace 2 never carries workspace 1's account link", async () => {
    const deps = await createTestDeps();
    try {
      const at = new Date("2026-11-22T08:00:00Z");
      const [source1] = await deps.db
        .insert(sources)
        .values({
          workspaceId: deps.workspaceId,
          brandId: deps.companyBrandId,
          name: "x1",
          type: "x",
          config: {},
        })
        .returning();
      const [other] = await deps.db.insert(workspaces).values({ name: "Other Co" }).returning();
      const [otherBrand] = await deps.db
        .insert(brands)
        .values({
          workspaceId: other!.id,
          name: "Other",
          slug: "other",
          kind: "company",
          keywords: ["Other"],
        })
        .returning();
      const [source2] = await deps.db
        .insert(sources)
        .values({ workspaceId: other!.id, brandId: otherBrand!.id, name: "x2", type: "x", config: {} })
        .returning();
      const store = async (source: typeof source1, externalId: string, text: string) => {
        const ingest = await loadIngestContext(deps, source!);
        const prepared = await prepareMentions(
          [{ externalId, text, createdAt: at, authorHandle: "pat_debtor", authorId: "1234" }],
          ingest.prepare,
        );
        return storePage(deps.database, prepared, {
          sourceId: source!.id,
          now: at,
          brandSla: ingest.brandSla,
          routers: [rightsEventsRouter({ url: null })],
        });
      };
      const first = await store(source1, "p1", "Acme Recovery keeps calling me");
      const [account] = await deps.db
        .insert(accounts)
        .values({ workspaceId: deps.workspaceId, reference: "A-1", displayName: "Pat" })
        .returning();
      await deps.db.insert(accountLinks).values({
        mentionId: first.inserted[0]!.id,
        accountId: account!.id,
        score: 95,
        evidence: [],
        status: "confirmed",
        decidedAt: at,
      });
      // The same author in workspace 1 again: the link is carried (the router works) …
      const again = await store(source1, "p2", "Acme Recovery called again");
      // … and in workspace 2 it is not.
      const elsewhere = await store(source2, "p3", "Other is great");
      const linkOf = async (mentionId: number) =>
        deps.db.select().from(accountLinks).where(eq(accountLinks.mentionId, mentionId));
      expect(await linkOf(again.inserted[0]!.id)).toHaveLength(1);
      expect(await linkOf(elsewhere.inserted[0]!.id)).toHaveLength(0);
    } finally {
      await deps.cleanup();
    }
  });
});
