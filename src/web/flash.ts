// A message carried across a POST-redirect-GET in the URL (?notice= or ?error=). It is signed: a crafted link
// cannot make Rapport's own page say something Rapport never said ("your account is locked, call …"). An unsigned
// or altered message is not shown. The text is escaped where it is rendered, like any other.
import { createHmac } from "node:crypto";
import { safeEqual } from "../auth/tokens.js";

export type FlashKind = "notice" | "error";
export interface Flash {
  kind: FlashKind;
  text: string;
}

const SIGNATURE_PARAM = "sig";

function sign(secret: string, kind: FlashKind, text: string): string {
  return createHmac("sha256", secret)
    .update(`rapport flash v1\n${kind}\n${text}`)
    .digest("base64url")
    .slice(0, 22);
}

/** `path` (which may carry a query and a #fragment) with the signed message, replacing any earlier one. */
export function withFlash(path: string, kind: FlashKind, text: string, secret: string): string {
  const url = new URL(path, "http://rapport.invalid");
  for (const name of ["notice", "error", SIGNATURE_PARAM]) url.searchParams.delete(name);
  const kept = url.searchParams.toString();
  // encodeURIComponent (spaces as %20) so the message reads plainly in a decoded URL.
  const flash = `${kind}=${encodeURIComponent(text)}&${SIGNATURE_PARAM}=${sign(secret, kind, text)}`;
  return `${url.pathname}?${kept ? `${kept}&` : ""}${flash}${url.hash}`;
}

/** The message in a request's query, if Rapport signed it; cut to `max` characters for display. */
export function readFlash(params: URLSearchParams, secret: string, max = 500): Flash | undefined {
  const signature = params.get(SIGNATURE_PARAM) ?? "";
  for (const kind of ["error", "notice"] as const) {
    const text = params.get(kind);
    if (text && safeEqual(signature, sign(secret, kind, text))) return { kind, text: text.slice(0, max) };
  }
  return undefined;
}
