// The HTTP client every fetch-based connector uses: a timeout on every request, 429/5xx retried with
// exponential backoff and jitter, rate-limit windows honoured from the source's own headers, and upstream
// payloads validated with zod so a surprise names the field instead of crashing or half-storing a batch.
import type { z } from "zod";
import { ConnectorError } from "./errors.js";

export interface HttpOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors. */
  retries?: number;
  baseDelayMs?: number;
  /** Longest we wait in-process for a rate-limit window; longer waits end the poll and resume on schedule. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  userAgent?: string;
}

export interface RequestOptions extends RequestInit {
  timeoutMs?: number;
  /** Reads the source's own rate-limit headers; returns when the window opens again, or null. */
  rateLimitReset?: (response: Response, now: Date) => Date | null;
  /** Name of the credential to fix when the source answers 401/403. */
  credential?: string;
  /** Overrides the client's retry count, e.g. 0 for a POST that must never be sent twice. */
  retries?: number;
  /** Non-2xx statuses the caller handles itself (e.g. 304 Not Modified). */
  acceptStatus?: number[];
}

export interface HttpClient {
  request(url: string | URL, options?: RequestOptions): Promise<Response>;
  json<T>(url: string | URL, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parses `Retry-After` as seconds or an HTTP date. */
export function retryAfter(response: Response, now: Date): Date | null {
  const value = response.headers.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return new Date(now.getTime() + Math.max(0, seconds) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : new Date(date);
}

export function createHttpClient(options: HttpOptions = {}): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retries = options.retries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const backoff = (attempt: number) => {
    const ceiling = baseDelayMs * 2 ** attempt;
    return ceiling / 2 + random() * (ceiling / 2); // "equal jitter": never zero, never synchronized
  };

  async function request(url: string | URL, init: RequestOptions = {}): Promise<Response> {
    const {
      timeoutMs: perRequestTimeout,
      rateLimitReset,
      credential,
      retries: perRequestRetries,
      acceptStatus,
      ...fetchInit
    } = init;
    const attempts = perRequestRetries ?? retries;
    const headers = new Headers(fetchInit.headers);
    if (options.userAgent && !headers.has("user-agent")) headers.set("user-agent", options.userAgent);
    let lastError: ConnectorError | null = null;

    for (let attempt = 0; attempt <= attempts; attempt++) {
      if (attempt > 0 && lastError) {
        const wait = lastError.options.retryAt
          ? Math.max(0, lastError.options.retryAt.getTime() - Date.now())
          : backoff(attempt - 1);
        if (wait > maxWaitMs) throw lastError;
        await sleep(wait);
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), perRequestTimeout ?? timeoutMs);
      const onOuterAbort = () => controller.abort();
      fetchInit.signal?.addEventListener("abort", onOuterAbort);
      let response: Response;
      try {
        response = await doFetch(url, { ...fetchInit, headers, signal: controller.signal });
      } catch (error) {
        clearTimeout(timer);
        fetchInit.signal?.removeEventListener("abort", onOuterAbort);
        if (fetchInit.signal?.aborted) throw error;
        const timedOut = controller.signal.aborted;
        lastError = new ConnectorError(
          "transient",
          timedOut
            ? `${hostOf(url)} did not answer within ${perRequestTimeout ?? timeoutMs} ms`
            : `could not reach ${hostOf(url)}: ${(error as Error).message}`,
          { cause: error },
        );
        continue;
      }
      clearTimeout(timer);
      fetchInit.signal?.removeEventListener("abort", onOuterAbort);

      if (response.ok || acceptStatus?.includes(response.status)) return response;
      const now = new Date();
      const resetAt = rateLimitReset?.(response, now) ?? retryAfter(response, now);
      await response.body?.cancel().catch(() => {});
      if (response.status === 429) {
        lastError = new ConnectorError("rate_limited", `${hostOf(url)} rate limit reached (HTTP 429)`, {
          status: 429,
          retryAt: resetAt ?? new Date(now.getTime() + backoff(attempt)),
        });
        continue;
      }
      if (response.status >= 500) {
        lastError = new ConnectorError("transient", `${hostOf(url)} answered HTTP ${response.status}`, {
          status: response.status,
          ...(resetAt ? { retryAt: resetAt } : {}),
        });
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new ConnectorError(
          "auth",
          `${hostOf(url)} refused the credentials (HTTP ${response.status}): check ${credential ?? "the source's credentials"}`,
          { status: response.status },
        );
      }
      throw new ConnectorError(
        "config",
        `${hostOf(url)} answered HTTP ${response.status} for ${pathOf(url)}`,
        {
          status: response.status,
        },
      );
    }
    throw lastError ?? new ConnectorError("transient", `request to ${hostOf(url)} failed`);
  }

  async function json<T>(url: string | URL, schema: z.ZodType<T>, init?: RequestOptions): Promise<T> {
    const response = await request(url, init);
    let body: unknown;
    let text = "";
    try {
      text = await response.text();
      body = JSON.parse(text);
    } catch (error) {
      throw new ConnectorError(
        "payload",
        `${hostOf(url)} sent a body that is not JSON (${text.length} bytes, starts ${JSON.stringify(text.slice(0, 40))})`,
        { cause: error },
      );
    }
    return parsePayload(schema, body, hostOf(url));
  }

  return { request, json };
}

/** Validates an upstream payload; the error names the first offending field. */
export function parsePayload<T>(schema: z.ZodType<T>, body: unknown, origin: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : "(root)";
  throw new ConnectorError(
    "payload",
    `${origin} sent an unexpected payload: field \`${field}\` ${issue?.message ?? ""}`,
  );
}

function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return String(url);
  }
}

function pathOf(url: string | URL): string {
  try {
    return new URL(url).pathname;
  } catch {
    return String(url);
  }
}
