// Routing decisions made in the same transaction as the mentions that caused them, so an urgent mention
// can never be stored without its alert (or alerted without being stored).
import type { PreparedMention } from "./prepare.js";
import type { Tx } from "./store.js";

export interface StoredMention {
  id: number;
  prepared: PreparedMention;
}

export interface RouteContext {
  sourceId: number;
  now: Date;
}

export type Router = (tx: Tx, stored: StoredMention[], ctx: RouteContext) => Promise<void>;

/** Runs routers in order inside the store transaction (urgent Slack alerts, rights events, case follow-ups). */
export async function routeStored(
  routers: Router[],
  tx: Tx,
  stored: StoredMention[],
  ctx: RouteContext,
): Promise<void> {
  for (const route of routers) await route(tx, stored, ctx);
}
