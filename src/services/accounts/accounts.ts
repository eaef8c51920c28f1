// Accounts from the collections system (CSV import and the push API) and their links to mentions.
// Phones, e-mails and handles are stored only as keyed hashes (RAPPORT_SECRET); the reference and display name
// are kept in clear because the people confirming a link must read them. A link is only ever SUGGESTED by the
// matcher; a manager confirms or rejects it, and every view and decision is audited (GLBA: the link is NPI).
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import {
  accountIdentifiers,
  accountLinks,
  accounts,
  mentions,
  sources,
  users,
} from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { hmacIdentifier } from "../../domain/accounts/crypto.js";
import { type AccountRow, type ImportError, normalizeAccountRecord } from "../../domain/accounts/import.js";
import { type AccountCandidate, suggestLinks } from "../../domain/accounts/match.js";
import {
  normalizeEmail,
  normalizeHandle,
  normalizePhone,
  normalizeReference,
} from "../../domain/accounts/normalize.js";
import { accountStatusNotices } from "../../domain/accounts/rights.js";
import { assertCan } from "../../domain/permissions.js";
import { badRequest, conflict, notFound } from "../../errors.js";
import { type AuditActor, recordAudit } from "../audit/record-audit.js";
import { platformForSource } from "../replies/context.js";
import { emitRightsEvents, statusList, statusObject, type WebhookConfig } from "./rights.js";

/** Handles are hashed too; a platform-scoped handle keeps its platform in clear so it only matches there. */
export function handleHash(secret: string, stored: string): string {
  const separator = stored.indexOf(":");
  if (separator < 0) return hmacIdentifier(secret, "handle", stored);
  return `${stored.slice(0, separator)}:${hmacIdentifier(secret, "handle", stored.slice(separator + 1))}`;
}

/** Rights events leave only signed: a webhook URL without ACCOUNT_WEBHOOK_SECRET queues nothing (the CSV still has them). */
export function webhookFromEnv(env: {
  ACCOUNT_WEBHOOK_URL?: string | undefined;
  ACCOUNT_WEBHOOK_SECRET?: string | undefined;
}): WebhookConfig {
  return { url: env.ACCOUNT_WEBHOOK_URL && env.ACCOUNT_WEBHOOK_SECRET ? env.ACCOUNT_WEBHOOK_URL : null };
}

export function webhookConfig(deps: Deps): WebhookConfig {
  return webhookFromEnv(deps.env);
}

export interface UpsertSummary {
  created: number;
  updated: number;
}

/** Creates or replaces accounts by reference; identifiers are replaced wholesale (the source system is the truth). */
export async function upsertAccounts(
  deps: Deps,
  workspaceId: number,
  rows: AccountRow[],
  actor: AuditActor,
  via: "csv" | "api",
): Promise<UpsertSummary> {
  const secret = deps.env.RAPPORT_SECRET;
  const now = deps.now();
  const summary: UpsertSummary = { created: 0, updated: 0 };
  await inTransaction(deps.db, "importing accounts", async (tx) => {
    for (const row of rows) {
      const values = {
        workspaceId,
        reference: row.reference,
        displayName: row.displayName ?? "",
        client: row.client,
        state: row.state,
        status: statusObject(row.status),
        updatedAt: now,
      };
      const [existing] = await tx
        .select({ id: accounts.id })
        .from(accounts)
        .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.reference, row.reference)));
      let accountId: number;
      if (existing) {
        accountId = existing.id;
        await tx.update(accounts).set(values).where(eq(accounts.id, accountId));
        await tx.delete(accountIdentifiers).where(eq(accountIdentifiers.accountId, accountId));
        summary.updated++;
      } else {
        const [created] = await tx
          .insert(accounts)
          .values({ ...values, createdAt: now })
          .returning({ id: accounts.id });
        accountId = created!.id;
        summary.created++;
      }
      const identifiers = [
        {
          kind: "reference" as const,
          valueHash: hmacIdentifier(secret, "reference", normalizeReference(row.reference)),
        },
        ...row.phones.map((p) => ({ kind: "phone" as const, valueHash: hmacIdentifier(secret, "phone", p) })),
        ...row.emails.map((e) => ({ kind: "email" as const, valueHash: hmacIdentifier(secret, "email", e) })),
        ...row.handles.map((h) => ({ kind: "handle" as const, valueHash: handleHash(secret, h) })),
      ];
      await tx.insert(accountIdentifiers).values(identifiers.map((i) => ({ ...i, accountId })));
    }
    // Counts only: the audit log must not become a second copy of the account data.
    await recordAudit(tx, {
      actor,
      action: `account.import_${via}`,
      entityType: "account",
      after: { ...summary, references: rows.length },
      at: now,
    });
  });
  return summary;
}

