// Failed logins are counted per e-mail+IP in a fixed window, in the database so every process shares them.
import { eq } from "drizzle-orm";
import { loginAttempts } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { sha256 } from "./tokens.js";

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

function attemptKey(email: string, ip: string): string {
  // Hashed: the table should not become a list of who tried to log in from where.
  return sha256(`${email.trim().toLowerCase()}|${ip}`);
}

/** Milliseconds until the next attempt is allowed, or 0 when it is allowed now. */
export async function loginBlockedFor(deps: Deps, email: string, ip: string): Promise<number> {
  const [row] = await deps.db
    .select()
    .from(loginAttempts)
    .where(eq(loginAttempts.key, attemptKey(email, ip)));
  if (!row) return 0;
  const windowEnds = row.windowStart.getTime() + LOGIN_WINDOW_MS;
  const now = deps.now().getTime();
  if (now >= windowEnds || row.failures < LOGIN_MAX_FAILURES) return 0;
  return windowEnds - now;
}

export async function recordLoginFailure(deps: Deps, email: string, ip: string): Promise<void> {
  const key = attemptKey(email, ip);
  const now = deps.now();
  const [row] = await deps.db.select().from(loginAttempts).where(eq(loginAttempts.key, key));
  if (!row || now.getTime() - row.windowStart.getTime() >= LOGIN_WINDOW_MS) {
    await deps.db
      .insert(loginAttempts)
      .values({ key, failures: 1, windowStart: now })
      .onConflictDoUpdate({ target: loginAttempts.key, set: { failures: 1, windowStart: now } });
    return;
  }
  await deps.db
    .update(loginAttempts)
    .set({ failures: row.failures + 1 })
    .where(eq(loginAttempts.key, key));
}

export async function clearLoginFailures(deps: Deps, email: string, ip: string): Promise<void> {
  await deps.db.delete(loginAttempts).where(eq(loginAttempts.key, attemptKey(email, ip)));
}
