// `rapport backfill --source <name> --since <date>`: fetch a source's history back to a date, page by page.
// Each page is stored with the backfill cursor in one transaction (src/pipeline/poll.ts keeps it apart from
// the live cursor), so an interrupted backfill resumes where it stopped when run again with the same --since.
import { Presets, SingleBar } from "cli-progress";
import { and, eq, gte, sql } from "drizzle-orm";
import { mentions, sources } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { pollSource, type SourceRow, type StoredCursor } from "../pipeline/poll.js";
import type { HttpClient } from "../platform/http/index.js";
import { findSourceByName } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

export interface BackfillProgress {
  stored: number;
  duplicates: number;
  pages: number;
  /** How far back the backfill has reached, 0..1 of the way from now to `since`; null before the first page. */
  fraction: number | null;
  done: boolean;
}

export interface BackfillOptions {
  since: Date;
  /** Pages fetched per pipeline run; progress is reported between runs and on every stored page. */
  pagesPerRun?: number;
  /** Longest wait for a rate-limit window or backoff before stopping (the backfill then resumes later). */
  maxWaitMs?: number;
  /** Consecutive failed runs before giving up. */
  maxFailures?: number;
  sleep?: (ms: number) => Promise<void>;
  http?: HttpClient;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillResult extends BackfillProgress {
  status: "done" | "stopped";
  error?: string;
  /** When stopped by a long rate-limit window: when running the same command again makes sense. */
  resumeAfter?: Date;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function reload(deps: Deps, id: number): Promise<SourceRow> {
  const [row] = await deps.db.select().from(sources).where(eq(sources.id, id));
  if (!row) throw new AppError("not_found", `source ${id} disappeared during the backfill`);
  return row;
}

/** Oldest stored mention at or after `since`: how far back the backfill has reached (newest-first sources). */
async function reachedBack(deps: Deps, sourceId: number, since: Date, now: Date): Promise<number | null> {
  const [row] = await deps.db
    .select({ oldest: sql<number | null>`min(${mentions.createdAt})` })
    .from(mentions)
    .where(and(eq(mentions.sourceId, sourceId), gte(mentions.createdAt, since)));
  if (row?.oldest == null) return null;
  const span = now.getTime() - since.getTime();
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (now.getTime() - Number(row.oldest)) / span));
}

export async function runBackfill(
  deps: Deps,
  source: SourceRow,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const sleep = options.sleep ?? defaultSleep;
  const maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
  const maxFailures = options.maxFailures ?? 5;
  const sinceKey = options.since.toISOString();
  const progress: BackfillProgress = { stored: 0, duplicates: 0, pages: 0, fraction: null, done: false };
  let failures = 0;

  let current = source;
  for (;;) {
    const before = progress.stored;
    const outcome = await pollSource(deps, current, {
      since: options.since,
      force: true,
      maxPages: options.pagesPerRun ?? 20,
      now: deps.now(),
      ...(options.http ? { http: options.http } : {}),
      onProgress: (stored) => options.onProgress?.({ ...progress, stored: before + stored }),
    });
    progress.stored += outcome.inserted;
    progress.duplicates += outcome.duplicates;
    progress.pages += outcome.pages;
    const after = await reload(deps, source.id);
    current = after;
    const backfill = (after.cursor as StoredCursor | null)?.backfill;
    progress.done = backfill?.since === sinceKey && backfill.done === true;
    if (options.onProgress) {
      progress.fraction = progress.done ? 1 : await reachedBack(deps, source.id, options.since, deps.now());
      options.onProgress({ ...progress });
    }

    if (outcome.status !== "error") {
      failures = 0;
      if (progress.done) return { ...progress, status: "done" };
      continue;
    }
    failures++;
    const wait = after.backoffUntil ? after.backoffUntil.getTime() - deps.now().getTime() : 0;
    // A refused credential, a retired feature or a wrong address will not heal by waiting: stop and say which.
    const needsPerson =
      after.health === "auth_error" ||
      after.health === "unsupported" ||
      outcome.failure === "refused" || // the egress policy: only an operator's EGRESS_ALLOW changes that
      outcome.failure === "config";
    if (needsPerson || failures >= maxFailures || wait > maxWaitMs) {
      return {
        ...progress,
        status: "stopped",
        ...(outcome.error ? { error: outcome.error } : {}),
        ...(after.backoffUntil ? { resumeAfter: after.backoffUntil } : {}),
      };
    }
    await sleep(Math.max(0, wait));
  }
}

/** `2026-11-01` (midnight UTC) or a full ISO instant. */
export function parseSince(value: string, now: Date): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--since "${value}" is not a date (use YYYY-MM-DD)`);
  if (date.getTime() >= now.getTime()) throw new UsageError(`--since ${value} is not in the past`);
  return date;
}

export const backfillCommand: Command = {
  name: "backfill",
  sendsLinks: true,
  usage: "backfill --source <name> --since <YYYY-MM-DD> [--pages-per-run <n>]",
  summary: "Fetch a source's history back to a date (resumes when run again with the same --since)",
  async run(args, ctx) {
    const { values } = parseCliArgs(
      args,
      { source: { type: "string" }, since: { type: "string" }, "pages-per-run": { type: "string" } },
      false,
    );
    if (!values.source) throw new UsageError("missing --source");
    if (!values.since) throw new UsageError("missing --since");
    const pagesPerRun = values["pages-per-run"] ? Number(values["pages-per-run"]) : undefined;
    if (pagesPerRun !== undefined && (!Number.isInteger(pagesPerRun) || pagesPerRun < 1)) {
      throw new UsageError("--pages-per-run must be a positive whole number");
    }
    const deps = await ctx.deps();
    const since = parseSince(values.since, deps.now());
    const source = await findSourceByName(deps, values.source);
    if (!source)
      throw new AppError("not_found", `no source named "${values.source}" (see \`rapport sources list\`)`);

    const stored = (source.cursor as StoredCursor | null)?.backfill;
    if (stored?.since === since.toISOString() && !stored.done) {
      ctx.stdout.write(`Resuming the unfinished backfill of ${source.name} since ${values.since}.\n`);
    }

    const tty = Boolean(ctx.stderr.isTTY);
    const bar = tty
      ? new SingleBar(
          {
            format: `${source.name} |{bar}| {percentage}% reached back · {stored} new · {pages} pages`,
            stream: ctx.stderr,
            hideCursor: true,
          },
          Presets.shades_classic,
        )
      : null;
    bar?.start(100, 0, { stored: 0, pages: 0 });
    let lastLine = 0;
    const result = await runBackfill(deps, source, {
      since,
      ...(pagesPerRun ? { pagesPerRun } : {}),
      onProgress(p) {
        const percent = Math.round((p.fraction ?? 0) * 100);
        if (bar) bar.update(percent, { stored: p.stored, pages: p.pages });
        else if (p.pages !== lastLine) {
          lastLine = p.pages;
          ctx.stdout.write(
            `${source.name}: ${p.pages} pages, ${p.stored} new, ${percent}% of the way back\n`,
          );
        }
      },
    });
    bar?.stop();

    if (result.status === "done") {
      ctx.stdout.write(
        `${source.name}: backfill since ${values.since} complete — ${result.stored} new, ${result.duplicates} already stored, ${result.pages} pages\n`,
      );
      return 0;
    }
    const resume = result.resumeAfter ? ` after ${result.resumeAfter.toISOString()}` : "";
    ctx.stderr.write(
      `${source.name}: backfill stopped — ${result.error ?? "unknown error"}\n` +
        `${result.stored} new mentions are stored; run the same command again${resume} to resume.\n`,
    );
    return 1;
  },
};