/** The push API: one object per account, same fields as the CSV (lists as arrays). */
export function parsePushedAccounts(items: Record<string, unknown>[]): {
  rows: AccountRow[];
  errors: ImportError[];
} {
  const rows: AccountRow[] = [];
  const errors: ImportError[] = [];
  items.forEach((item, index) => {
    const record: Record<string, unknown> = {
      ...item,
      status: Array.isArray(item.status) ? item.status.join(";") : item.status,
    };
    const result = normalizeAccountRecord(record, index + 1);
    if (result.row) rows.push(result.row);
    errors.push(...result.errors);
  });
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const key = normalizeReference(row.reference);
    if (seen.has(key)) errors.push({ line: index + 1, field: "reference", message: "duplicate reference" });
    seen.add(key);
  }
  return { rows, errors };
}

const PHONE_IN_TEXT = /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?!\w)/g;
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const REFERENCE_IN_TEXT = /(?<![\w-])#?[A-Za-z0-9][A-Za-z0-9-]{3,30}[A-Za-z0-9](?![\w-])/g;

/**
 * Accounts that share at least one hashed identifier with the mention (the author's handle, or a phone, e-mail
 * or reference in the text). A name alone never makes a candidate: it cannot reach the link threshold anyway.
 */
async function candidatesFor(
  db: Db,
  secret: string,
  workspaceId: number,
  mention: { text: string; authorHandle: string | null; platform: string },
): Promise<{ candidates: AccountCandidate[]; authorHandleHash: string | null }> {
  const hashes = new Set<string>();
  const author = mention.authorHandle ? normalizeHandle(mention.authorHandle) : null;
  const authorHandleHash = author ? hmacIdentifier(secret, "handle", author) : null;
  if (authorHandleHash) {
    hashes.add(authorHandleHash);
    hashes.add(`${mention.platform}:${authorHandleHash}`);
  }
  for (const m of mention.text.matchAll(PHONE_IN_TEXT)) {
    const phone = normalizePhone(m[0]);
    if (phone) hashes.add(hmacIdentifier(secret, "phone", phone));
  }
  for (const m of mention.text.matchAll(EMAIL_IN_TEXT)) {
    const email = normalizeEmail(m[0]);
    if (email) hashes.add(hmacIdentifier(secret, "email", email));
  }
  for (const m of mention.text.matchAll(REFERENCE_IN_TEXT)) {
    const reference = normalizeReference(m[0]);
    if ((reference.match(/\d/g)?.length ?? 0) >= 4)
      hashes.add(hmacIdentifier(secret, "reference", reference));
  }
  if (hashes.size === 0) return { candidates: [], authorHandleHash };
  const hits = await db
    .selectDistinct({ accountId: accountIdentifiers.accountId })
    .from(accountIdentifiers)
    .innerJoin(accounts, eq(accounts.id, accountIdentifiers.accountId))
    .where(and(inArray(accountIdentifiers.valueHash, [...hashes]), eq(accounts.workspaceId, workspaceId)));
  const ids = hits.map((h) => h.accountId);
  if (ids.length === 0) return { candidates: [], authorHandleHash };
  const rows = await db.select().from(accounts).where(inArray(accounts.id, ids));
  const identifiers = await db
    .select()
    .from(accountIdentifiers)
    .where(inArray(accountIdentifiers.accountId, ids));
  const candidates = rows.map((account) => {
    const mine = identifiers.filter((i) => i.accountId === account.id);
    return {
      accountId: String(account.id),
      referenceHash: mine.find((i) => i.kind === "reference")?.valueHash ?? null,
      displayName: account.displayName,
      state: account.state,
      // The matcher compares handles as strings; comparing hashes is the same test without clear text.
      handles: mine.filter((i) => i.kind === "handle").map((i) => i.valueHash),
      phoneHashes: mine.filter((i) => i.kind === "phone").map((i) => i.valueHash),
      emailHashes: mine.filter((i) => i.kind === "email").map((i) => i.valueHash),
    };
  });
  return { candidates, authorHandleHash };
}

