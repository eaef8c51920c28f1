// The audit log's hash chain (src/domain/audit-chain.ts) kept in the database: the audit-seal job links every new
// entry to the one before it in its workspace's chain, and `rapport audit verify` recomputes every chain.
import { and, asc, eq, gt, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { atomicBatch, isD1 } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import { auditChainHeads, auditLog, workspaces } from "../../db/schema/index.js";
import {
  anchorMac,
  type ChainReport,
  chainKey,
  entryHash,
  GENESIS,
  headMac,
  type SealedEntry,
  verifyChain,
} from "../../domain/audit-chain.js";

/** Entries sealed per atomic batch: a long backlog (the first seal of an old log) goes in bounded steps. */
const SEAL_BATCH = 2_000;
/**
 * On D1 every statement of a batch counts against the Worker invocation's query limit (1,000 on the paid plan,
 * shared by every job of the cron run), so a step there is smaller and a run takes one step per chain: the job
 * runs every minute, and a backlog is sealed over the next runs.
 */
const D1_SEAL_BATCH = 200;
const VERIFY_PAGE = 5_000;

const entryColumns = {
  id: auditLog.id,
  at: auditLog.at,
  workspaceId: auditLog.workspaceId,
  actorId: auditLog.actorId,
  actorEmail: auditLog.actorEmail,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  before: auditLog.before,
  after: auditLog.after,
  prevHash: auditLog.prevHash,
  hash: auditLog.hash,
};

const inWorkspace = (workspaceId: number | null) =>
  workspaceId === null ? isNull(auditLog.workspaceId) : eq(auditLog.workspaceId, workspaceId);
const chainName = (workspaceId: number | null) => (workspaceId === null ? "none" : `w${workspaceId}`);

async function chainKeys(db: Db): Promise<(number | null)[]> {
  const rows = await db.selectDistinct({ workspaceId: auditLog.workspaceId }).from(auditLog);
  return rows.map((r) => r.workspaceId);
}

/** Hashes a retention purge recorded as the last it removed, each vouched for by the key (a planted one is not). */
async function purgeAnchors(db: Db, key: string, workspaceId: number | null): Promise<Map<number, string>> {
  const rows = await db
    .select({ after: auditLog.after })
    .from(auditLog)
    .where(and(inWorkspace(workspaceId), eq(auditLog.action, "audit.purged")));
  const anchors = new Map<number, string>();
  for (const { after } of rows) {
    const a = after as { throughId?: number; throughHash?: string; mac?: string } | null;
    if (
      a?.throughId &&
      a.throughHash &&
      a.mac === anchorMac(key, chainName(workspaceId), a.throughId, a.throughHash)
    )
      anchors.set(a.throughId, a.throughHash);
  }
  return anchors;
}

/** What the retention purge records for the prefix it removes (src/jobs/purge.ts). */
export function purgeRecord(
  secret: string,
  workspaceId: number | null,
  throughId: number,
  throughHash: string,
) {
  return {
    throughId,
    throughHash,
    mac: anchorMac(chainKey(secret), chainName(workspaceId), throughId, throughHash),
  };
}

type Head = { lastId: number; lastHash: string };

async function readHead(db: Db, key: string, workspaceId: number | null): Promise<Head | "forged" | null> {
  const chain = chainName(workspaceId);
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.chain, chain));
  if (!head) return null;
  return head.mac === headMac(key, chain, head.lastId, head.lastHash) ? head : "forged";
}

/**
 * Links every new entry to its workspace's chain, oldest first, after the head it recorded last time. Refuses a
 * chain whose head no longer matches (entries cut off the end, or unsealed to be sealed again): sealing over it
 * would hide the change; `rapport audit verify` names it. Run under the audit-seal job's lease.
 *
 * Each step reads, then writes as one atomic batch (src/db/atomic.ts), so it runs on D1 as on libSQL: every
 * statement of the batch applies only while the chain's head is still the one the step read, so a step that
 * raced another sealer writes nothing and the next step starts from the new head.
 */
export async function sealAuditLog(db: Db, secret: string): Promise<{ sealed: number; refused: number[] }> {
  const key = chainKey(secret);
  const size = isD1(db) ? D1_SEAL_BATCH : SEAL_BATCH;
  let sealed = 0;
  const refused: number[] = [];
  for (const workspaceId of await chainKeys(db)) {
    for (;;) {
      const count = await sealStep(db, key, workspaceId, size);
      if (count < 0) {
        refused.push(workspaceId ?? 0);
        break;
      }
      sealed += count;
      if (count < size || isD1(db)) break;
    }
  }
  return { sealed, refused };
}

