// Sessions: the cookie carries a random value, the database only its SHA-256, with an expiry.
import { and, eq, gt, lt } from "drizzle-orm";
import { sessions, users } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { randomToken, sha256 } from "./tokens.js";
import type { AuthUser } from "./types.js";

export const SESSION_COOKIE = "rapport_session";

export interface NewSession {
  cookieValue: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(deps: Deps, userId: number): Promise<NewSession> {
  const cookieValue = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(deps.now().getTime() + deps.env.SESSION_TTL_HOURS * 3_600_000);
  await deps.db.insert(sessions).values({ id: sha256(cookieValue), userId, csrfToken, expiresAt });
  // Expired sessions are swept on login rather than by a job: logins are rare and this keeps the table small.
  await deps.db.delete(sessions).where(lt(sessions.expiresAt, deps.now()));
  return { cookieValue, csrfToken, expiresAt };
}

export interface SessionLookup {
  user: AuthUser;
  csrfToken: string;
  expiresAt: Date;
}

export async function findSession(deps: Deps, cookieValue: string): Promise<SessionLookup | null> {
  const [row] = await deps.db
    .select({
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
      id: users.id,
      workspaceId: users.workspaceId,
      email: users.email,
      name: users.name,
      role: users.role,
      disabled: users.disabled,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sha256(cookieValue)), gt(sessions.expiresAt, deps.now())))
    .limit(1);
  if (!row || row.disabled) return null;
  const { csrfToken, expiresAt, disabled: _disabled, ...user } = row;
  return { user, csrfToken, expiresAt };
}

export async function deleteSession(deps: Deps, cookieValue: string): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.id, sha256(cookieValue)));
}

/** After a password change or a role change every other session of that user must end. */
export async function deleteUserSessions(deps: Deps, userId: number): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.userId, userId));
}
