// Personal API tokens for integrations: shown once, stored as SHA-256, sent as `Authorization: Bearer`.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { prepareOnce } from "../db/prepared.js";
import { apiTokens, users } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { randomToken, sha256 } from "./tokens.js";
import type { AuthUser } from "./types.js";

/** A recognisable prefix lets secret scanners find leaked tokens. */
const TOKEN_PREFIX = "rpt_";
const LAST_USED_PRECISION_MS = 60_000;

export async function createApiToken(
  deps: Deps,
  userId: number,
  name: string,
): Promise<{ id: number; token: string }> {
  const token = TOKEN_PREFIX + randomToken();
  const [row] = await deps.db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: sha256(token) })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token };
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
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sql.placeholder("hash")))
    .limit(1)
    .prepare();

export async function findUserByApiToken(deps: Deps, token: string): Promise<AuthUser | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await prepareOnce(deps.db, "api-token-lookup", tokenLookup).all({ hash: sha256(token) });
  if (!row || row.disabled) return null;
  // "Last used" to the minute is enough, and it spares a database write on every API call.
  const now = deps.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await deps.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  const { tokenId: _tokenId, disabled: _disabled, lastUsedAt: _lastUsedAt, ...user } = row;
  return user;
}

export async function listApiTokens(deps: Deps, userId: number) {
  return deps.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id));
}

export async function revokeApiToken(deps: Deps, userId: number, tokenId: number): Promise<boolean> {
  const deleted = await deps.db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return deleted.length > 0;
}
