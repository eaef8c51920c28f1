// Poll one source: fetch pages from its connector and store each page with its cursor (src/pipeline/store.ts).
// A failing source backs off and shows as unhealthy; it never stops the others.
import { eq } from "drizzle-orm";
import { ConnectorError, isConnectorError } from "../../connectors/errors.js";
import { connectorFor } from "../../connectors/index.js";
import type { Cursor } from "../../connectors/types.js";
import { sources } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { openCredentials } from "../platform/credentials.js";
import { type HttpClient, httpClientFromEnv } from "../platform/http/index.js";
import { finishRun, startRun } from "../platform/jobs/job-runs.js";
import { withLease } from "../platform/jobs/lease.js";
import { loadIngestContext } from "./context.js";
import { ingestPage } from "./ingest.js";

export type SourceRow = typeof sources.$inferSelect;

/** The stored cursor keeps live polling and a backfill apart, so a backfill never moves the live position. */
export interface StoredCursor {
  live?: Cursor | null;
  backfill?: { since: string; cursor: Cursor | null; done?: boolean } | null;
}

export interface PollOptions {
  now?: Date;
  /** Backfill from this instant (resumes an unfinished backfill with the same `since`). */
  since?: Date;
  maxPages?: number;
  http?: HttpClient;
  /** Ignore the backoff window (manual `rapport poll`). */
  force?: boolean;
  onProgress?: (stored: number) => void;
  /**
   * Deadline for the whole poll of this source (every page); past it the poll stops where it is (pages stored so
   * far stay, with their cursor) and the source backs off, so one stuck upstream cannot hold the others.
   */
  deadlineMs?: number;
  /** Ends the poll early from outside (the deadline uses it too). */
  signal?: AbortSignal;
}

export const POLL_DEADLINE_MS = 2 * 60_000;

/**
 * Polls one source under its lease, so two processes (or the scheduler and a "Poll now") never poll it at once;
 * `ran: false` when someone else is polling it right now. The lease outlives the deadline by a minute, so a live
 * poll never loses it and a crashed holder frees it soon after.
 */
export function pollSourceLeased(
  deps: Deps,
  source: SourceRow,
  now: Date,
  holder: string,
  options: Omit<PollOptions, "now"> = {},
) {
  const ttl = (options.deadlineMs ?? POLL_DEADLINE_MS) + 60_000;
  return withLease(deps.db, `poll:${source.id}`, holder, ttl, now, () =>
    pollSource(deps, source, { now, ...options }),
  );
}

export interface PollOutcome {
  sourceId: number;
  status: "ok" | "error" | "skipped";
  inserted: number;
  duplicates: number;
  pages: number;
  /** Items the connector skipped (each reason is logged). */
  skipped: number;
  error?: string;
  /** Why it failed (ConnectorError's kind): decides whether waiting can help. */
  failure?: string;
}

const MAX_BACKOFF_MS = 60 * 60_000;

export function backoffDelay(consecutiveFailures: number): number {
  return Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** Math.max(0, consecutiveFailures - 1));
}

