// Personal API tokens for integrations: shown once, stored as SHA-256, sent as `Authorization: Bearer`.
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { prepareOnce } from "../db/prepared.js";
import { apiTokens, users } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { randomToken, sha256 } from "./tokens.js";
import type { AuthUser } from "./types.js";

type DbOrTx = Pick<Db, "insert" | "select" | "update" | "delete">;

/** A recognisable prefix lets secret scanners find leaked tokens. */
const TOKEN_PREFIX = "rpt_";
const LAST_USED_PRECISION_MS = 60_000;

export type ApiTokenScope = "read" | "write";
export const API_TOKEN_SCOPES = ["read", "write"] as const;

export interface NewApiToken {
  /** `read`: GET and HEAD only. Callers that leave it out mean an integration that writes (the default here;
   * the HTTP form and API default to `read`). */
  scope?: ApiTokenScope;
  /** Null or absent: valid until revoked. */
  expiresAt?: Date | null;
}

/** Pass a transaction as `db` to commit the token with its audit row. */
export async function createApiToken(
  deps: Deps,
  userId: number,
  name: string,
  options: NewApiToken = {},
  db: DbOrTx = deps.db,
): Promise<{ id: number; token: string; scope: ApiTokenScope; expiresAt: Date | null }> {
  const { token, scope, expiresAt, insert } = apiTokenInsert(db, userId, name, options);
  const [row] = await insert;
  return { id: row!.id, token, scope, expiresAt };
}

/** A new token and the statement that stores it (returning its id), for an atomic batch (src/db/atomic.ts). */
export function apiTokenInsert(
  db: Pick<Db, "insert">,
  userId: number,
  name: string,
  options: NewApiToken = {},
) {
  const token = TOKEN_PREFIX + randomToken();
  const scope = options.scope ?? "write";
  const expiresAt = options.expiresAt ?? null;
  const insert = db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: sha256(token), scope, expiresAt })
    .returning({ id: apiTokens.id });
  return { token, scope, expiresAt, insert };
}

/** Runs on every API call: built once (see src/db/prepared.ts). */
const tokenLookup = (db: Db) =>
  db
    .select({
      tokenId: apiTokens.id,
      id: users.id,
      workspaceId: users.workspaceId,
      email: users.email,
      name: users.name,
      role: users.role,
      disabled: users.disabled,
      lastUsedAt: apiTokens.lastUsedAt,
      scope: apiTokens.scope,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sql.placeholder("hash")))
    .limit(1)
    .prepare();

export async function findUserByApiToken(
  deps: Deps,
  token: string,
): Promise<{ user: AuthUser; scope: ApiTokenScope } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await prepareOnce(deps.db, "api-token-lookup", tokenLookup).all({ hash: sha256(token) });
  if (!row || row.disabled) return null;
  const now = deps.now();
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return null;
  // "Last used" to the minute is enough, and it spares a database write on every API call.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await deps.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  const { tokenId: _t, disabled: _d, lastUsedAt: _l, scope, expiresAt: _e, ...user } = row;
  return { user, scope };
}

export async function listApiTokens(deps: Deps, userId: number) {
  return deps.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scope: apiTokens.scope,
      expiresAt: apiTokens.expiresAt,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id));
}

/** Every token of the user (a password reset where the person chose to end them): the names, for the audit. */
export async function revokeAllApiTokens(db: DbOrTx, userId: number): Promise<string[]> {
  const deleted = await db
    .delete(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .returning({ name: apiTokens.name });
  return deleted.map((t) => t.name);
}
