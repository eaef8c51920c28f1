// The one HTTP client for every server-side request (connectors, connection tests, OAuth exchanges, Slack and
// collections webhooks). What it guarantees, once, for all of them:
// - the egress policy on the first URL and on every redirect hop (followed here, at most 5), after DNS on Node;
// - one deadline per attempt covering connect, headers, redirects AND the body, and a size cap per response,
//   enforced while streaming;
// - the one retry policy (./retry.ts) for 429, 5xx, timeouts and network errors, honouring the source's reset;
// - error bodies kept on the thrown error (for interpreters and logs, never in its message);
// - zod-validated JSON; an OAuth token cache shared by every connector using this client (./oauth.ts).
import type { z } from "zod";
import { createEgressPolicy, type EgressPolicy } from "./egress.js";
import { UpstreamError } from "./errors.js";
import { createTokenCache, type TokenCache } from "./oauth.js";
import { backoffMs, type RetryPolicy, rateLimitResetAt, retryPolicy, withRetry } from "./retry.js";
import { fetchTransport, nodeTransport, type Transport } from "./transport.js";

export interface HttpOptions extends Partial<RetryPolicy> {
  /** A fetch to send through instead of Node's http (Workers, tests); egress is then checked on names only. */
  fetch?: typeof fetch;
  transport?: Transport;
  /** Operator allow-list (EGRESS_ALLOW), parsed or raw. */
  allow?: EgressPolicy | string;
  /** Whole-request deadline per attempt, body included. */
  timeoutMs?: number;
  /** Size cap per response body. */
  maxBytes?: number;
  userAgent?: string;
}

/** What an interpreter sees of a failed response, to turn it into a more precise error (or null: keep ours). */
export interface UpstreamErrorContext {
  status: number;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  headers: Headers;
  original: UpstreamError;
}
export type ErrorInterpreter = (context: UpstreamErrorContext) => UpstreamError | null;

export interface RequestOptions {
  method?: string;
  headers?: HeadersInit;
  body?: string | Uint8Array;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
  /** Overrides the client's retry count, e.g. 0 for a POST that must never be sent twice. */
  retries?: number;
  /** Name of the credential to fix when the source answers 401/403. */
  credential?: string;
  /** Non-2xx statuses the caller handles itself (e.g. 304 Not Modified). */
  acceptStatus?: number[];
  maxBytes?: number;
  /** Reads the error body of the final failure (Meta, Yelp and Google put the reason there). */
  interpretError?: ErrorInterpreter;
}

