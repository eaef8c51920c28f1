// Invitations and password resets: a single-use random token, stored hashed, that expires.
import { and, eq, gt, isNull } from "drizzle-orm";
import { oneTimeTokens } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { randomToken, sha256 } from "./tokens.js";

export type OneTimePurpose = "invite" | "reset";

const LIFETIME_MS: Record<OneTimePurpose, number> = { invite: 7 * 24 * 3_600_000, reset: 60 * 60_000 };

export async function createOneTimeToken(
  deps: Deps,
  userId: number,
  purpose: OneTimePurpose,
): Promise<string> {
  const token = randomToken();
  await deps.db.insert(oneTimeTokens).values({
    tokenHash: sha256(token),
    userId,
    purpose,
    expiresAt: new Date(deps.now().getTime() + LIFETIME_MS[purpose]),
  });
  return token;
}

/** The token's user, without using it up (to show the "set your password" form). */
export async function peekOneTimeToken(
  deps: Deps,
  token: string,
): Promise<{ userId: number; purpose: OneTimePurpose } | null> {
  const [row] = await deps.db
    .select({ userId: oneTimeTokens.userId, purpose: oneTimeTokens.purpose })
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.tokenHash, sha256(token)),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, deps.now()),
      ),
    );
  return row ?? null;
}

/** Marks the token used in one conditional update, so two concurrent uses cannot both succeed. */
export async function consumeOneTimeToken(
  deps: Deps,
  token: string,
): Promise<{ userId: number; purpose: OneTimePurpose } | null> {
  const rows = await deps.db
    .update(oneTimeTokens)
    .set({ usedAt: deps.now() })
    .where(
      and(
        eq(oneTimeTokens.tokenHash, sha256(token)),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, deps.now()),
      ),
    )
    .returning({ userId: oneTimeTokens.userId, purpose: oneTimeTokens.purpose });
  return rows[0] ?? null;
}

export function oneTimeLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, "")}/welcome/${token}`;
}
