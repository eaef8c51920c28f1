// Every minute: send what the outbox holds (Slack alerts, digest e-mails, account webhooks).
import type { Deps } from "../deps.js";
import { type DeliverReport, deliverOutbox } from "../platform/outbox/deliver.js";
import type { OutboxSenders } from "../platform/outbox/senders.js";

export async function runDeliverOutbox(
  deps: Deps,
  now: Date,
  senders?: OutboxSenders,
): Promise<DeliverReport> {
  return deliverOutbox({ db: deps.db, log: deps.log, senders: senders ?? deps.senders }, now);
}
