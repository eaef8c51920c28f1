// What the Facebook and Instagram connectors share about Meta's Graph API: its error codes (throttling,
// retired features, missing permissions, dead tokens), its usage headers, and its cursor paging.
import { z } from "zod";
import { type ErrorInterpreter, parsePayload } from "../src/platform/http/index.js";
import { ConnectorError } from "./errors.js";
import { joinUrl, readSweep, type SweepState, upstreamError } from "./sweep.js";
import type { Cursor, NormalizedMention, PollContext, PollPage } from "./types.js";

export const metaBaseConfig = {
  pageAccessToken: z.string().min(1),
  baseUrl: z.url().default("https://graph.facebook.com"),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'looks like "v24.0"')
    .default("v24.0"),
};

export interface MetaConfigBase {
  pageAccessToken: string;
  baseUrl: string;
  apiVersion: string;
}

const metaErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_msg: z.string().optional(),
  }),
});

/** Throttling codes: 4 app, 17 user, 32 page, 613 custom, 80000–80014 business use case. */
export function isThrottleCode(code: number): boolean {
  return code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80000 && code <= 80099);
}

// Meta's windows roll over an hour; without an estimate we look again in a quarter of an hour.
const DEFAULT_THROTTLE_MS = 15 * 60_000;

export interface MetaUsage {
  /** Highest percentage among X-App-Usage, X-Page-Usage and X-Business-Use-Case-Usage. */
  highestPercent: number;
  /** Longest `estimated_time_to_regain_access` (minutes) in X-Business-Use-Case-Usage. */
  regainMinutes: number;
}

export function readMetaUsage(headers: Headers): MetaUsage {
  let highestPercent = 0;
  let regainMinutes = 0;
  const consider = (entry: unknown) => {
    if (!entry || typeof entry !== "object") return;
    for (const [key, value] of Object.entries(entry)) {
      if (typeof value !== "number") continue;
      if (key === "estimated_time_to_regain_access") regainMinutes = Math.max(regainMinutes, value);
      else if (key === "call_count" || key === "total_cputime" || key === "total_time")
        highestPercent = Math.max(highestPercent, value);
    }
  };
  for (const name of ["x-app-usage", "x-page-usage"]) {
    const parsed = parseHeaderJson(headers.get(name));
    consider(parsed);
  }
  const buc = parseHeaderJson(headers.get("x-business-use-case-usage"));
  if (buc && typeof buc === "object") {
    for (const entries of Object.values(buc)) {
      if (Array.isArray(entries)) for (const entry of entries) consider(entry);
    }
  }
  return { highestPercent, regainMinutes };
}

function parseHeaderJson(value: string | null): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** When the usage headers say we are (or will be) throttled, the instant to look again; otherwise null. */
export function throttledUntil(usage: MetaUsage, now: Date): Date | null {
  if (usage.regainMinutes > 0) return new Date(now.getTime() + usage.regainMinutes * 60_000);
  if (usage.highestPercent >= 100) return new Date(now.getTime() + DEFAULT_THROTTLE_MS);
  return null;
}

/** Above this share of the quota we stop chaining pages and leave the rest to the next scheduled poll. */
export const META_USAGE_SLOWDOWN_PERCENT = 80;

/**
 * Reads a Graph error into plain words. `feature` names what we asked for ("posts the page is tagged in"),
 * `permission` the permission it needs, so a refusal says what to ask Meta for.
 */
export function metaErrors(feature: string, permission: string, retiredAdvice = ""): ErrorInterpreter {
  return ({ status, json, headers, original }) => {
    const parsed = metaErrorBody.safeParse(json);
    if (!parsed.success) return null;
    const { code, error_subcode: subcode } = parsed.data.error;
    const message = parsed.data.error.message ?? "";
    const said = message ? ` Meta said: "${message}"` : "";
    if (code === undefined) return null;
    if (isThrottleCode(code)) {
      const now = new Date();
      const until =
        throttledUntil(readMetaUsage(headers), now) ?? new Date(now.getTime() + DEFAULT_THROTTLE_MS);
      return upstreamError(
        "rate_limited",
        `Meta is throttling this app (error ${code}) while reading ${feature}; polling resumes after ${until.toISOString()}.${said}`,
        original,
        until,
      );
    }
    if (code === 12) {
      return upstreamError(
        "unsupported",
        `Meta has retired ${feature} (error 12: deprecated in this Graph API version), so this source cannot read it any more.${retiredAdvice ? ` ${retiredAdvice}` : ""}${said}`,
        original,
      );
    }
    if (code === 190 || code === 102 || code === 463 || code === 467) {
      return upstreamError(
        "auth",
        `Meta refused the page access token: it is invalid or has expired (error ${code}${subcode ? `/${subcode}` : ""}). Generate a new one and update pageAccessToken.${said}`,
        original,
      );
    }
    if (code === 10 || code === 3 || (code >= 200 && code <= 299) || code === 283) {
      return upstreamError(
        "unsupported",
        `Meta does not let this app read ${feature} (error ${code}): it needs the ${permission} permission approved for this app and granted to pageAccessToken.${said}`,
        original,
      );
    }
    if (code === 100 && subcode === 33) {
      return upstreamError(
        "config",
        `Meta cannot find that object or this token cannot see it (error 100/33): check the page or Instagram user id.${said}`,
        original,
      );
    }
    if (code === 1 || code === 2) {
      return upstreamError("transient", `Meta had a temporary problem (error ${code}).${said}`, original);
    }
    if (status === 401 || status === 403) {
      return upstreamError(
        "auth",
        `Meta refused the request (HTTP ${status}, error ${code}): check pageAccessToken.${said}`,
        original,
      );
    }
    return upstreamError(
      "config",
      `Meta rejected the request for ${feature} (error ${code}).${said}`,
      original,
    );
  };
}

