// The audit log as a keyed hash chain, one per workspace: each sealed entry's hash is an HMAC over the previous
// entry's hash and its own fields, under a key derived from RAPPORT_SECRET that the database never holds. Changing
// an entry changes its hash, removing or reordering one breaks the link the next entry holds, and someone with
// only the database cannot compute a hash that fits. The chain's end is kept apart (the chain head, also keyed):
// entries cut off the end, or unsealed to be sealed again, no longer match it. A copy of the database restored
// from an older backup of both cannot be told apart from the database itself: the head printed by
// `rapport audit verify` is what to keep outside it for that.
import { createHmac } from "node:crypto";

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

/** The chain's key, from the server secret; it never leaves the process. */
export function chainKey(secret: string): string {
  return createHmac("sha256", secret).update("rapport audit chain v1").digest("hex");
}

const mac = (key: string, ...parts: (string | number | null)[]) =>
  createHmac("sha256", key).update(parts.map(String).join("\n")).digest("hex");

/** Vouches for a retention purge's record of the last hash it removed (so a planted one is not taken as an anchor). */
export const anchorMac = (key: string, chain: string, throughId: number, throughHash: string) =>
  mac(key, "anchor", chain, throughId, throughHash);

/** Vouches for a chain head. */
export const headMac = (key: string, chain: string, lastId: number, lastHash: string) =>
  mac(key, "head", chain, lastId, lastHash);

export function entryHash(key: string, prevHash: string, entry: ChainEntry): string {
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
  return createHmac("sha256", key).update(prevHash).update("\n").update(canonical(fields)).digest("hex");
}

export type ChainProblem =
  | { kind: "altered"; id: number; detail: string }
  | { kind: "removed_or_reordered"; id: number; detail: string }
  | { kind: "head"; id: number; detail: string };

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
export function verifyChain(key: string, entries: readonly SealedEntry[], before?: ChainReport): ChainReport {
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
    const expected = entryHash(key, entry.prevHash ?? GENESIS, entry);
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
