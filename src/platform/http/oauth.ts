// The one OAuth 2.0 token policy: tokens from a long-lived grant (Google refresh token, Trustpilot business login,
// Reddit app or script credentials) are cached per grant in the HTTP client's cache until a minute before they
// expire, so every page of a poll (and the next poll, on a long-lived client) exchanges once; a token the API
// refuses is forgotten and exchanged once more.
import { z } from "zod";
import type { HttpClient } from "./client.js";
import { UpstreamError } from "./errors.js";

export interface TokenCache {
  get(key: string, now: Date): string | undefined;
  set(key: string, token: string, expiresAt: Date): void;
  delete(key: string): void;
}

export function createTokenCache(): TokenCache {
  const entries = new Map<string, { token: string; expiresAt: number }>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now.getTime()) {
        entries.delete(key);
        return undefined;
      }
      return entry.token;
    },
    set(key, token, expiresAt) {
      entries.set(key, { token, expiresAt: expiresAt.getTime() });
    },
    delete(key) {
      entries.delete(key);
    },
  };
}

export interface TokenGrant {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Form fields of the grant, e.g. `{ grant_type: "refresh_token", refresh_token }`. */
  params: Record<string, string>;
  /** Google takes the client in the form body; Trustpilot and Reddit want HTTP Basic. */
  clientAuth: "body" | "basic";
  /** Setting names shown when the token endpoint refuses: which credential to fix. */
  credentials: { grant: string; client: string };
  /** Plain name of the platform for messages. */
  platform: string;
  /** Extra request headers (Reddit wants its own user agent). */
  headers?: Record<string, string>;
}

const tokenResponse = z.union([
  z.object({
    access_token: z.string().min(1),
    // Google sends a number, Trustpilot a numeric string.
    expires_in: z.coerce.number().positive().optional(),
    token_type: z.string().optional(),
  }),
  // Reddit answers a refused grant with HTTP 200 and {"error": "invalid_grant"}.
  z.object({ error: z.string() }),
]);

// Refresh a minute early so a token never expires between the check and the request.
const EXPIRY_MARGIN_MS = 60_000;

export async function grantKey(grant: TokenGrant): Promise<string> {
  const data = new TextEncoder().encode(
    JSON.stringify([grant.tokenUrl, grant.clientId, grant.clientSecret, grant.params]),
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function refused(
  grant: TokenGrant,
  code: unknown,
  description: unknown,
  status: number | undefined,
  cause?: unknown,
) {
  const detail = typeof description === "string" ? ` (${description})` : "";
  if (code === "invalid_grant") {
    return new UpstreamError(
      "auth",
      `${grant.platform} refused the ${grant.credentials.grant}: it has expired or been revoked${detail}. Authorize again and update ${grant.credentials.grant}.`,
      { ...(status ? { status } : {}), cause },
    );
  }
  if (code === "invalid_client" || code === "unauthorized_client" || status === 401) {
    return new UpstreamError(
      "auth",
      `${grant.platform} refused the OAuth client${detail}: check ${grant.credentials.client}.`,
      {
        ...(status ? { status } : {}),
        cause,
      },
    );
  }
  if (typeof code === "string") {
    return new UpstreamError(
      "auth",
      `${grant.platform} refused the token request (${code})${detail}: check ${grant.credentials.grant}.`,
      { ...(status ? { status } : {}), cause },
    );
  }
  return null;
}

export async function getAccessToken(
  http: HttpClient,
  grant: TokenGrant,
  now: Date,
  options: { signal?: AbortSignal | undefined; cache?: TokenCache; fresh?: boolean } = {},
): Promise<string> {
  const cache = options.cache ?? http.tokens;
  const key = await grantKey(grant);
  const cached = options.fresh ? undefined : cache.get(key, now);
  if (cached) return cached;

  const form = new URLSearchParams(grant.params);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
    ...grant.headers,
  };
  if (grant.clientAuth === "basic") {
    headers.authorization = `Basic ${btoa(`${grant.clientId}:${grant.clientSecret}`)}`;
  } else {
    form.set("client_id", grant.clientId);
    form.set("client_secret", grant.clientSecret);
  }

  const body = await http.json(grant.tokenUrl, tokenResponse, {
    method: "POST",
    headers,
    body: form.toString(),
    credential: grant.credentials.client,
    signal: options.signal,
    // RFC 6749 §5.2: the token endpoint answers 400/401 with {"error": "invalid_grant" | "invalid_client" | …}.
    interpretError: ({ status, json, original }) => {
      const object = json && typeof json === "object" ? (json as Record<string, unknown>) : {};
      const nested =
        object.error && typeof object.error === "object"
          ? (object.error as Record<string, unknown>).message
          : undefined;
      const code = typeof object.error === "string" ? object.error : status === 400 ? nested : undefined;
      return refused(grant, code, object.error_description, status, original);
    },
  });
  if ("error" in body) {
    throw (
      refused(grant, body.error, undefined, undefined) ??
      new UpstreamError("auth", `${grant.platform} refused the token request`)
    );
  }
  const lifetimeMs = (body.expires_in ?? 3600) * 1000;
  cache.set(key, body.access_token, new Date(now.getTime() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS)));
  return body.access_token;
}

/** Forgets a token the API has just refused, so the next call exchanges the grant again. */
export async function forgetAccessToken(
  http: HttpClient,
  grant: TokenGrant,
  cache?: TokenCache,
): Promise<void> {
  (cache ?? http.tokens).delete(await grantKey(grant));
}
