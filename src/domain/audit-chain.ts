// The audit log as a hash chain, one per workspace: each sealed entry's hash covers the previous entry's hash and
// its own fields, so changing an entry changes its hash, and removing or reordering one breaks the link the next
// entry holds. Verifying needs no secret: anyone with a copy of the log can recompute it. What it cannot show on
// its own is the newest entries being cut off together with their hashes; the head hash (printed by
// `rapport audit verify`) is what to keep elsewhere for that.
import { createHash } from "node:crypto";

export interface ChainEntry {
  id: number;
  at: Date;
  workspaceId: number | null;
  actorId: number | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface SealedEntry extends ChainEntry {
  prevHash: string | null;
  hash: string | null;
}

/** The first link of every workspace's chain. */
export const GENESIS = "0".repeat(64);

/** JSON with object keys sorted, so the same values always hash the same, whatever order they were built in. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(prevHash: string, entry: ChainEntry): string {
  const fields = {
    id: entry.id,
    at: entry.at.getTime(),
    workspaceId: entry.workspaceId,
    actorId: entry.actorId,
    actorEmail: entry.actorEmail,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
  };
  return createHash("sha256").update(prevHash).update("\n").update(canonical(fields)).digest("hex");
}

export type ChainProblem =
  | { kind: "altered"; id: number; detail: string }
  | { kind: "removed_or_reordered"; id: number; detail: string };

export interface ChainReport {
  sealed: number;
  unsealed: number;
  /** The hash of the newest sealed entry: keep it outside the database to notice the newest entries cut off. */
  head: string;
  problems: ChainProblem[];
}

/**
 * Checks one workspace's entries, given in id order. Entries not sealed yet must all come after the sealed ones.
 * A long log is checked a page at a time: pass the report of the pages before as `before`.
 */
export function verifyChain(entries: readonly SealedEntry[], before?: ChainReport): ChainReport {
  const problems: ChainProblem[] = [...(before?.problems ?? [])];
  let prev = before?.head ?? GENESIS;
  let sealed = before?.sealed ?? 0;
  let unsealed = before?.unsealed ?? 0;
  for (const entry of entries) {
    if (entry.hash === null) {
      unsealed++;
      continue;
    }
    if (unsealed > 0) {
      problems.push({
        kind: "removed_or_reordered",
        id: entry.id,
        detail: `entry ${entry.id} is sealed after ${unsealed} unsealed entr${unsealed === 1 ? "y" : "ies"} before it`,
      });
    }
    sealed++;
    if (entry.prevHash !== prev) {
      problems.push({
        kind: "removed_or_reordered",
        id: entry.id,
        detail: `entry ${entry.id} does not follow the entry before it: an entry was removed, inserted or moved`,
      });
    }
    const expected = entryHash(entry.prevHash ?? GENESIS, entry);
    if (expected !== entry.hash) {
      problems.push({
        kind: "altered",
        id: entry.id,
        detail: `entry ${entry.id} (${entry.action}) was changed after it was sealed`,
      });
    }
    prev = entry.hash;
  }
  return { sealed, unsealed, head: prev, problems };
}
