// Retention. Compliance evidence — drafts, every lint result, approvals, posted text and time, account links,
// rights events, the audit trail — is kept three years (Reg F §1006.100); everything else about the public is
// deleted after RETENTION_DAYS (the Safeguards Rule's "no longer than needed"). Idempotent; safe to run hourly.
import { sql } from "drizzle-orm";
import { atomicBatch, type BatchStatement, changedRows } from "../db/atomic.js";
import type { Db } from "../db/client.js";
import type { Deps } from "../deps.js";
import { purgeRecord } from "../services/audit/audit-chain.js";
import { HELD_MENTION, HOLD_IN_WORKSPACE } from "../services/audit/legal-holds.js";
import { SYSTEM_ACTOR } from "../services/audit/record-audit.js";
import { UNDO_KEEP_MS } from "../services/mentions/undo.js";

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
 * kept chain starts (src/domain/audit-chain.ts) instead of reporting the purge as tampering. Read here; the
 * statements go into the purge's batch, each chain's delete and its record guarded by the same "no hold in
 * force" condition, so a hold placed meanwhile keeps both out.
 */
async function auditPurgeStatements(
  db: Db,
  cutoff: number,
  now: Date,
  secret: string,
): Promise<BatchStatement[]> {
  const chains = (await db.all(
    sql`SELECT workspace_id AS workspaceId, max(id) AS throughId, count(*) AS entries FROM audit_log
        WHERE at < ${cutoff} AND hash IS NOT NULL GROUP BY workspace_id`,
  )) as { workspaceId: number | null; throughId: number; entries: number }[];
  const statements: BatchStatement[] = [];
  for (const chain of chains) {
    const [last] = (await db.all(sql`SELECT hash FROM audit_log WHERE id = ${chain.throughId}`)) as {
      hash: string;
    }[];
    const inChain =
      chain.workspaceId === null ? sql`workspace_id IS NULL` : sql`workspace_id = ${chain.workspaceId}`;
    const notHeld = sql`NOT ${HOLD_IN_WORKSPACE(chain.workspaceId)}`;
    const after = {
      ...purgeRecord(secret, chain.workspaceId, chain.throughId, last?.hash ?? ""),
      entries: chain.entries,
    };
    statements.push(
      db.run(sql`DELETE FROM audit_log WHERE ${inChain} AND id <= ${chain.throughId} AND ${notHeld}`),
      db.run(sql`INSERT INTO audit_log (workspace_id, actor_id, actor_email, action, entity_type, entity_id, before, after, at)
        SELECT ${chain.workspaceId}, NULL, ${SYSTEM_ACTOR.email}, 'audit.purged', 'audit_log', ${String(chain.throughId)},
          NULL, ${JSON.stringify(after)}, ${now.getTime()} WHERE ${notHeld}`),
    );
  }
  return statements;
}

/**
 * One atomic batch (src/db/atomic.ts), so the purge runs on D1 as on libSQL: every step is a set-based statement
 * whose WHERE decides what goes, and either all of them apply or none.
 */
export async function runPurge(deps: Deps, now: Date): Promise<PurgeReport> {
  const retentionCutoff = now.getTime() - deps.env.RETENTION_DAYS * DAY_MS;
  const evidenceCutoff = now.getTime() - EVIDENCE_DAYS * DAY_MS;
  const db = deps.db;
  // 1. Evidence past its three years: replies whose last activity is that old, with their lints and cases.
  // A legal hold (src/services/audit/legal-holds.ts) keeps all of it however old.
  const oldReplies = sql`SELECT id FROM replies WHERE coalesce(posted_at, updated_at, created_at) < ${evidenceCutoff}
    AND NOT ${HELD_MENTION(sql.raw("replies.mention_id"))}`;
  const evidence = [
    db.run(sql`DELETE FROM reply_lints WHERE reply_id IN (${oldReplies})`),
    db.run(
      sql`UPDATE mentions SET case_id = NULL WHERE case_id IN (SELECT id FROM cases WHERE reply_id IN (${oldReplies}))`,
    ),
    db.run(sql`DELETE FROM cases WHERE reply_id IN (${oldReplies})`),
    db.run(sql`DELETE FROM replies WHERE id IN (${oldReplies})`), // [3]: replies
    db.run(
      sql`DELETE FROM rights_events WHERE occurred_at < ${evidenceCutoff} AND NOT ${HELD_MENTION(sql.raw("rights_events.mention_id"))}`,
    ),
    db.run(
      sql`DELETE FROM account_links WHERE created_at < ${evidenceCutoff} AND NOT ${HELD_MENTION(sql.raw("account_links.mention_id"))}`,
    ),
    // A CFPB complaint's recorded responses, three years after the last one (then its mention may go too).
    db.run(
      sql`DELETE FROM complaint_responses WHERE coalesce(final_at, responded_at, created_at) < ${evidenceCutoff} AND NOT ${HELD_MENTION(sql.raw("complaint_responses.mention_id"))}`,
    ),
  ];
  const audit = await auditPurgeStatements(db, evidenceCutoff, now, deps.env.RAPPORT_SECRET);

  // 2. Everything else older than RETENTION_DAYS: mentions nobody answered or linked, and their suggestions.
  const purgeable = sql`SELECT id FROM mentions WHERE created_at < ${retentionCutoff} AND NOT ${EVIDENCE_MENTION}
    AND NOT ${HELD_MENTION(sql.raw("mentions.id"))}`;
  const rest = [
    db.run(sql`DELETE FROM account_links WHERE mention_id IN (${purgeable})`),
    db.run(sql`DELETE FROM cases WHERE root_mention_id IN (${purgeable})`),
    db.run(sql`DELETE FROM mentions WHERE id IN (${purgeable})`), // [2]: mentions
    // Kept mentions lose what is not evidence: the platform's raw payload.
    db.run(sql`UPDATE mentions SET raw = NULL WHERE created_at < ${retentionCutoff} AND raw IS NOT NULL`),
    db.run(sql`DELETE FROM outbox WHERE status = 'sent' AND created_at < ${retentionCutoff}`),
    // Undo records outlive their use after a day; a person who never acts again would otherwise keep theirs.
    db.run(sql`DELETE FROM undo_actions WHERE created_at < ${now.getTime() - UNDO_KEEP_MS}`),
  ];
  const results = (await atomicBatch(db, [...evidence, ...audit, ...rest])).map(changedRows);
  const at = (i: number) => results[i] ?? 0;
  const restAt = evidence.length + audit.length;
  let auditPurged = 0;
  for (let i = 0; i < audit.length; i += 2) auditPurged += at(evidence.length + i); // the deletes, not the records
  return {
    replies: at(3),
    audit: auditPurged,
    mentions: at(restAt + 2),
    rawStripped: at(restAt + 3),
    outbox: at(restAt + 4),
  };
}
