// The audit log's hash chain (src/domain/audit-chain.ts) kept in the database: the audit-seal job links every new
// entry to the one before it in its workspace's chain, and `rapport audit verify` recomputes every chain.
import { and, asc, desc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { auditLog, workspaces } from "../../db/schema/index.js";
import {
  type ChainReport,
  entryHash,
  GENESIS,
  type SealedEntry,
  verifyChain,
} from "../../domain/audit-chain.js";

/** Entries sealed per transaction: a long backlog (the first seal of an old log) goes in bounded steps. */
const SEAL_BATCH = 2_000;
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

async function chainKeys(db: Db): Promise<(number | null)[]> {
  const rows = await db.selectDistinct({ workspaceId: auditLog.workspaceId }).from(auditLog);
  return rows.map((r) => r.workspaceId);
}

async function purgeAnchor(db: Db, workspaceId: number | null): Promise<string | undefined> {
  const [purge] = await db
    .select({ after: auditLog.after })
    .from(auditLog)
    .where(and(inWorkspace(workspaceId), eq(auditLog.action, "audit.purged")))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return (purge?.after as { throughHash?: string } | null)?.throughHash ?? undefined;
}

/** Links every unsealed entry to its workspace's chain, oldest first. Run under the audit-seal job's lease. */
export async function sealAuditLog(db: Db): Promise<{ sealed: number }> {
  let sealed = 0;
  for (const workspaceId of await chainKeys(db)) {
    for (;;) {
      const count = await db.transaction(async (tx) => {
        const [last] = await tx
          .select({ hash: auditLog.hash })
          .from(auditLog)
          .where(and(inWorkspace(workspaceId), isNotNull(auditLog.hash)))
          .orderBy(desc(auditLog.id))
          .limit(1);
        const pending = await tx
          .select(entryColumns)
          .from(auditLog)
          .where(and(inWorkspace(workspaceId), isNull(auditLog.hash)))
          .orderBy(asc(auditLog.id))
          .limit(SEAL_BATCH);
        // With every sealed entry purged, the chain goes on from the last hash the purge removed.
        let prev = last?.hash ?? (await purgeAnchor(tx, workspaceId)) ?? GENESIS;
        for (const entry of pending) {
          const hash = entryHash(prev, entry);
          await tx.update(auditLog).set({ prevHash: prev, hash }).where(eq(auditLog.id, entry.id));
          prev = hash;
        }
        return pending.length;
      });
      sealed += count;
      if (count < SEAL_BATCH) break;
    }
  }
  return { sealed };
}

export interface WorkspaceChainReport extends ChainReport {
  workspaceId: number | null;
  workspace: string;
}

/** Recomputes every workspace's chain (or one workspace's), a page at a time. Reads only. */
export async function verifyAuditLog(db: Db, onlyWorkspace?: number): Promise<WorkspaceChainReport[]> {
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
    const anchors = new Set(
      (
        await db
          .select({ after: auditLog.after })
          .from(auditLog)
          .where(and(inWorkspace(workspaceId), eq(auditLog.action, "audit.purged")))
      ).map((r) => (r.after as { throughHash?: string } | null)?.throughHash),
    );
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
    for (;;) {
      const page: SealedEntry[] = await db
        .select(entryColumns)
        .from(auditLog)
        .where(and(inWorkspace(workspaceId), gt(auditLog.id, afterId)))
        .orderBy(asc(auditLog.id))
        .limit(VERIFY_PAGE);
      if (page.length === 0) break;
      report = verifyChain(page, report);
      afterId = page[page.length - 1]!.id;
      if (page.length < VERIFY_PAGE) break;
    }
    const total = report ?? { sealed: 0, unsealed: 0, head: GENESIS, problems: [] };
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
