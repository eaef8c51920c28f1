import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, json } from "./_columns.js";
import { mentions } from "./mentions.js";
import { users } from "./users.js";
import { workspaces } from "./workspaces.js";

export interface AccountStatus {
  disputeOpen?: boolean;
  ceaseContact?: boolean;
  attorneyRepresented?: boolean;
}

export const accounts = sqliteTable(
  "accounts",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    reference: text().notNull(),
    displayName: text().notNull(),
    client: text(),
    state: text(),
    status: json<AccountStatus>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: instant(),
  },
  (t) => [uniqueIndex("accounts_reference").on(t.workspaceId, t.reference)],
);

/** Phones, e-mails and handles, normalised and HMAC-keyed: never stored in clear. */
export const accountIdentifiers = sqliteTable(
  "account_identifiers",
  {
    accountId: integer()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    kind: text({ enum: ["phone", "email", "handle", "reference", "name"] }).notNull(),
    valueHash: text().notNull(),
  },
  (t) => [
    index("account_identifiers_hash").on(t.kind, t.valueHash),
    index("account_identifiers_account").on(t.accountId),
  ],
);

export const accountLinks = sqliteTable(
  "account_links",
  {
    id: id(),
    mentionId: integer()
      .notNull()
      .references(() => mentions.id),
    accountId: integer()
      .notNull()
      .references(() => accounts.id),
    score: integer().notNull(),
    evidence: json<unknown>().notNull(),
    status: text({ enum: ["suggested", "confirmed", "rejected"] })
      .notNull()
      .default("suggested"),
    decidedBy: integer().references(() => users.id),
    decidedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("account_links_pair").on(t.mentionId, t.accountId)],
);

export const rightsEvents = sqliteTable(
  "rights_events",
  {
    id: id(),
    accountId: integer()
      .notNull()
      .references(() => accounts.id),
    mentionId: integer()
      .notNull()
      .references(() => mentions.id),
    flag: text().notNull(),
    occurredAt: instant().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("rights_events_once").on(t.accountId, t.mentionId, t.flag)],
);