export interface GraphAnswer<T> {
  body: T;
  usage: MetaUsage;
}

/** GET on the Graph API: the token in the Authorization header (never in a URL that could be logged). */
export async function graphGet<T>(
  ctx: PollContext<MetaConfigBase>,
  path: string,
  params: Record<string, string>,
  schema: z.ZodType<T>,
  errors: ErrorInterpreter,
): Promise<GraphAnswer<T>> {
  const url = graphUrl(ctx.config, path);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await ctx.http.request(url, {
    headers: { authorization: `Bearer ${ctx.config.pageAccessToken}`, accept: "application/json" },
    credential: "pageAccessToken",
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    interpretError: errors,
  });
  const usage = readMetaUsage(response.headers);
  let text = "";
  let json: unknown;
  try {
    text = await response.text();
    json = JSON.parse(text);
  } catch (error) {
    throw new ConnectorError(
      "payload",
      `${url.host} sent a body that is not JSON (${text.length} bytes, starts ${JSON.stringify(text.slice(0, 40))})`,
      { cause: error },
    );
  }
  return { body: parsePayload(schema, json, url.host), usage };
}

export function graphUrl(config: MetaConfigBase, path: string): URL {
  return joinUrl(config.baseUrl, `${config.apiVersion}/${path.replace(/^\//, "")}`);
}

export const graphPaging = z
  .object({
    cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
    next: z.string().optional(),
    previous: z.string().optional(),
  })
  .optional();

/**
 * The query of `paging.next` without the token, as a cursor token: we rebuild the URL on our own base so a
 * proxy or test server keeps being used, and the stored cursor never holds a credential.
 */
export function nextPageToken(paging: z.infer<typeof graphPaging>): string | null {
  if (!paging?.next) return null;
  try {
    const next = new URL(paging.next);
    next.searchParams.delete("access_token");
    return next.searchParams.toString();
  } catch {
    return paging.cursors?.after ? new URLSearchParams({ after: paging.cursors.after }).toString() : null;
  }
}

export function paramsFromToken(token: string | null | undefined): Record<string, string> {
  return token ? Object.fromEntries(new URLSearchParams(token)) : {};
}

/** A Graph timestamp: ISO 8601 with a `+0000` offset. */
export const graphTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "is not a timestamp");

/** Refuses to call Meta while an earlier answer told us to wait. */
export function assertNotPaused(cursor: Cursor | null, now: Date): void {
  const paused = typeof cursor?.pausedUntil === "string" ? Date.parse(cursor.pausedUntil) : Number.NaN;
  if (!Number.isNaN(paused) && paused > now.getTime()) {
    throw new ConnectorError(
      "rate_limited",
      `Meta's usage headers reported the quota used up; waiting until ${new Date(paused).toISOString()}.`,
      { retryAt: new Date(paused) },
    );
  }
}

/** The cursor fields that follow from usage: a pause when throttled, and whether chaining pages is wise. */
export function usageOutcome(usage: MetaUsage, now: Date): { pausedUntil: string | null; slowDown: boolean } {
  const until = throttledUntil(usage, now);
  return {
    pausedUntil: until ? until.toISOString() : null,
    slowDown: until !== null || usage.highestPercent >= META_USAGE_SLOWDOWN_PERCENT,
  };
}

export interface EdgeResult {
  mentions: NormalizedMention[];
  state: SweepState;
  done: boolean;
  answer: GraphAnswer<unknown>;
}

export type EdgePoller<Config> = (ctx: PollContext<Config>, state: SweepState) => Promise<EdgeResult>;

/**
 * One poll = one page of one edge. The cursor keeps each edge's sweep and which edge is next; a round ends
 * after the last edge, and usage near the quota ends it early (the schedule brings the rest).
 */
export async function pollEdgeRound<Config, Edge extends string>(
  ctx: PollContext<Config>,
  edges: readonly Edge[],
  pollers: Record<Edge, EdgePoller<Config>>,
): Promise<PollPage> {
  assertNotPaused(ctx.cursor, ctx.now);
  const storedIndex = typeof ctx.cursor?.edge === "number" ? ctx.cursor.edge : 0;
  const index = storedIndex >= 0 && storedIndex < edges.length ? storedIndex : 0;
  const edge = edges[index] as Edge;
  const states: Record<string, SweepState> = {};
  for (const name of Object.keys(pollers)) states[name] = readSweep(ctx.cursor?.[name]);

  const result = await pollers[edge](ctx, states[edge] ?? readSweep(null));
  const usage = usageOutcome(result.answer.usage, ctx.now);
  const roundOver = result.done && index === edges.length - 1;
  const nextIndex = result.done ? (roundOver ? 0 : index + 1) : index;
  return {
    mentions: result.mentions,
    cursor: { ...states, [edge]: result.state, edge: nextIndex, pausedUntil: usage.pausedUntil },
    hasMore: !roundOver && !usage.slowDown,
  };
}

/** The "test connection" answer: each edge either works or says why Meta refuses it. */
export async function probeEdges<Config, Edge extends string>(
  ctx: PollContext<Config>,
  edges: readonly Edge[],
  pollers: Record<Edge, EdgePoller<Config>>,
): Promise<string> {
  const findings: string[] = [];
  for (const edge of edges) {
    try {
      await pollers[edge]({ ...ctx, cursor: null }, readSweep(null));
      findings.push(`${edge}: ok`);
    } catch (error) {
      if (error instanceof ConnectorError && error.failure === "unsupported")
        findings.push(`${edge}: ${error.message}`);
      else throw error;
    }
  }
  return findings.join("; ");
}
