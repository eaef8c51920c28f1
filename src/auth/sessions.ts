// Sessions: the cookie carries a random value, the database only its SHA-256, with an expiry.
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { prepareOnce } from "../db/prepared.js";
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

/** Runs on every signed-in request: built once (see src/db/prepared.ts). */
const sessionLookup = (db: Db) =>
  db
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
    .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("now"))))
    .limit(1)
    .prepare();

export async function findSession(deps: Deps, cookieValue: string): Promise<SessionLookup | null> {
  const [row] = await prepareOnce(deps.db, "session-lookup", sessionLookup).all({
    id: sha256(cookieValue),
    // A placeholder is bound as is, without the column's Date encoding: pass the stored form (milliseconds).
    now: deps.now().getTime(),
  });
  if (!row || row.disabled) return null;
  const { csrfToken, expiresAt, disabled: _disabled, ...user } = row;
  return { user, csrfToken, expiresAt };
}

export async function deleteSession(deps: Deps, cookieValue: string): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.id, sha256(cookieValue)));
}

/** After a password change or a role change every other session of that user must end. */
export async function deleteUserSessions(
  deps: Deps,
  userId: number,
  db: Pick<Db, "delete"> = deps.db,
): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}
