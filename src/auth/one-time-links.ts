// Invitations and password resets: a single-use random token, stored hashed, that expires.
import { and, eq, gt, isNull } from "drizzle-orm";
import { inTransaction } from "../db/atomic.js";
import { oneTimeTokens } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { randomToken, sha256 } from "./tokens.js";

export type OneTimePurpose = "invite" | "reset";

const LIFETIME_MS: Record<OneTimePurpose, number> = { invite: 7 * 24 * 3_600_000, reset: 60 * 60_000 };

/**
 * A new link revokes every unused older one of that person (of either purpose): only the latest link sent
 * works, so a reset link forwarded or left in an old mailbox dies when a newer one is made.
 */
export async function createOneTimeToken(
  deps: Deps,
  userId: number,
  purpose: OneTimePurpose,
): Promise<string> {
  const token = randomToken();
  const now = deps.now();
  await inTransaction(deps.db, "creating a sign-in link", async (tx) => {
    await tx
      .update(oneTimeTokens)
      .set({ usedAt: now })
      .where(and(eq(oneTimeTokens.userId, userId), isNull(oneTimeTokens.usedAt)));
    await tx.insert(oneTimeTokens).values({
      tokenHash: sha256(token),
      userId,
      purpose,
      expiresAt: new Date(now.getTime() + LIFETIME_MS[purpose]),
    });
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

/**
 * Marks the token used in one conditional update, so two concurrent uses cannot both succeed, and revokes the
 * person's other unused links with it. Pass the transaction that sets the password.
 */
export async function consumeOneTimeToken(
  deps: Deps,
  token: string,
  db: Pick<Deps["db"], "update"> = deps.db,
): Promise<{ userId: number; purpose: OneTimePurpose } | null> {
  const now = deps.now();
  const rows = await db
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oneTimeTokens.tokenHash, sha256(token)),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, now),
      ),
    )
    .returning({ userId: oneTimeTokens.userId, purpose: oneTimeTokens.purpose });
  const used = rows[0];
  if (!used) return null;
  await db
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(and(eq(oneTimeTokens.userId, used.userId), isNull(oneTimeTokens.usedAt)));
  return used;
}

export function oneTimeLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, "")}/welcome/${token}`;
}