export interface LinkView {
  /** null while the link is only a suggestion shown to someone (nothing stored until a decision). */
  id: number | null;
  mentionId: number;
  status: "suggested" | "confirmed" | "rejected";
  score: number;
  evidence: { kind: string; detail: string }[];
  decidedBy: string | null;
  decidedAt: Date | null;
  account: {
    id: number;
    reference: string;
    displayName: string;
    client: string | null;
    state: string | null;
    status: string[];
    notices: { status: string; notice: string }[];
  };
}

async function mentionForLinking(db: Db, workspaceId: number, mentionId: number) {
  const [row] = await db
    .select({
      id: mentions.id,
      text: mentions.text,
      authorHandle: mentions.authorHandle,
      authorName: mentions.authorName,
      sourceType: sources.type,
      flags: mentions.flags,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(eq(mentions.id, mentionId), eq(sources.workspaceId, workspaceId)));
  if (!row) throw notFound("Mention");
  return row;
}

interface Suggestion {
  accountId: number;
  score: number;
  evidence: { kind: string; detail: string }[];
}

/**
 * What the matcher suggests for a mention right now, computed in memory: reading a page must not write, so a
 * suggestion is only stored when someone decides on it (decideMentionLink).
 */
async function currentSuggestions(deps: Deps, workspaceId: number, mentionId: number): Promise<Suggestion[]> {
  const mention = await mentionForLinking(deps.db, workspaceId, mentionId);
  const platform = platformForSource(mention.sourceType);
  const { candidates, authorHandleHash } = await candidatesFor(
    deps.db,
    deps.env.RAPPORT_SECRET,
    workspaceId,
    {
      text: mention.text,
      authorHandle: mention.authorHandle,
      platform,
    },
  );
  if (candidates.length === 0) return [];
  const suggestions = suggestLinks(
    { text: mention.text, authorHandle: authorHandleHash, authorName: mention.authorName, platform },
    candidates,
    deps.env.RAPPORT_SECRET,
  );
  return suggestions.map((suggestion) => ({
    accountId: Number(suggestion.accountId),
    score: Math.round(suggestion.score * 100),
    evidence: suggestion.evidence.map((e) =>
      e.kind === "handle"
        ? {
            kind: e.kind,
            detail: `author handle @${normalizeHandle(mention.authorHandle ?? "")} is on the account`,
          }
        : e,
    ),
  }));
}

/**
 * The links of a mention for someone allowed to see accounts: decided links as stored, open suggestions as the
 * matcher sees them now. A GET renders it, so it stores nothing and emits nothing; the one write is the access
 * record: a link is nonpublic personal information (GLBA) and every view of one is audited (DESIGN.md).
 */
export async function linksForMention(deps: Deps, viewer: AuthUser, mentionId: number): Promise<LinkView[]> {
  assertCan(viewer.role, "manageAccounts", "see account links");
  const fresh = await currentSuggestions(deps, viewer.workspaceId, mentionId);
  const stored = await deps.db
    .select({ link: accountLinks })
    .from(accountLinks)
    .innerJoin(accounts, eq(accounts.id, accountLinks.accountId))
    .where(and(eq(accountLinks.mentionId, mentionId), eq(accounts.workspaceId, viewer.workspaceId)));
  const byAccount = new Map(stored.map((r) => [r.link.accountId, r.link]));
  const entries = [
    ...stored.map(({ link }) => {
      const now = link.status === "suggested" ? fresh.find((f) => f.accountId === link.accountId) : undefined;
      return {
        id: link.id as number | null,
        accountId: link.accountId,
        status: link.status,
        score: now?.score ?? link.score,
        evidence: now?.evidence ?? (link.evidence as LinkView["evidence"]),
        decidedBy: link.decidedBy,
        decidedAt: link.decidedAt,
      };
    }),
    ...fresh
      .filter((f) => !byAccount.has(f.accountId))
      .map((f) => ({
        id: null,
        accountId: f.accountId,
        status: "suggested" as const,
        score: f.score,
        evidence: f.evidence,
        decidedBy: null as number | null,
        decidedAt: null as Date | null,
      })),
  ].sort(
    (a, b) => b.score - a.score || (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER),
  );
  if (entries.length === 0) return [];
  const accountRows = await deps.db
    .select()
    .from(accounts)
    .where(
      and(
        eq(accounts.workspaceId, viewer.workspaceId),
        inArray(accounts.id, [...new Set(entries.map((e) => e.accountId))]),
      ),
    );
  const accountById = new Map(accountRows.map((a) => [a.id, a]));
  const deciderIds = [...new Set(entries.flatMap((e) => (e.decidedBy ? [e.decidedBy] : [])))];
  const deciders = new Map<number, string>();
  if (deciderIds.length > 0) {
    const people = await deps.db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.id, deciderIds));
    for (const p of people) deciders.set(p.id, p.email);
  }
  await recordAudit(deps.db, {
    actor: { id: viewer.id, email: viewer.email },
    action: "account_link.view",
    entityType: "mention",
    entityId: mentionId,
    after: { links: entries.map((e) => ({ accountId: e.accountId, status: e.status })) },
    at: deps.now(),
  });
  return entries.flatMap((entry) => {
    const account = accountById.get(entry.accountId);
    if (!account) return [];
    const status = statusList(account.status);
    return [
      {
        id: entry.id,
        mentionId,
        status: entry.status,
        score: entry.score,
        evidence: entry.evidence,
        decidedBy: entry.decidedBy ? (deciders.get(entry.decidedBy) ?? null) : null,
        decidedAt: entry.decidedAt,
        account: {
          id: account.id,
          reference: account.reference,
          displayName: account.displayName,
          client: account.client,
          state: account.state,
          status,
          notices: accountStatusNotices(status),
        },
      },
    ];
  });
}

