// The only place in the domain that touches node:crypto (available on Node and on Workers with nodejs_compat).
// Keyed hashes let a copy of the database be useless for learning anyone's phone or e-mail, and signed
// webhooks let the collections system reject events that did not come from us.
import { createHmac, timingSafeEqual } from "node:crypto";

export type IdentifierKind = "phone" | "email" | "reference" | "handle";

/** HMAC-SHA256 of an already-normalized identifier; the kind is mixed in so equal strings of two kinds differ. */
export function hmacIdentifier(secret: string, kind: IdentifierKind, normalized: string): string {
  return createHmac("sha256", secret).update(`${kind}:${normalized}`).digest("hex");
}

/** The HTTP header that carries the signature on outbound webhooks. */
export const WEBHOOK_SIGNATURE_HEADER = "Rapport-Signature";

/** Stripe-style signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export type WebhookVerification = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Checks the header against the body; rejects stale timestamps so a captured request cannot be replayed. */
export function verifyWebhook(
  secret: string,
  header: string | null | undefined,
  body: string,
  options: { nowSeconds: number; toleranceSeconds?: number },
): WebhookVerification {
  if (!header) return { ok: false, reason: "missing signature header" };
  const parts = header.split(",").map((part) => part.trim().split("=", 2) as [string, string?]);
  const timestamp = Number(parts.find(([key]) => key === "t")?.[1]);
  const signatures = parts.filter(([key]) => key === "v1").map(([, value]) => value ?? "");
  if (!Number.isInteger(timestamp) || signatures.length === 0)
    return { ok: false, reason: "malformed signature header" };
  if (Math.abs(options.nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) {
    return { ok: false, reason: "timestamp outside the tolerance window" };
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body).split("v1=")[1] ?? "", "hex");
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: "signature mismatch" };
}
