// Shared setup for the web tests: a migrated temp database, people of each role, sources and mentions.
import { sql } from "drizzle-orm";
import { brands, mentionBrands, mentions, sources } from "../../src/db/schema/index.js";
import type { Role } from "../../src/domain/taxonomy.js";
import { createUser } from "../../src/services/users/create-user.js";
import { createApp } from "../../src/web/app.js";
import { createTestDeps, type TestDeps } from "../helpers/deps.js";

export const PASSWORD = "correct horse battery";

export interface WebTestContext {
  deps: TestDeps;
  app: ReturnType<typeof createApp>;
  users: Record<Role, { id: number; email: string }>;
  sourceId: number;
  otherSourceId: number;
  clientBrandId: number;
}

export async function createWebTestContext(
  overrides: Record<string, string> = {},
  now?: () => Date,
): Promise<WebTestContext> {
  const deps = await createTestDeps(overrides, now);
  const users = {} as WebTestContext["users"];
  for (const role of ["admin", "manager", "responder", "viewer"] as const) {
    const created = await createUser(deps, { email: `${role}@example.com`, role, password: PASSWORD });
    users[role] = { id: created.id, email: created.email };
  }
  const [source] = await deps.db
    .insert(sources)
    .values({
      workspaceId: deps.workspaceId,
      brandId: deps.companyBrandId,
      name: "news-feed",
      type: "rss",
      config: { url: "http://127.0.0.1/feed" },
    })
    .returning();
  const [other] = await deps.db
    .insert(sources)
    .values({ workspaceId: deps.workspaceId, name: "reviews", type: "trustpilot" })
    .returning();
  const [client] = await deps.db
    .insert(brands)
    .values({
      workspaceId: deps.workspaceId,
      name: "Big Bank",
      slug: "big-bank",
      kind: "client",
      keywords: ["Big Bank"],
    })
    .returning();
  return {
    deps,
    app: createApp(deps),
    users,
    sourceId: source!.id,
    otherSourceId: other!.id,
    clientBrandId: client!.id,
  };
}

export interface MentionSeed {
  text: string;
  sourceId?: number;
  createdAt?: Date;
  brandIds?: number[];
  status?: string;
  category?: string;
  severity?: string;
  relevant?: boolean;
  flags?: string[];
  textMasked?: string;
  authorHandle?: string;
  authorKey?: string;
  threadId?: string;
  contentHash?: string;
  groupId?: number | null;
  reach?: number;
  slaDueAt?: Date;
  /** When Rapport stored it (default: now); a clock already past due then "arrived overdue". */
  fetchedAt?: Date;
  url?: string;
}

let externalCounter = 0;

export async function insertMention(ctx: WebTestContext, seed: MentionSeed): Promise<number> {
  externalCounter++;
  const [row] = await ctx.deps.db
    .insert(mentions)
    .values({
      sourceId: seed.sourceId ?? ctx.sourceId,
      externalId: `ext-${externalCounter}-${Math.random().toString(36).slice(2)}`,
      text: seed.text,
      textMasked: seed.textMasked ?? seed.text,
      createdAt: seed.createdAt ?? new Date(),
      contentHash: seed.contentHash ?? `hash-${externalCounter}-${Math.random()}`,
      authorHandle: seed.authorHandle ?? "someone",
      authorKey: seed.authorKey ?? null,
      threadId: seed.threadId ?? null,
      status: seed.status ?? "new",
      category: seed.category ?? null,
      severity: seed.severity ?? null,
      relevant: seed.relevant ?? null,
      flags: seed.flags ?? [],
      reach: seed.reach ?? null,
      slaDueAt: seed.slaDueAt ?? null,
      ...(seed.fetchedAt ? { fetchedAt: seed.fetchedAt } : {}),
      url: seed.url ?? null,
    })
    .returning({ id: mentions.id });
  const id = row!.id;
  const groupId = seed.groupId === undefined ? id : seed.groupId;
  await ctx.deps.db.update(mentions).set({ groupId }).where(sql`${mentions.id} = ${id}`);
  for (const brandId of seed.brandIds ?? [ctx.deps.companyBrandId]) {
    await ctx.deps.db.insert(mentionBrands).values({ mentionId: id, brandId });
  }
  return id;
}

export interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in through the real endpoint and returns the cookie and CSRF token to send back. */
export async function login(ctx: WebTestContext, role: Role): Promise<Session> {
  const res = await ctx.app.request("/api/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: ctx.users[role].email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0]!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: body.csrfToken };
}

export function authed(session: Session, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("cookie", session.cookie);
  if (init.method && init.method !== "GET") headers.set("x-csrf-token", session.csrf);
  if (typeof init.body === "string" && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  return { ...init, headers };
}