/**
 * The score (0–100) behind a mention's link to an account as a decision would use it: the stored link's, else the
 * matcher's current suggestion; null when the account is not suggested. Shows nothing, so it is not audited as a
 * view: the dashboard uses it to decide whether a confirmation needs its second look (isStrongLinkScore).
 */
export async function linkScore(
  deps: Deps,
  actor: AuthUser,
  mentionId: number,
  accountId: number,
): Promise<number | null> {
  assertCan(actor.role, "manageAccounts", "see account links");
  const [stored] = await deps.db
    .select({ score: accountLinks.score, status: accountLinks.status })
    .from(accountLinks)
    .innerJoin(accounts, eq(accounts.id, accountLinks.accountId))
    .where(
      and(
        eq(accountLinks.mentionId, mentionId),
        eq(accountLinks.accountId, accountId),
        eq(accounts.workspaceId, actor.workspaceId),
      ),
    );
  if (stored) return stored.score;
  const suggestion = (await currentSuggestions(deps, actor.workspaceId, mentionId)).find(
    (s) => s.accountId === accountId,
  );
  return suggestion?.score ?? null;
}

/**
 * Confirms or rejects the link between a mention and an account, storing the suggestion first if it was only
 * shown so far. A confirmation needs the matcher (or a stored link) to back it: when in doubt, no link.
 */
export async function decideMentionLink(
  deps: Deps,
  actor: AuthUser,
  mentionId: number,
  accountId: number,
  decision: "confirm" | "reject",
): Promise<{ linkId: number; rightsEvents: number[] }> {
  assertCan(actor.role, "manageAccounts", "see account links");
  const [existing] = await deps.db
    .select({ id: accountLinks.id })
    .from(accountLinks)
    .innerJoin(accounts, eq(accounts.id, accountLinks.accountId))
    .where(
      and(
        eq(accountLinks.mentionId, mentionId),
        eq(accountLinks.accountId, accountId),
        eq(accounts.workspaceId, actor.workspaceId),
      ),
    );
  if (existing) return { linkId: existing.id, ...(await decideLink(deps, actor, existing.id, decision)) };
  const suggestion = (await currentSuggestions(deps, actor.workspaceId, mentionId)).find(
    (s) => s.accountId === accountId,
  );
  if (!suggestion)
    throw conflict(
      "This account is not suggested for this mention (any more): reload the page to see the current suggestions",
    );
  const [inserted] = await deps.db
    .insert(accountLinks)
    .values({
      mentionId,
      accountId,
      score: suggestion.score,
      evidence: suggestion.evidence,
      status: "suggested",
      createdAt: deps.now(),
    })
    .onConflictDoNothing()
    .returning({ id: accountLinks.id });
  const linkId =
    inserted?.id ??
    (
      await deps.db
        .select({ id: accountLinks.id })
        .from(accountLinks)
        .where(and(eq(accountLinks.mentionId, mentionId), eq(accountLinks.accountId, accountId)))
    )[0]!.id;
  return { linkId, ...(await decideLink(deps, actor, linkId, decision)) };
}

