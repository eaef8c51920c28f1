// The X connector's fetch transport. twitter-api-v2 calls Node's `https.request`, which Cloudflare Workers do
// not run, so the same two calls (recent search with a bearer token, POST /2/tweets signed with OAuth 1.0a)
// also exist on plain fetch through the platform's HTTP client. Both transports hand back the same shapes and
// throw errors that connectors/x.ts maps the same way, and both run under the same retry policy (x.ts wraps
// every call in the platform's withRetry; this transport makes one attempt per call).
import { createHmac, randomBytes } from "node:crypto";
import {
  type HttpClient,
  isCloudflareWorkers,
  isUpstreamError,
  parseJsonOrUndefined,
} from "../src/platform/http/index.js";
import { ConnectorError } from "./errors.js";

const X_API_ROOT = "https://api.x.com/2/";

export type XTransportName = "library" | "fetch";

export interface XResponse {
  data: unknown;
  /** X's rate-limit headers (read by the platform's one reset parser). */
  headers: Headers;
}

export interface XUserKeys {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface XTransport {
  readonly name: XTransportName;
  get(path: string, query: Record<string, string | number>, bearerToken: string): Promise<XResponse>;
  post(path: string, body: unknown, keys: XUserKeys): Promise<unknown>;
}

/** X answered with an HTTP error: the fetch path's counterpart of twitter-api-v2's ApiResponseError. */
export class XResponseError extends Error {
  constructor(
    readonly code: number,
    readonly data: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`Request failed with code ${code}`);
    this.name = "XResponseError";
  }
}

export { isCloudflareWorkers };

/**
 * Workers cannot run the library at all, so there the configured choice gives way to fetch; so does a custom
 * API root (an egress proxy), which only the fetch path can reach.
 */
export function chooseXTransport(
  configured: XTransportName | undefined,
  onWorkers: boolean,
  customApiRoot = false,
): XTransportName {
  if (onWorkers || customApiRoot) return "fetch";
  return configured ?? "library";
}

// ---------------------------------------------------------------------------------------------- fetch

/**
 * One attempt through the platform client (retries: 0; x.ts owns the loop). An error status arrives as the
 * client's error carrying X's body and headers, and becomes the same error the library throws.
 */
async function once<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUpstreamError(error) && error.options.status !== undefined) {
      const body = error.options.body ?? "";
      throw new XResponseError(
        error.options.status,
        parseJsonOrUndefined(body) ?? body,
        Object.fromEntries(error.options.headers ?? new Headers()),
      );
    }
    throw error;
  }
}

export function fetchTransport(
  http: HttpClient,
  timeoutMs: number,
  signal?: AbortSignal,
  apiRoot = X_API_ROOT,
): XTransport {
  // A relative path resolves under the root only when the root ends in a slash.
  const root = apiRoot.endsWith("/") ? apiRoot : `${apiRoot}/`;
  return {
    name: "fetch",
    async get(path, query, bearerToken) {
      const url = new URL(path, root);
      for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
      const response = await once(() =>
        http.request(url, {
          headers: { authorization: `Bearer ${bearerToken}` },
          timeoutMs,
          retries: 0,
          signal,
        }),
      );
      return { data: await readJson(response), headers: response.headers };
    },
    async post(path, body, keys) {
      const url = new URL(path, root);
      const response = await once(() =>
        http.request(url, {
          method: "POST",
          headers: {
            authorization: oauth1Header("POST", url, keys),
            "content-type": "application/json; charset=UTF-8",
          },
          body: JSON.stringify(body),
          timeoutMs,
          retries: 0,
          signal,
        }),
      );
      return readJson(response);
    },
  };
}

/** JSON by content type, otherwise the text, as twitter-api-v2 reads a body. */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return text;
  if (!text.length) return undefined;
  const data = parseJsonOrUndefined(text);
  if (data === undefined) {
    throw new ConnectorError("payload", `X sent a body that is not JSON (${text.length} bytes)`);
  }
  return data;
}

// ---------------------------------------------------------------------------------------------- OAuth 1.0a

/** RFC 3986 percent-encoding, which OAuth 1.0a requires (encodeURIComponent leaves !'()* alone). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export interface OAuth1Options {
  nonce?: string;
  /** Unix seconds. */
  timestamp?: number;
  /** Form-encoded body parameters, which are signed too; a JSON body is not. */
  bodyParams?: Record<string, string>;
}

/** HMAC-SHA1 signature of a request (RFC 5849 §3.4): query, body and oauth_* parameters, sorted. */
export function oauth1Signature(
  method: string,
  url: URL,
  oauthParams: Record<string, string>,
  keys: Pick<XUserKeys, "appSecret" | "accessSecret">,
  bodyParams: Record<string, string> = {},
): string {
  const pairs: [string, string][] = [
    ...[...url.searchParams].map(([k, v]): [string, string] => [percentEncode(k), percentEncode(v)]),
    ...Object.entries(bodyParams).map(([k, v]): [string, string] => [percentEncode(k), percentEncode(v)]),
    ...Object.entries(oauthParams).map(([k, v]): [string, string] => [percentEncode(k), percentEncode(v)]),
  ];
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const parameterString = pairs.map(([k, v]) => `${k}=${v}`).join("&");
  const baseUrl = `${url.protocol}//${url.host}${url.pathname}`;
  const base = [method.toUpperCase(), percentEncode(baseUrl), percentEncode(parameterString)].join("&");
  const signingKey = `${percentEncode(keys.appSecret)}&${percentEncode(keys.accessSecret)}`;
  return createHmac("sha1", signingKey).update(base).digest("base64");
}

/** The `Authorization: OAuth …` header for a request made as the brand account. */
export function oauth1Header(method: string, url: URL, keys: XUserKeys, options: OAuth1Options = {}): string {
  const oauthParams: Record<string, string> = {
    oauth_consumer_key: keys.appKey,
    oauth_nonce: options.nonce ?? randomBytes(16).toString("hex"),
    oauth_signature_method: "HMAC-SHA1",
    oauth_timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_token: keys.accessToken,
    oauth_version: "1.0",
  };
  const signature = oauth1Signature(method, url, oauthParams, keys, options.bodyParams);
  const fields = { ...oauthParams, oauth_signature: signature };
  return `OAuth ${Object.entries(fields)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
    .join(", ")}`;
}
