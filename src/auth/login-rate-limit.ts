// Login limiting, in the database so every process shares it. An attempt is counted BEFORE the password is
// checked, by one insert-or-increment per counter that returns the new count: of 60 parallel guesses exactly
// `max` see a count within the limit and reach the (expensive) hash check; the rest are refused unchecked. A
// read-then-write around the hash let 43 of 60 through.
//
// Four counters, so that no single address can lock a victim out:
// - pair    one account from one address: the lock an attacker at one address earns stays at that address;
// - address one address over all accounts: password spraying;
// - account one account from every address: counted only for attempts the first two let through, so one
//           address adds at most `pair.max` per window and locking the account needs several addresses;
// - global  password checks per minute server-wide: a ceiling on the CPU that scrypt costs.

import { and, eq, gt, sql } from "drizzle-orm";
import { loginAttempts } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { parseIpv6 } from "../domain/egress.js";
import { AppError } from "../errors.js";
import { sha256 } from "./tokens.js";

interface Limit {
  max: number;
  windowMs: number;
}

export const LOGIN_LIMITS = {
  pair: { max: 5, windowMs: 15 * 60_000 },
  address: { max: 20, windowMs: 15 * 60_000 },
  account: { max: 30, windowMs: 15 * 60_000 },
  global: { max: 300, windowMs: 60_000 },
} as const satisfies Record<string, Limit>;

/** Kept for callers that speak of "the" limit: the one a single address meets first on one account. */
export const LOGIN_MAX_FAILURES = LOGIN_LIMITS.pair.max;
export const LOGIN_WINDOW_MS = LOGIN_LIMITS.pair.windowMs;

type Counter = keyof typeof LOGIN_LIMITS;

/**
 * The client as limits count it: an IPv4 address, or the /64 an IPv6 address is in. One host is routinely given a
 * whole /64, so counting each IPv6 address alone would let it spread its guesses over as many "clients" as it likes.
 */
export function clientNetwork(ip: string): string {
  const groups = parseIpv6(ip);
  if (!groups || (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)))
    return ip; // IPv4, IPv4 inside IPv6, or not an address at all ("unknown")
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

// Hashed: the table should not become a list of who tried to log in from where.
function counterKey(counter: Counter, email: string, address: string): string {
  const account = email.trim().toLowerCase();
  const ip = clientNetwork(address);
  switch (counter) {
    case "pair":
      return `pair:${sha256(`${account}|${ip}`)}`;
    case "address":
      return `addr:${sha256(ip)}`;
    case "account":
      return `acct:${sha256(account)}`;
    case "global":
      return "global";
  }
}

/** One atomic statement: a new window starts at 1, a current one goes up by 1; the new count comes back. */
async function increment(deps: Deps, key: string, limit: Limit, now: Date) {
  const cutoff = now.getTime() - limit.windowMs;
  const [row] = await deps.db
    .insert(loginAttempts)
    .values({ key, failures: 1, windowStart: now })
    .onConflictDoUpdate({
      target: loginAttempts.key,
      set: {
        failures: sql`CASE WHEN ${loginAttempts.windowStart} <= ${cutoff} THEN 1 ELSE ${loginAttempts.failures} + 1 END`,
        windowStart: sql`CASE WHEN ${loginAttempts.windowStart} <= ${cutoff} THEN ${now.getTime()} ELSE ${loginAttempts.windowStart} END`,
      },
    })
    .returning({ failures: loginAttempts.failures, windowStart: loginAttempts.windowStart });
  return row!;
}

function refuse(counter: Counter, waitMs: number): AppError {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  const message =
    counter === "global"
      ? `Too many logins on this server right now. Try again in ${Math.ceil(waitMs / 1000)} seconds.`
      : counter === "address"
        ? `Too many failed logins from your network. Try again in ${minutes} minutes.`
        : `Too many failed logins. Try again in ${minutes} minutes, or ask an admin for a password reset link.`;
  return new AppError("rate_limited", message, {
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  });
}

/**
 * Counts this attempt against every limit and throws `rate_limited` when one is over; otherwise the caller may
 * check the password. The order matters: the account counter is reached only past the pair and address
 * limits, and the global one only by attempts that will really be hashed.
 */
export async function reserveLoginAttempt(deps: Deps, email: string, ip: string): Promise<void> {
  const now = deps.now();
  for (const counter of ["address", "pair", "account", "global"] as const) {
    const limit = LOGIN_LIMITS[counter];
    const row = await increment(deps, counterKey(counter, email, ip), limit, now);
    if (row.failures > limit.max) {
      throw refuse(counter, row.windowStart.getTime() + limit.windowMs - now.getTime());
    }
  }
}

/**
 * The right password from this address: its pair and the account's counter start over (the owner has shown
 * they hold the password), and this address gets back the attempt it spent. The global counter keeps it: it
 * measures hashing work, not failures.
 */
export async function loginSucceeded(deps: Deps, email: string, ip: string): Promise<void> {
  await deps.db.delete(loginAttempts).where(eq(loginAttempts.key, counterKey("pair", email, ip)));
  await deps.db.delete(loginAttempts).where(eq(loginAttempts.key, counterKey("account", email, ip)));
  await deps.db
    .update(loginAttempts)
    .set({ failures: sql`${loginAttempts.failures} - 1` })
    .where(and(eq(loginAttempts.key, counterKey("address", email, ip)), gt(loginAttempts.failures, 0)));
}
