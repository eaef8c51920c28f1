// A message carried across a POST-redirect-GET in the URL (?notice= or ?error=). It is signed for the person it
// was written for, the page it lands on and the minute it was written, and read back only within FLASH_TTL_MS: a
// crafted link cannot make Rapport's page say something Rapport never said to that person ("your account is
// locked, call …"), even when the text repeats something a user typed (a source's name). An unsigned, altered,
// someone else's or stale message is not shown. The text is escaped where it is rendered, like any other.
import { createHmac } from "node:crypto";
import type { Context } from "hono";
import { safeEqual } from "../auth/tokens.js";
import type { WebEnv } from "./context.js";

export type FlashKind = "notice" | "error";
export interface Flash {
  kind: FlashKind;
  text: string;
}
/** Whose message it is: the server's secret and the signed-in person it was written for. */
export interface FlashKey {
  secret: string;
  userId: number;
}

/** The signed-in person's key (every route that writes or reads a flash runs after `requireLogin`). */
export const flashKeyOf = (c: Context<WebEnv>, secret: string): FlashKey => ({
  secret,
  userId: c.get("user").id,
});

/** Long enough to follow the redirect and reload once; short enough that an old link shows nothing. */
export const FLASH_TTL_MS = 10 * 60_000;
const MINUTE_MS = 60_000;
const SIGNATURE_PARAM = "sig";
const TIME_PARAM = "t";

function sign(key: FlashKey, kind: FlashKind, text: string, path: string, minute: string): string {
  return createHmac("sha256", key.secret)
    .update(`rapport flash v2\n${key.userId}\n${path}\n${minute}\n${kind}\n${text}`)
    .digest("base64url")
    .slice(0, 22);
}

/** `path` (which may carry a query and a #fragment) with the signed message, replacing any earlier one. */
export function withFlash(
  path: string,
  kind: FlashKind,
  text: string,
  key: FlashKey,
  now = Date.now(),
): string {
  const url = new URL(path, "http://rapport.invalid");
  for (const name of ["notice", "error", SIGNATURE_PARAM, TIME_PARAM]) url.searchParams.delete(name);
  const kept = url.searchParams.toString();
  const minute = Math.floor(now / MINUTE_MS).toString(36);
  // encodeURIComponent (spaces as %20) so the message reads plainly in a decoded URL.
  const flash = `${kind}=${encodeURIComponent(text)}&${TIME_PARAM}=${minute}&${SIGNATURE_PARAM}=${sign(key, kind, text, url.pathname, minute)}`;
  return `${url.pathname}?${kept ? `${kept}&` : ""}${flash}${url.hash}`;
}

/** The message in a request's URL, if it was signed for this person and this page in the last few minutes. */
export function readFlash(
  url: URL,
  key: FlashKey,
  options: { max?: number; now?: number } = {},
): Flash | undefined {
  const { max = 500, now = Date.now() } = options;
  const signature = url.searchParams.get(SIGNATURE_PARAM) ?? "";
  const minute = url.searchParams.get(TIME_PARAM) ?? "";
  const writtenAt = Number.parseInt(minute, 36) * MINUTE_MS;
  if (!/^[0-9a-z]{1,10}$/.test(minute) || !(now - writtenAt <= FLASH_TTL_MS && writtenAt <= now + MINUTE_MS))
    return undefined;
  for (const kind of ["error", "notice"] as const) {
    const text = url.searchParams.get(kind);
    if (text && safeEqual(signature, sign(key, kind, text, url.pathname, minute)))
      return { kind, text: text.slice(0, max) };
  }
  return undefined;
}