export interface HttpClient {
  request(url: string | URL, options?: RequestOptions): Promise<Response>;
  json<T>(url: string | URL, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  /** The same client, its errors naming the source (one poll), sharing policy and token cache. */
  forSource(name: string): HttpClient;
  /**
   * The client as a `fetch` for code that reads statuses itself (Slack and collections webhooks: their senders
   * decide what a status means): one attempt, no retry, every status returned, but the same egress policy on
   * every hop, size cap and deadline (the caller's signal, else the client's). A refused address throws
   * UpstreamError("refused"); a network failure throws TypeError("fetch failed", { cause }) as fetch does.
   */
  fetch: typeof fetch;
  readonly retry: RetryPolicy;
  readonly egress: EgressPolicy;
  readonly tokens: TokenCache;
  readonly timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const ERROR_BODY_CHARS = 2_000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Workers announce themselves in navigator.userAgent; Node 20 has no navigator, Node 21+ says "Node.js/…". */
export function isCloudflareWorkers(): boolean {
  const nav = (globalThis as { navigator?: { userAgent?: unknown } }).navigator;
  return nav?.userAgent === "Cloudflare-Workers";
}

export function createHttpClient(options: HttpOptions = {}): HttpClient {
  const transport =
    options.transport ??
    (options.fetch || isCloudflareWorkers() ? fetchTransport(options.fetch ?? fetch) : nodeTransport());
  const egress =
    typeof options.allow === "object" ? options.allow : createEgressPolicy(options.allow ?? undefined);
  const shared = {
    transport,
    egress,
    retry: retryPolicy(options),
    tokens: createTokenCache(),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    userAgent: options.userAgent,
  };
  return build(shared, null);
}

type Shared = {
  transport: Transport;
  egress: EgressPolicy;
  retry: RetryPolicy;
  tokens: TokenCache;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string | undefined;
};

function build(shared: Shared, source: string | null): HttpClient {
  const who = (url: URL) => (source ? `source "${source}": ${url.host}` : url.host);

  /** One attempt: redirects followed and checked, the whole exchange under one deadline. */
  async function attempt(start: URL, init: RequestOptions): Promise<Response> {
    const timeoutMs = init.timeoutMs ?? shared.timeoutMs;
    const maxBytes = init.maxBytes ?? shared.maxBytes;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const outer = init.signal;
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener("abort", onOuterAbort);
    const headers = new Headers(init.headers);
    if (shared.userAgent && !headers.has("user-agent")) headers.set("user-agent", shared.userAgent);
    let method = (init.method ?? "GET").toUpperCase();
    let body = init.body;
    let url = start;
    try {
      for (let hop = 0; ; hop++) {
        shared.egress.checkUrl(url);
        const raw = await shared.transport.send(
          url,
          { method, headers, ...(body !== undefined ? { body } : {}), signal: controller.signal },
          shared.egress,
        );
        const location = raw.headers.get("location");
        if (REDIRECTS.has(raw.status) && location && !init.acceptStatus?.includes(raw.status)) {
          raw.cancel();
          if (hop >= MAX_REDIRECTS) {
            throw new UpstreamError("config", `${who(start)} redirected more than ${MAX_REDIRECTS} times`);
          }
          const next = new URL(location, url);
          if (next.origin !== url.origin) {
            // Credentials were meant for the first host only.
            headers.delete("authorization");
            headers.delete("cookie");
          }
          if (raw.status === 303 || ((raw.status === 301 || raw.status === 302) && method === "POST")) {
            method = method === "HEAD" ? "HEAD" : "GET";
            body = undefined;
            headers.delete("content-type");
          }
          url = next;
          continue;
        }
        const bytes = await readCapped(raw.body, maxBytes, () => raw.cancel(), who(url));
        const nullBody = raw.status === 204 || raw.status === 205 || raw.status === 304 || method === "HEAD";
        const response = new Response(nullBody ? null : bytes, {
          status: raw.status < 200 || raw.status > 599 ? 502 : raw.status,
          headers: raw.headers,
        });
        Object.defineProperty(response, "url", { value: url.toString() });
        return response;
      }
    } catch (error) {
      if (outer?.aborted) throw outer.reason ?? error;
      if (error instanceof UpstreamError) throw error;
      if (controller.signal.aborted) {
        throw new UpstreamError(
          "transient",
          `${who(url)} did not answer within ${timeoutMs} ms (the deadline covers the whole answer, body included)`,
          { cause: error },
        );
      }
      const reason = (error as Error)?.message ?? String(error);
      throw new UpstreamError("transient", `could not reach ${who(url)}: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }
  }

  async function request(target: string | URL, init: RequestOptions = {}): Promise<Response> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new UpstreamError("config", `"${String(target)}" is not a URL`);
    }
    let last: UpstreamError | null = null;
    try {
      return await withRetry(
        shared.retry,
        async (index) => {
          const response = await attempt(url, init);
          if (response.ok || init.acceptStatus?.includes(response.status)) return response;
          last = await statusError(response, url, init, index);
          throw last;
        },
        {
          ...(init.retries !== undefined ? { retries: init.retries } : {}),
          ...(init.signal ? { signal: init.signal } : {}),
        },
      );
    } catch (error) {
      const failure = last as UpstreamError | null;
      if (error === failure && failure && init.interpretError) {
        const body = failure.options.body ?? "";
        const interpreted = init.interpretError({
          status: failure.options.status ?? 0,
          body,
          json: parseJsonOrUndefined(body),
          headers: failure.options.headers ?? new Headers(),
          original: failure,
        });
        if (interpreted) throw interpreted;
      }
      throw error;
    }
  }

  async function statusError(response: Response, url: URL, init: RequestOptions, index: number) {
    const now = new Date();
    const resetAt = rateLimitResetAt(response.headers, response.status, now);
    const text = await response.text().catch(() => "");
    const extra = {
      status: response.status,
      body: text.slice(0, ERROR_BODY_CHARS),
      headers: response.headers,
    };
    if (response.status === 429) {
      return new UpstreamError("rate_limited", `${who(url)} rate limit reached (HTTP 429)`, {
        ...extra,
        retryAt: resetAt ?? new Date(now.getTime() + backoffMs(shared.retry, index)),
      });
    }
    if (response.status >= 500 || response.status === 408) {
      return new UpstreamError("transient", `${who(url)} answered HTTP ${response.status}`, {
        ...extra,
        ...(resetAt ? { retryAt: resetAt } : {}),
      });
    }
    if (response.status === 401 || response.status === 403) {
      return new UpstreamError(
        "auth",
        `${who(url)} refused the credentials (HTTP ${response.status}): check ${init.credential ?? "the source's credentials"}`,
        extra,
      );
    }
    return new UpstreamError(
      "config",
      `${who(url)} answered HTTP ${response.status} for ${url.pathname}`,
      extra,
    );
  }

  async function json<T>(url: string | URL, schema: z.ZodType<T>, init?: RequestOptions): Promise<T> {
    const response = await request(url, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      // The length, never the content: an upstream's bytes are not echoed to people.
      throw new UpstreamError(
        "payload",
        `${who(new URL(url))} sent a body that is not JSON (${text.length} bytes)`,
        {
          cause: error,
          body: text.slice(0, ERROR_BODY_CHARS),
        },
      );
    }
    return parsePayload(schema, body, who(new URL(url)));
  }

  const asFetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    try {
      const response = await attempt(url, {
        method: init.method ?? "GET",
        headers: init.headers ?? {},
        ...(typeof init.body === "string" || init.body instanceof Uint8Array ? { body: init.body } : {}),
        signal: init.signal ?? undefined,
        // With the caller's signal as the deadline, ours only backs it up.
        ...(init.signal ? { timeoutMs: 10 * 60_000 } : {}),
        ...(init.redirect === "manual" || init.redirect === "error" ? { acceptStatus: [...REDIRECTS] } : {}),
      });
      if (init.redirect === "error" && REDIRECTS.has(response.status)) {
        throw new TypeError("fetch failed", { cause: new Error(`redirected by ${url.host}`) });
      }
      return response;
    } catch (error) {
      if (error instanceof UpstreamError && error.failure === "transient" && error.cause) {
        throw new TypeError("fetch failed", { cause: error.cause });
      }
      throw error;
    }
  }) as typeof fetch;

  return {
    request,
    json,
    fetch: asFetch,
    forSource: (name) => build(shared, name),
    retry: shared.retry,
    egress: shared.egress,
    tokens: shared.tokens,
    timeoutMs: shared.timeoutMs,
  };
}

async function readCapped(
  body: AsyncIterable<Uint8Array> | null,
  maxBytes: number,
  cancel: () => void,
  origin: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      cancel();
      throw new UpstreamError(
        "payload",
        `${origin} sent more than ${formatBytes(maxBytes)}, the cap per response: the answer was cut off and nothing from it was stored`,
      );
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}

export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Validates an upstream payload; the error names the first offending field. */
export function parsePayload<T>(schema: z.ZodType<T>, body: unknown, origin: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : "(root)";
  throw new UpstreamError(
    "payload",
    `${origin} sent an unexpected payload: field \`${field}\` ${issue?.message ?? ""}`,
  );
}
