// Which lease the calling code runs under, without passing it down: withLease (lease.ts) sets it, startRun
// (job-runs.ts) records it, so a run can later be told alive (its lease is held) from dead.
import { AsyncLocalStorage } from "node:async_hooks";

export interface HeldLease {
  name: string;
  holder: string;
}

export const currentLease = new AsyncLocalStorage<HeldLease>();

/** The innermost lease the calling code runs under. */
export function heldLease(): HeldLease | undefined {
  return currentLease.getStore();
}
