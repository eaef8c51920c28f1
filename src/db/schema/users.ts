import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, json } from "./_columns.js";
import { workspaces } from "./workspaces.js";

export const users = sqliteTable(
  "users",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    email: text().notNull(),
    name: text().notNull().default(""),
    /** `scrypt$N$r$p$salt$hash`; null until an invited user sets a password. */
    passwordHash: text(),
    role: text({ enum: ["admin", "manager", "responder", "viewer"] }).notNull(),
    disabled: integer({ mode: "boolean" }).notNull().default(false),
    lastFeedVisitAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email").on(t.email)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie value: a copy of the database holds no usable session. */
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    csrfToken: text().notNull(),
    expiresAt: instant().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const apiTokens = sqliteTable("api_tokens", {
  id: id(),
  userId: integer()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  name: text().notNull(),
  tokenHash: text().notNull().unique(),
  /** `read`: GET/HEAD only; `write`: everything the owner's role allows. Tokens made before scopes had write. */
  scope: text({ enum: ["read", "write"] })
    .notNull()
    .default("write"),
  /** Null: until revoked. */
  expiresAt: instant(),
  lastUsedAt: instant(),
  createdAt: createdAt(),
});

/** Invitations and password resets: single-use links. */
export const oneTimeTokens = sqliteTable("one_time_tokens", {
  tokenHash: text().primaryKey(),
  userId: integer()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  purpose: text({ enum: ["invite", "reset"] }).notNull(),
  expiresAt: instant().notNull(),
  usedAt: instant(),
  createdAt: createdAt(),
});

export const loginAttempts = sqliteTable("login_attempts", {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStart: instant().notNull(),
});

export const savedViews = sqliteTable("saved_views", {
  id: id(),
  userId: integer()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  name: text().notNull(),
  query: json<Record<string, string>>().notNull(),
  createdAt: createdAt(),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    at: createdAt(),
    /** Whose log this row is in: admins see only their workspace's rows. Null only for system rows written
     * before workspaces were told apart (or by a job acting on no workspace). */
    workspaceId: integer(),
    actorId: integer(),
    actorEmail: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    before: json<unknown>(),
    after: json<unknown>(),
    /** The tamper-evident chain (src/domain/audit-chain.ts), filled in by the audit-seal job: the hash of the
     * workspace's previous sealed entry, and this entry's hash over that and its own fields. Null until sealed. */
    prevHash: text(),
    hash: text(),
  },
  (t) => [
    index("audit_entity").on(t.entityType, t.entityId),
    index("audit_at").on(t.at),
    index("audit_workspace").on(t.workspaceId, t.id),
  ],
);

/**
 * A legal hold: while one is in force on a mention, an account or a brand, the purge keeps everything about it
 * (and the workspace's audit log) past its retention. Placing and lifting are audited.
 */
export const legalHolds = sqliteTable(
  "legal_holds",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    entityType: text({ enum: ["mention", "account", "brand"] }).notNull(),
    entityId: integer().notNull(),
    reason: text().notNull(),
    placedBy: text().notNull(),
    placedAt: createdAt(),
    liftedBy: text(),
    liftedAt: instant(),
  },
  (t) => [index("legal_holds_in_force").on(t.workspaceId, t.entityType, t.entityId, t.liftedAt)],
);

/**
 * Where each workspace's audit chain ends, kept apart from the log and keyed (src/domain/audit-chain.ts): entries
 * removed from the end, or unsealed to be sealed again, no longer match it.
 */
export const auditChainHeads = sqliteTable("audit_chain_heads", {
  /** `w<id>`, or `none` for entries written outside any workspace. */
  chain: text().primaryKey(),
  lastId: integer().notNull(),
  lastHash: text().notNull(),
  mac: text().notNull(),
});
