// Login: e-mail + password → user, rate-limited per e-mail+IP, constant work for unknown e-mails.
import { eq } from "drizzle-orm";
import { clearLoginFailures, loginBlockedFor, recordLoginFailure } from "../../auth/login-rate-limit.js";
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
  const waitMs = await loginBlockedFor(deps, email, input.ip);
  if (waitMs > 0) {
    throw new AppError(
      "rate_limited",
      `Too many failed logins. Try again in ${Math.ceil(waitMs / 60_000)} minutes.`,
      {
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      },
    );
  }
  const [user] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user?.passwordHash || !ok || user.disabled) {
    await recordLoginFailure(deps, email, input.ip);
    throw new AppError("unauthorized", "Wrong e-mail or password.");
  }
  await clearLoginFailures(deps, email, input.ip);
  return { id: user.id, workspaceId: user.workspaceId, email: user.email, name: user.name, role: user.role };
}