/** Seals up to `size` entries of one chain: how many, 0 when none is pending, -1 when the chain is refused. */
async function sealStep(db: Db, key: string, workspaceId: number | null, size: number): Promise<number> {
  const chain = chainName(workspaceId);
  const head = await readHead(db, key, workspaceId);
  if (head === "forged") return -1;
  let prev = GENESIS;
  let afterId = 0;
  if (head) {
    const [end] = await db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.id, head.lastId));
    const anchors = await purgeAnchors(db, key, workspaceId);
    const purgedThroughHead = !end && anchors.get(head.lastId) === head.lastHash;
    if (!purgedThroughHead && end?.hash !== head.lastHash) return -1;
    const [unsealedBefore] = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(inWorkspace(workspaceId), isNull(auditLog.hash), lte(auditLog.id, head.lastId)))
      .limit(1);
    if (unsealedBefore) return -1;
    prev = head.lastHash;
    afterId = head.lastId;
  }
  const pending = await db
    .select(entryColumns)
    .from(auditLog)
    .where(and(inWorkspace(workspaceId), gt(auditLog.id, afterId), isNull(auditLog.hash)))
    .orderBy(asc(auditLog.id))
    .limit(size);
  if (pending.length === 0) return 0;
  // The head as this step read it: every write below is conditional on it.
  const headUnchanged = head
    ? sql`EXISTS (SELECT 1 FROM audit_chain_heads WHERE chain = ${chain} AND last_id = ${head.lastId} AND last_hash = ${head.lastHash})`
    : sql`NOT EXISTS (SELECT 1 FROM audit_chain_heads WHERE chain = ${chain})`;
  const links = pending.map((entry) => {
    const hash = entryHash(key, prev, entry);
    const link = db
      .update(auditLog)
      .set({ prevHash: prev, hash })
      .where(and(eq(auditLog.id, entry.id), isNull(auditLog.hash), headUnchanged));
    prev = hash;
    return link;
  });
  const lastId = pending[pending.length - 1]!.id;
  const next = { lastId, lastHash: prev, mac: headMac(key, chain, lastId, prev) };
  const moveHead = head
    ? db
        .update(auditChainHeads)
        .set(next)
        .where(
          and(
            eq(auditChainHeads.chain, chain),
            eq(auditChainHeads.lastId, head.lastId),
            eq(auditChainHeads.lastHash, head.lastHash),
          ),
        )
        .returning({ chain: auditChainHeads.chain })
    : db
        .insert(auditChainHeads)
        .values({ chain, ...next })
        .onConflictDoNothing()
        .returning({ chain: auditChainHeads.chain });
  const results = await atomicBatch(db, [...links, moveHead]);
  const moved = results[results.length - 1] as unknown[];
  // Another sealer moved the head first: this step wrote nothing; the next one continues from its head.
  return moved.length > 0 ? pending.length : 0;
}

export interface WorkspaceChainReport extends ChainReport {
  workspaceId: number | null;
  workspace: string;
}

/** Recomputes every workspace's chain (or one workspace's), a page at a time, and compares its end with the head. */
export async function verifyAuditLog(
  db: Db,
  secret: string,
  onlyWorkspace?: number,
): Promise<WorkspaceChainReport[]> {
  const key = chainKey(secret);
  const names = new Map(
    (await db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces)).map((w) => [
      w.id,
      w.name,
    ]),
  );
  const reports: WorkspaceChainReport[] = [];
  const keys = await chainKeys(db);
  for (const workspaceId of onlyWorkspace === undefined ? keys : keys.filter((k) => k === onlyWorkspace)) {
    let afterId = 0;
    // Where a retention purge removed the oldest entries, the kept chain starts at the hash the purge recorded.
    const anchors = new Set((await purgeAnchors(db, key, workspaceId)).values());
    const [first] = await db
      .select({ prevHash: auditLog.prevHash })
      .from(auditLog)
      .where(and(inWorkspace(workspaceId), isNotNull(auditLog.hash)))
      .orderBy(asc(auditLog.id))
      .limit(1);
    let report: ChainReport | undefined =
      first?.prevHash && first.prevHash !== GENESIS && anchors.has(first.prevHash)
        ? { sealed: 0, unsealed: 0, head: first.prevHash, problems: [] }
        : undefined;
    let lastSealedId = 0;
    for (;;) {
      const page: SealedEntry[] = await db
        .select(entryColumns)
        .from(auditLog)
        .where(and(inWorkspace(workspaceId), gt(auditLog.id, afterId)))
        .orderBy(asc(auditLog.id))
        .limit(VERIFY_PAGE);
      if (page.length === 0) break;
      report = verifyChain(key, page, report);
      for (const entry of page) if (entry.hash) lastSealedId = entry.id;
      afterId = page[page.length - 1]!.id;
      if (page.length < VERIFY_PAGE) break;
    }
    const total = report ?? { sealed: 0, unsealed: 0, head: GENESIS, problems: [] };
    const head = await readHead(db, key, workspaceId);
    if (head === "forged") {
      total.problems.push({ kind: "head", id: lastSealedId, detail: "the chain's recorded end was changed" });
    } else if (head && (head.lastId !== lastSealedId || head.lastHash !== total.head)) {
      total.problems.push({
        kind: "head",
        id: head.lastId,
        detail: `the chain should end at entry ${head.lastId}, but its last sealed entry is ${lastSealedId || "none"}: entries were removed from the end, or unsealed`,
      });
    }
    reports.push({
      ...total,
      workspaceId,
      workspace:
        workspaceId === null ? "(no workspace)" : (names.get(workspaceId) ?? `workspace ${workspaceId}`),
    });
  }
  return reports;
}

/** For tests and the export: the chain's entries about one set of entities, in order, with their hashes. */
export async function auditEntriesFor(
  db: Db,
  workspaceId: number,
  entities: { entityType: string; entityIds: string[] }[],
) {
  const wanted = entities.filter((e) => e.entityIds.length > 0);
  if (wanted.length === 0) return [];
  const conditions = wanted.map(
    (e) =>
      sql`(${auditLog.entityType} = ${e.entityType} AND ${auditLog.entityId} IN (${sql.join(
        e.entityIds.map((id) => sql`${id}`),
        sql`, `,
      )}))`,
  );
  return db
    .select(entryColumns)
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId), sql`(${sql.join(conditions, sql` OR `)})`))
    .orderBy(asc(auditLog.id));
}
