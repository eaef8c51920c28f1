import { describe, expect, it } from "vitest";
import {
  type ChainEntry,
  chainKey,
  entryHash,
  GENESIS,
  type SealedEntry,
  verifyChain,
} from "./audit-chain.js";

const KEY = chainKey("test-secret-test-secret-test-secret-00");

const entry = (id: number, after: unknown = { status: "triaged" }): ChainEntry => ({
  id,
  at: new Date(Date.UTC(2026, 11, 1, 8, id)),
  workspaceId: 1,
  actorId: 7,
  actorEmail: "dana@example.com",
  action: "mention.status",
  entityType: "mention",
  entityId: String(100 + id),
  before: { status: "new" },
  after,
});

function seal(entries: ChainEntry[]): SealedEntry[] {
  let prev = GENESIS;
  return entries.map((e) => {
    const hash = entryHash(KEY, prev, e);
    const sealed = { ...e, prevHash: prev, hash };
    prev = hash;
    return sealed;
  });
}

describe("audit chain", () => {
  const chain = seal([entry(1), entry(2), entry(3), entry(4)]);

  it("verifies an untouched chain and reports its head", () => {
    const report = verifyChain(KEY, chain);
    expect(report).toMatchObject({ sealed: 4, unsealed: 0, problems: [] });
    expect(report.head).toBe(chain[3]!.hash);
  });

  it("hashes the same values the same way whatever the key order", () => {
    expect(entryHash(KEY, GENESIS, entry(1, { a: 1, b: 2 }))).toBe(
      entryHash(KEY, GENESIS, entry(1, { b: 2, a: 1 })),
    );
    expect(entryHash(KEY, GENESIS, entry(1, { a: 1 }))).not.toBe(entryHash(KEY, GENESIS, entry(1, { a: 2 })));
  });

  it("names an entry changed after sealing", () => {
    const tampered = chain.map((e) => (e.id === 2 ? { ...e, after: { status: "resolved" } } : e));
    expect(verifyChain(KEY, tampered).problems).toEqual([
      { kind: "altered", id: 2, detail: "entry 2 (mention.status) was changed after it was sealed" },
    ]);
  });

  it("names the entry after one that was removed", () => {
    const removed = chain.filter((e) => e.id !== 3);
    expect(verifyChain(KEY, removed).problems).toEqual([
      expect.objectContaining({ kind: "removed_or_reordered", id: 4 }),
    ]);
  });

  it("counts entries not sealed yet at the end, and flags a sealed one after them", () => {
    const pending = [...chain, { ...entry(5), prevHash: null, hash: null }];
    expect(verifyChain(KEY, pending)).toMatchObject({ sealed: 4, unsealed: 1, problems: [] });
    const gap = [chain[0]!, { ...chain[1]!, prevHash: null, hash: null }, chain[2]!];
    expect(verifyChain(KEY, gap).problems.map((p) => p.kind)).toContain("removed_or_reordered");
  });
});

describe("audit chain a page at a time", () => {
  it("gives the same report as the whole log at once, and finds a break across pages", () => {
    const chain = seal([1, 2, 3, 4, 5, 6].map((id) => entry(id)));
    const whole = verifyChain(KEY, chain);
    expect(verifyChain(KEY, chain.slice(3), verifyChain(KEY, chain.slice(0, 3)))).toEqual(whole);
    const withoutThird = chain.filter((e) => e.id !== 4);
    const paged = verifyChain(KEY, withoutThird.slice(3), verifyChain(KEY, withoutThird.slice(0, 3)));
    expect(paged.problems).toEqual([expect.objectContaining({ kind: "removed_or_reordered", id: 5 })]);
  });
});

describe("the key", () => {
  it("a hash recomputed without the server's key does not fit", () => {
    const chain = seal([entry(1), entry(2)]);
    const forged = chain.map((e) => (e.id === 2 ? { ...e, actorEmail: "mallory@example.com" } : e));
    const otherKey = chainKey("another-secret-another-secret-000");
    forged[1] = { ...forged[1]!, hash: entryHash(otherKey, forged[1]!.prevHash!, forged[1]!) };
    expect(verifyChain(KEY, forged).problems.map((p) => p.kind)).toEqual(["altered"]);
  });
});