export async function pollSource(
  deps: Deps,
  source: SourceRow,
  options: PollOptions = {},
): Promise<PollOutcome> {
  const now = options.now ?? deps.now();
  const outcome: PollOutcome = {
    sourceId: source.id,
    status: "ok",
    inserted: 0,
    duplicates: 0,
    pages: 0,
    skipped: 0,
  };
  if (!options.force && source.backoffUntil && source.backoffUntil.getTime() > now.getTime()) {
    return { ...outcome, status: "skipped" };
  }
  const runId = await startRun(deps.db, options.since ? "backfill" : "poll", now, source.id);
  const deadlineMs = options.deadlineMs ?? POLL_DEADLINE_MS;
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onOuterAbort);
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  // Settles when the deadline passes even if a connector ignores the signal: the job never waits on it.
  const deadline = new Promise<never>((_, reject) => {
    deadlineTimer = setTimeout(() => {
      controller.abort();
      reject(
        new ConnectorError(
          "transient",
          `source "${source.name}" did not finish within its ${Math.round(deadlineMs / 1000)} s poll deadline`,
        ),
      );
    }, deadlineMs);
  });
  deadline.catch(() => {});
  const withinDeadline = <T>(work: Promise<T>) => Promise.race([work, deadline]);
  try {
    const connector = connectorFor(source.type);
    if (!connector) throw new ConnectorError("config", `no connector for source type "${source.type}"`);
    const parsed = connector.configSchema.safeParse(
      await openCredentials(source.config as Record<string, unknown>, deps.env.RAPPORT_SECRET, source.name),
    );
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConnectorError(
        "config",
        `source "${source.name}" has invalid configuration: \`${issue?.path.join(".") || "(config)"}\` ${issue?.message ?? ""}`,
      );
    }
    const ingest = await loadIngestContext(deps, source);
    const http = (options.http ?? deps.http ?? httpClientFromEnv(deps.env)).forSource(source.name);

    const stored = (source.cursor ?? {}) as StoredCursor;
    const backfillSince = options.since?.toISOString();
    let cursor: Cursor | null =
      backfillSince === undefined
        ? (stored.live ?? null)
        : stored.backfill?.since === backfillSince && !stored.backfill.done
          ? stored.backfill.cursor
          : null;
    const maxPages = options.maxPages ?? 50;
    let firstSkipped: string | undefined;

    for (let page = 0; page < maxPages; page++) {
      if (controller.signal.aborted) await deadline;
      const result = await withinDeadline(
        connector.poll({
          config: parsed.data,
          cursor,
          http,
          now,
          signal: controller.signal,
          ...(options.since ? { since: options.since } : {}),
        }),
      );
      const next: StoredCursor =
        backfillSince === undefined
          ? { ...stored, live: result.cursor }
          : { ...stored, backfill: { since: backfillSince, cursor: result.cursor, done: !result.hasMore } };
      const { inserted, duplicates } = await ingestPage(deps, ingest, result.mentions, {
        sourceId: source.id,
        now,
        cursor: { value: next as Record<string, unknown> },
      });
      for (const reason of result.skipped ?? []) {
        deps.log.warn("poll skipped an item", { source: source.name, type: source.type, reason });
      }
      outcome.skipped += result.skipped?.length ?? 0;
      firstSkipped ??= result.skipped?.[0];
      Object.assign(stored, next);
      cursor = result.cursor;
      outcome.pages++;
      outcome.inserted += inserted.length;
      outcome.duplicates += duplicates;
      options.onProgress?.(outcome.inserted);
      if (!result.hasMore) break;
    }

    await deps.db
      .update(sources)
      .set({
        health: "ok",
        lastRunAt: now,
        lastSuccessAt: now,
        lastItems: outcome.inserted,
        // A healthy poll that had to skip items says so on the Sources page (the reasons are in the log).
        lastError: outcome.skipped > 0 ? `${outcome.skipped} item(s) skipped: ${firstSkipped}` : null,
        consecutiveFailures: 0,
        backoffUntil: null,
      })
      .where(eq(sources.id, source.id));
    await finishRun(deps.db, runId, { status: "ok", items: outcome.inserted }, deps.now());
    return outcome;
  } catch (error) {
    const message = describeFailure(error);
    const failures = source.consecutiveFailures + 1;
    const failure = isConnectorError(error) ? error.failure : "transient";
    const retryAt = isConnectorError(error) ? error.options.retryAt : undefined;
    const backoffUntil = retryAt ?? new Date(now.getTime() + backoffDelay(failures));
    await deps.db
      .update(sources)
      .set({
        health: failure === "auth" ? "auth_error" : failure === "unsupported" ? "unsupported" : "failing",
        lastRunAt: now,
        lastItems: outcome.inserted,
        lastError: message,
        consecutiveFailures: failures,
        backoffUntil,
      })
      .where(eq(sources.id, source.id));
    await finishRun(deps.db, runId, { status: "error", items: outcome.inserted, error: message }, deps.now());
    deps.log.warn("poll failed", { source: source.name, type: source.type, failure, error: message });
    return { ...outcome, status: "error", error: message, failure };
  } finally {
    clearTimeout(deadlineTimer);
    options.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/** Plain words for the Sources page; never a stack trace, never a credential. */
export function describeFailure(error: unknown): string {
  if (isConnectorError(error)) {
    const retry = error.options.retryAt ? ` (will retry after ${error.options.retryAt.toISOString()})` : "";
    return `${error.message}${retry}`;
  }
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return "unexpected error";
}
