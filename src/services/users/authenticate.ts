// Login: e-mail + password → user. Limited per account, per address, per account+address and server-wide
// (src/auth/login-rate-limit.ts), and constant work for unknown e-mails.
import { eq } from "drizzle-orm";
import { loginSucceeded, reserveLoginAttempt } from "../../auth/login-rate-limit.js";
import { dummyPasswordHash, verifyPassword } from "../../auth/password.js";
import type { AuthUser } from "../../auth/types.js";
import { users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";

export interface AuthenticateInput {
  email: string;
  password: string;
  ip: string;
}

export async function authenticate(deps: Deps, input: AuthenticateInput): Promise<AuthUser> {
  const email = input.email.trim().toLowerCase();
  // Counted before the hash is checked, atomically: parallel guesses cannot all pass a check made earlier.
  await reserveLoginAttempt(deps, email, input.ip);
  const [user] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user?.passwordHash || !ok || user.disabled) {
    throw new AppError("unauthorized", "Wrong e-mail or password.");
  }
  await loginSucceeded(deps, email, input.ip);
  return { id: user.id, workspaceId: user.workspaceId, email: user.email, name: user.name, role: user.role };
}