export async function decideLink(
  deps: Deps,
  actor: AuthUser,
  linkId: number,
  decision: "confirm" | "reject",
): Promise<{ rightsEvents: number[] }> {
  assertCan(actor.role, "manageAccounts", "see account links");
  const now = deps.now();
  return inTransaction(deps.db, "deciding an account link", async (tx) => {
    const [row] = await tx
      .select({ link: accountLinks, workspaceId: accounts.workspaceId })
      .from(accountLinks)
      .innerJoin(accounts, eq(accounts.id, accountLinks.accountId))
      .where(eq(accountLinks.id, linkId));
    if (!row || row.workspaceId !== actor.workspaceId) throw notFound("Link");
    const status = decision === "confirm" ? "confirmed" : "rejected";
    if (row.link.status === status) return { rightsEvents: [] };
    if (decision === "confirm") {
      const [other] = await tx
        .select({ id: accountLinks.id })
        .from(accountLinks)
        .where(
          and(
            eq(accountLinks.mentionId, row.link.mentionId),
            eq(accountLinks.status, "confirmed"),
            ne(accountLinks.id, linkId),
          ),
        );
      if (other) throw conflict("Another account is already linked to this mention: unlink it first");
    }
    await tx
      .update(accountLinks)
      .set({ status, decidedBy: actor.id, decidedAt: now })
      .where(eq(accountLinks.id, linkId));
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: decision === "confirm" ? "account_link.confirm" : "account_link.reject",
      entityType: "account_link",
      entityId: linkId,
      before: { status: row.link.status },
      // What the decision was based on (the suggestion shown), since showing it is not audited on its own.
      after: {
        status,
        mentionId: row.link.mentionId,
        accountId: row.link.accountId,
        score: row.link.score,
        evidence: (row.link.evidence as LinkView["evidence"]).map((e) => e.kind),
      },
      at: now,
    });
    const created =
      decision === "confirm"
        ? await emitRightsEvents(tx, {
            accountId: row.link.accountId,
            mentionId: row.link.mentionId,
            webhook: webhookConfig(deps),
            now,
          })
        : [];
    if (created.length > 0) {
      await recordAudit(tx, {
        actor: { id: actor.id, email: actor.email },
        action: "rights_event.create",
        entityType: "account",
        entityId: row.link.accountId,
        after: { events: created, mentionId: row.link.mentionId },
        at: now,
      });
    }
    return { rightsEvents: created };
  });
}

/** Accounts of the workspace, newest first, for the accounts page (no identifiers: there are none in clear). */
export async function listAccounts(
  deps: Deps,
  viewer: AuthUser,
  options: { q?: string; limit?: number } = {},
) {
  assertCan(viewer.role, "manageAccounts", "see account links");
  const q = options.q?.trim().toLowerCase();
  const rows = await deps.db
    .select()
    .from(accounts)
    .where(eq(accounts.workspaceId, viewer.workspaceId))
    .orderBy(desc(accounts.updatedAt), desc(accounts.id));
  const filtered = q
    ? rows.filter((r) => r.reference.toLowerCase().includes(q) || r.displayName.toLowerCase().includes(q))
    : rows;
  await recordAudit(deps.db, {
    actor: { id: viewer.id, email: viewer.email },
    action: "account.list",
    entityType: "account",
    after: { q: q ?? null, shown: Math.min(filtered.length, options.limit ?? 200) },
    at: deps.now(),
  });
  return filtered.slice(0, options.limit ?? 200).map((r) => ({ ...r, statusList: statusList(r.status) }));
}

export function parseAccountsPayload(body: unknown): Record<string, unknown>[] {
  const items = Array.isArray(body) ? body : (body as { accounts?: unknown })?.accounts;
  if (!Array.isArray(items) || items.length === 0)
    throw badRequest('Send {"accounts": [ … ]} with at least one account');
  if (items.length > 5000) throw badRequest("At most 5000 accounts per request");
  return items.map((item) => (item && typeof item === "object" ? (item as Record<string, unknown>) : {}));
}
