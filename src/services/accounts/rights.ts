// Rights flags on a linked mention become dated events for the collections system: a rights_events row, and
// (when ACCOUNT_WEBHOOK_URL is set) a signed webhook in the outbox, written in the same transaction as the
// link or mention that caused them so an event is never lost or sent twice (the idempotency key is the event).

import { and, eq, inArray } from "drizzle-orm";
import { inTransaction } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import type { AccountStatus as StoredAccountStatus } from "../../db/schema/accounts.js";
import { accountLinks, accounts, mentions, rightsEvents, sources } from "../../db/schema/index.js";
import type { AccountStatus } from "../../domain/accounts/rights.js";
import {
  accountStatusNotices,
  RIGHTS_EVENT_TYPES,
  type RightsFlag,
  rightsEventsFor,
} from "../../domain/accounts/rights.js";
import { toCsv } from "../../platform/csv.js";
import { enqueueOutbox } from "../../platform/outbox/outbox.js";

export interface WebhookConfig {
  url?: string | null | undefined;
}

/** The stored JSON status (schema) as the domain's list of statuses. */
export function statusList(status: StoredAccountStatus | null | undefined): AccountStatus[] {
  const list: AccountStatus[] = [];
  if (status?.disputeOpen) list.push("dispute_open");
  if (status?.ceaseContact) list.push("cease_contact");
  if (status?.attorneyRepresented) list.push("attorney_represented");
  return list;
}

export function statusObject(list: readonly string[]): StoredAccountStatus {
  return {
    disputeOpen: list.includes("dispute_open"),
    ceaseContact: list.includes("cease_contact"),
    attorneyRepresented: list.includes("attorney_represented"),
  };
}

/** The JSON body the collections system receives for one rights event. */
export interface RightsEventBody {
  id: string;
  type: string;
  flag: string;
  occurredAt: string;
  account: { reference: string };
  mention: { id: number; url: string | null; source: string; platformType: string };
}

/**
 * Records the dated rights events of a mention for an account (one per rights flag, once) and queues their
 * webhooks. Returns the ids of events created by this call.
 */
export async function emitRightsEvents(
  db: Db,
  input: { accountId: number; mentionId: number; webhook: WebhookConfig; now: Date },
): Promise<number[]> {
  const [row] = await db
    .select({
      flags: mentions.flags,
      createdAt: mentions.createdAt,
      url: mentions.url,
      sourceName: sources.name,
      sourceType: sources.type,
      reference: accounts.reference,
      workspaceId: accounts.workspaceId,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .innerJoin(accounts, eq(accounts.id, input.accountId))
    .where(eq(mentions.id, input.mentionId));
  if (!row) return [];
  const events = rightsEventsFor(row.flags, row.createdAt);
  const created: number[] = [];
  for (const event of events) {
    const [inserted] = await db
      .insert(rightsEvents)
      .values({
        accountId: input.accountId,
        mentionId: input.mentionId,
        flag: event.flag,
        occurredAt: new Date(event.occurredAt),
        createdAt: input.now,
      })
      .onConflictDoNothing()
      .returning({ id: rightsEvents.id });
    if (!inserted) continue;
    created.push(inserted.id);
    if (input.webhook.url) {
      const body: RightsEventBody = {
        id: `rights_event_${inserted.id}`,
        type: event.type,
        flag: event.flag,
        occurredAt: event.occurredAt,
        account: { reference: row.reference },
        mention: { id: input.mentionId, url: row.url, source: row.sourceName, platformType: row.sourceType },
      };
      // The outbox's webhook sender posts the payload as JSON, signs it at send time (`rapport-signature`,
      // src/services/alerts/senders.ts) and retries until the collections system answers 2xx.
      await enqueueOutbox(
        db,
        {
          kind: "webhook",
          idempotencyKey: `rights_event:${inserted.id}`,
          destination: input.webhook.url,
          payload: body,
          workspaceId: row.workspaceId,
        },
        input.now,
      );
    }
  }
  return created;
}

/** Notices an account's status puts on a mention it is linked to (attorney, cease contact, open dispute). */
export async function linkedAccountNotices(db: Db, mentionId: number) {
  const linked = await db
    .select({ status: accounts.status })
    .from(accountLinks)
    .innerJoin(accounts, eq(accounts.id, accountLinks.accountId))
    .where(and(eq(accountLinks.mentionId, mentionId), eq(accountLinks.status, "confirmed")));
  const statuses = new Set(linked.flatMap((l) => statusList(l.status)));
  return accountStatusNotices([...statuses]);
}

export interface RightsEventRow {
  id: number;
  type: string;
  flag: string;
  occurredAt: Date;
  recordedAt: Date;
  accountReference: string;
  mentionId: number;
  mentionUrl: string | null;
}

export async function listRightsEvents(db: Db, workspaceId: number, since?: Date): Promise<RightsEventRow[]> {
  const rows = await db
    .select({
      id: rightsEvents.id,
      flag: rightsEvents.flag,
      occurredAt: rightsEvents.occurredAt,
      recordedAt: rightsEvents.createdAt,
      accountReference: accounts.reference,
      mentionId: rightsEvents.mentionId,
      mentionUrl: mentions.url,
    })
    .from(rightsEvents)
    .innerJoin(accounts, eq(accounts.id, rightsEvents.accountId))
    .innerJoin(mentions, eq(mentions.id, rightsEvents.mentionId))
    .where(eq(accounts.workspaceId, workspaceId))
    .orderBy(rightsEvents.occurredAt, rightsEvents.id);
  return rows
    .filter((r) => !since || r.occurredAt >= since)
    .map((r) => ({ ...r, type: RIGHTS_EVENT_TYPES[r.flag as RightsFlag] ?? r.flag }));
}

export function rightsEventsCsv(rows: RightsEventRow[]): string {
  return toCsv(
    [
      "event_id",
      "type",
      "flag",
      "occurred_at",
      "account_reference",
      "mention_id",
      "mention_url",
      "recorded_at",
    ],
    rows.map((r) => [
      `rights_event_${r.id}`,
      r.type,
      r.flag,
      r.occurredAt,
      r.accountReference,
      r.mentionId,
      r.mentionUrl,
      r.recordedAt,
    ]),
  );
}

export async function mentionIdsWithConfirmedLinks(db: Db, mentionIds: number[]): Promise<Set<number>> {
  if (mentionIds.length === 0) return new Set();
  const rows = await db
    .select({ mentionId: accountLinks.mentionId })
    .from(accountLinks)
    .where(and(inArray(accountLinks.mentionId, mentionIds), eq(accountLinks.status, "confirmed")));
  return new Set(rows.map((r) => r.mentionId));
}

/**
 * Rights flags added after a link was confirmed (a reviewer's correction) still become events: called whenever
 * the mention is worked on. Idempotent — an event that exists is never created or sent again.
 */
export async function syncLinkedRightsEvents(
  db: Db,
  mentionId: number,
  webhook: WebhookConfig,
  now: Date,
): Promise<number[]> {
  const linked = await db
    .select({ accountId: accountLinks.accountId })
    .from(accountLinks)
    .where(and(eq(accountLinks.mentionId, mentionId), eq(accountLinks.status, "confirmed")));
  if (linked.length === 0) return [];
  return inTransaction(db, "syncing rights events", async (tx) => {
    const created: number[] = [];
    for (const { accountId } of linked) {
      created.push(...(await emitRightsEvents(tx, { accountId, mentionId, webhook, now })));
    }
    return created;
  });
}
