// Retention. Compliance evidence — drafts, every lint result, approvals, posted text and time, account links,
// rights events, the audit trail — is kept three years (Reg F §1006.100); everything else about the public is
// deleted after RETENTION_DAYS (the Safeguards Rule's "no longer than needed"). Idempotent; safe to run hourly.
import { sql } from "drizzle-orm";
import { inTransaction, type TxDb } from "../db/atomic.js";
import type { Deps } from "../deps.js";
import { purgeRecord } from "../services/audit/audit-chain.js";
import { HELD_MENTION, HOLD_IN_WORKSPACE } from "../services/audit/legal-holds.js";
import { recordAudit, SYSTEM_ACTOR } from "../services/audit/record-audit.js";

export const EVIDENCE_DAYS = 3 * 366;
const DAY_MS = 86_400_000;

export interface PurgeReport {
  mentions: number;
  rawStripped: number;
  replies: number;
  outbox: number;
  audit: number;
}

/** Mentions that are evidence: answered (any reply), linked by a person, the subject of a rights event or a case,
 * or a CFPB complaint whose response a person recorded. */
const EVIDENCE_MENTION = sql`(
  EXISTS (SELECT 1 FROM replies r WHERE r.mention_id = mentions.id)
  OR EXISTS (SELECT 1 FROM account_links l WHERE l.mention_id = mentions.id AND l.status = 'confirmed')
  OR EXISTS (SELECT 1 FROM rights_events e WHERE e.mention_id = mentions.id)
  OR EXISTS (SELECT 1 FROM cases c WHERE c.root_mention_id = mentions.id)
  OR EXISTS (SELECT 1 FROM complaint_responses cr WHERE cr.mention_id = mentions.id AND cr.responded_at IS NOT NULL)
)`;

/**
 * Audit entries past their three years go as a prefix of each workspace's hash chain, and the purge says so in
 * the chain itself: an `audit.purged` entry names the last hash removed, so `rapport audit verify` knows where the
 * kept chain starts (src/domain/audit-chain.ts) instead of reporting the purge as tampering.
 */
async function purgeAuditLog(
  tx: TxDb,
  count: (query: ReturnType<typeof sql>) => Promise<number>,
  cutoff: number,
  now: Date,
  secret: string,
): Promise<number> {
  const chains = (await tx.all(
    sql`SELECT workspace_id AS workspaceId, max(id) AS throughId, count(*) AS entries FROM audit_log
        WHERE at < ${cutoff} AND hash IS NOT NULL GROUP BY workspace_id`,
  )) as { workspaceId: number | null; throughId: number; entries: number }[];
  let purged = 0;
  for (const chain of chains) {
    const [held] = (await tx.all(sql`SELECT ${HOLD_IN_WORKSPACE(chain.workspaceId)} AS held`)) as {
      held: number;
    }[];
    if (held?.held) continue;
    const [last] = (await tx.all(sql`SELECT hash FROM audit_log WHERE id = ${chain.throughId}`)) as {
      hash: string;
    }[];
    const inChain =
      chain.workspaceId === null ? sql`workspace_id IS NULL` : sql`workspace_id = ${chain.workspaceId}`;
    purged += await count(sql`DELETE FROM audit_log WHERE ${inChain} AND id <= ${chain.throughId}`);
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "audit.purged",
      entityType: "audit_log",
      entityId: chain.throughId,
      after: {
        ...purgeRecord(secret, chain.workspaceId, chain.throughId, last?.hash ?? ""),
        entries: chain.entries,
      },
      at: now,
      workspaceId: chain.workspaceId,
    });
  }
  return purged;
}

export async function runPurge(deps: Deps, now: Date): Promise<PurgeReport> {
  const retentionCutoff = now.getTime() - deps.env.RETENTION_DAYS * DAY_MS;
  const evidenceCutoff = now.getTime() - EVIDENCE_DAYS * DAY_MS;
  return inTransaction(deps.db, "the retention purge", async (tx) => {
    const count = async (query: ReturnType<typeof sql>) => {
      const result = (await tx.run(query)) as { rowsAffected?: number; meta?: { changes?: number } };
      return Number(result.rowsAffected ?? result.meta?.changes ?? 0);
    };
    // 1. Evidence past its three years: replies whose last activity is that old, with their lints and cases.
    // A legal hold (src/services/audit/legal-holds.ts) keeps all of it however old.
    const oldReplies = sql`SELECT id FROM replies WHERE coalesce(posted_at, updated_at, created_at) < ${evidenceCutoff}
      AND NOT ${HELD_MENTION(sql.raw("replies.mention_id"))}`;
    await count(sql`DELETE FROM reply_lints WHERE reply_id IN (${oldReplies})`);
    await count(
      sql`UPDATE mentions SET case_id = NULL WHERE case_id IN (SELECT id FROM cases WHERE reply_id IN (${oldReplies}))`,
    );
    await count(sql`DELETE FROM cases WHERE reply_id IN (${oldReplies})`);
    const replies = await count(sql`DELETE FROM replies WHERE id IN (${oldReplies})`);
    await count(
      sql`DELETE FROM rights_events WHERE occurred_at < ${evidenceCutoff} AND NOT ${HELD_MENTION(sql.raw("rights_events.mention_id"))}`,
    );
    await count(
      sql`DELETE FROM account_links WHERE created_at < ${evidenceCutoff} AND NOT ${HELD_MENTION(sql.raw("account_links.mention_id"))}`,
    );
    // A CFPB complaint's recorded responses, three years after the last one.
    await count(
      sql`DELETE FROM complaint_responses WHERE coalesce(final_at, responded_at, created_at) < ${evidenceCutoff} AND NOT ${HELD_MENTION(sql.raw("complaint_responses.mention_id"))}`,
    );
    const audit = await purgeAuditLog(tx, count, evidenceCutoff, now, deps.env.RAPPORT_SECRET);

    // 2. Everything else older than RETENTION_DAYS: mentions nobody answered or linked, and their suggestions.
    const purgeable = sql`SELECT id FROM mentions WHERE created_at < ${retentionCutoff} AND NOT ${EVIDENCE_MENTION}
      AND NOT ${HELD_MENTION(sql.raw("mentions.id"))}`;
    await count(sql`DELETE FROM account_links WHERE mention_id IN (${purgeable})`);
    await count(sql`DELETE FROM cases WHERE root_mention_id IN (${purgeable})`);
    const mentions = await count(sql`DELETE FROM mentions WHERE id IN (${purgeable})`);
    // Kept mentions lose what is not evidence: the platform's raw payload.
    const rawStripped = await count(
      sql`UPDATE mentions SET raw = NULL WHERE created_at < ${retentionCutoff} AND raw IS NOT NULL`,
    );
    const outbox = await count(
      sql`DELETE FROM outbox WHERE status = 'sent' AND created_at < ${retentionCutoff}`,
    );
    return { mentions, rawStripped, replies, outbox, audit };
  });
}
