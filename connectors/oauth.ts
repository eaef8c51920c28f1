// OAuth 2.0 token exchange for connectors that hold a long-lived grant (Google refresh token, Trustpilot
// business-user login) and need short-lived access tokens. Tokens are cached per grant until shortly before
// they expire, so a poll of several pages exchanges once.
import { createHash } from "node:crypto";
import { z } from "zod";
import { ConnectorError } from "./errors.js";
import type { HttpClient } from "./http.js";
import { errorField, fetchJson } from "./upstream.js";

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
  /** Google takes the client in the form body; Trustpilot wants HTTP Basic. */
  clientAuth: "body" | "basic";
  /** Setting names shown when the token endpoint refuses: which credential to fix. */
  credentials: { grant: string; client: string };
  /** Plain name of the platform for messages. */
  platform: string;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  // Google sends a number, Trustpilot a numeric string.
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

// Refresh a minute early so a token never expires between the check and the request.
const EXPIRY_MARGIN_MS = 60_000;

export function grantKey(grant: TokenGrant): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([grant.tokenUrl, grant.clientId, grant.clientSecret, grant.params]))
    .digest("hex");
  return digest.slice(0, 32);
}

export async function getAccessToken(
  http: HttpClient,
  cache: TokenCache,
  grant: TokenGrant,
  now: Date,
  signal?: AbortSignal,
): Promise<string> {
  const key = grantKey(grant);
  const cached = cache.get(key, now);
  if (cached) return cached;

  const form = new URLSearchParams(grant.params);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  if (grant.clientAuth === "basic") {
    headers.authorization = `Basic ${Buffer.from(`${grant.clientId}:${grant.clientSecret}`).toString("base64")}`;
  } else {
    form.set("client_id", grant.clientId);
    form.set("client_secret", grant.clientSecret);
  }

  const body = await fetchJson(
    http,
    grant.tokenUrl,
    tokenResponse,
    {
      method: "POST",
      headers,
      body: form.toString(),
      credential: grant.credentials.client,
      ...(signal ? { signal } : {}),
    },
    ({ status, json, original }) => {
      // RFC 6749 §5.2: the token endpoint answers 400/401 with {"error": "invalid_grant" | "invalid_client" | …}.
      const code =
        json && typeof json === "object" && "error" in json ? (json as { error: unknown }).error : undefined;
      const description =
        json && typeof json === "object"
          ? (json as { error_description?: unknown }).error_description
          : undefined;
      const detail = typeof description === "string" ? ` (${description})` : "";
      if (code === "invalid_grant") {
        return new ConnectorError(
          "auth",
          `${grant.platform} refused the ${grant.credentials.grant}: it has expired or been revoked${detail}. Authorize again and update ${grant.credentials.grant}.`,
          { status, cause: original },
        );
      }
      if (code === "invalid_client" || code === "unauthorized_client" || status === 401) {
        return new ConnectorError(
          "auth",
          `${grant.platform} refused the OAuth client${detail}: check ${grant.credentials.client}.`,
          { status, cause: original },
        );
      }
      const nested = errorField(json, "message");
      if (status === 400 && (typeof code === "string" || typeof nested === "string")) {
        return new ConnectorError(
          "auth",
          `${grant.platform} refused the token request (${String(code ?? nested)})${detail}: check ${grant.credentials.grant}.`,
          { status, cause: original },
        );
      }
      return null;
    },
  );
  const lifetimeMs = (body.expires_in ?? 3600) * 1000;
  cache.set(key, body.access_token, new Date(now.getTime() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS)));
  return body.access_token;
}

/** Forgets a token the API has just refused, so the next call exchanges the grant again. */
export function forgetAccessToken(cache: TokenCache, grant: TokenGrant): void {
  cache.delete(grantKey(grant));
}
