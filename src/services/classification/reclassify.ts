// Reclassification of stored mentions: walks them by id in batches (keyset, so a million rows cost the same per
// batch as ten), classifies each batch with the chosen engine, and per mention writes a `classifications`
// history row and the mention's current columns. A reviewer's correction is never overwritten: the guard sits
// in the UPDATE itself, so a correction made while a batch is being classified still wins.
// Each batch commits together with the position it reached (src/services/classification/reclassify-state.ts):
// an interrupted run, started again with the same options, continues after the last committed batch.
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, gt, gte, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { ClassifyInput, EngineName } from "../../classifier/index.js";
import { atomicBatch, type BatchStatement, inTransaction, isD1 } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import type { SlaMinutes } from "../../db/schema/brands.js";
import { classifications, mentionBrands, mentions, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { slaClockStart, slaDueAt } from "../../domain/sla.js";
import type { Classification, Severity } from "../../domain/taxonomy.js";
import { AppError } from "../../errors.js";
import { type Router, routeStored, type StoredMention } from "../../pipeline/route.js";
import { countKeys, hourOf } from "../../pipeline/store.js";
import { buildClassifier, ClassifierConfigError } from "../../platform/classifier.js";
import { finishRun, startRun } from "../../platform/jobs/job-runs.js";
import { acquireLease, releaseLease } from "../../platform/jobs/lease.js";
import { HUMAN_ENGINE as HUMAN } from "../mentions/correct-classification.js";
import { dbClassificationCache } from "./db-cache.js";
import { moveHourlyCounts } from "./hourly-counts.js";
import {
  addChangedStatement,
  clearPosition,
  loadPosition,
  positionStatement,
  type SavedPosition,
  savePosition,
} from "./reclassify-state.js";

export type EngineResult = Classification & { id?: string; engine: string; version: string };

/** What reclassification needs of a classifier; every engine of src/classifier fits, as does `deps.classifier`. */
export interface ReclassifyClassifier {
  version?: string;
  classify(items: ClassifyInput[]): Promise<EngineResult[]>;
  /** Message Batches for large runs: Claude reports failures per item, hybrid falls back to local for them. */
  classifyBatch?(
    items: ClassifyInput[],
  ): Promise<EngineResult[] | { results: EngineResult[]; failed: { id: string; error: string }[] }>;
}

export type ReclassifyMode =
  /** Only mentions with no classification (stored while the classifier failed, or with none configured). */
  | "unclassified"
  /** Unclassified mentions and those classified by another engine version than the one running now. */
  | "stale"
  /** Every mention in scope. */
  | "all";

export interface ReclassifyProgress {
  /** Mentions in scope that carry a reviewer's correction: left as they are, never sent to the engine. */
  corrected: number;
  /** Mentions in scope when the run started, including those a resumed run had already done. */
  total: number;
  processed: number;
  /** Written with a different category, relevance, severity or flags than before. */
  changed: number;
  /** Skipped: a reviewer's correction (or, rarely, another writer got there first). */
  skipped: number;
  /** The engine gave no answer (a failed Claude batch request); the mention keeps what it had. */
  failed: number;
  lastId: number;
}

export interface ReclassifyResult extends ReclassifyProgress {
  status: "done" | "partial" | "stopped";
  engine: string;
  /** The id the run resumed after, when it continued an interrupted one. */
  resumedAfter: number | null;
  error?: string;
}

export interface ReclassifyOptions {
  /** Mentions created at or after this instant. */
  since?: Date;
  sourceName?: string;
  /** Built from the environment; local when neither this nor `classifier` is given. */
  engine?: EngineName;
  /** A ready classifier (the runtime's, or a test's); wins over `engine`. */
  classifier?: ReclassifyClassifier;
  /** Shorthand for mode "unclassified". */
  onlyUnclassified?: boolean;
  /** Defaults to "stale" ("unclassified" with onlyUnclassified). */
  mode?: ReclassifyMode;
  batchSize?: number;
  /** Use the classifier's Message Batches path; by default when it has one and the run is at least this big. */
  batchApi?: boolean;
  /** Stop (resumably) after this many mentions: keeps a scheduled run short. */
  maxMentions?: number;
  /** Ignore a saved position and start from the first mention. */
  restart?: boolean;
  /** Record the run in job_runs (the scheduler records its own jobs, so they pass false). */
  recordRun?: boolean;
  /**
   * Run for mentions getting their first classification: ingest routed them without one, so an urgent post
   * stored while the classifier failed has raised no alert yet. Only routers that are safe to run twice belong
   * here (the urgent alert's outbox key makes a repeat a no-op).
   */
  lateRouters?: Router[];
  /** Aborting stops the run after the batch in hand is written; running it again resumes. */
  signal?: AbortSignal;
  onProgress?: (progress: ReclassifyProgress) => void;
}

export const DEFAULT_BATCH_SIZE = 500;
/** Below this many mentions a Message Batch (results within hours) is slower than plain calls and saves little. */
export const BATCH_API_MIN_MENTIONS = 200;
/** The lock on a scope: renewed while the run lives (a Message Batch may take hours), so only a dead run loses it. */
const LEASE_MS = 10 * 60_000;
const LEASE_RENEW_MS = 2 * 60_000;

/** Bound parameters per statement: D1 allows 100; libSQL far more, but huge statements buy nothing. */
const D1_MAX_PARAMS = 90;
const LIBSQL_MAX_PARAMS = 2_000;
interface Limits {
  params: number;
  /** Mentions per UPDATE (one JSON parameter; D1 also caps a statement's size). */
  rowsPerUpdate: number;
}

export interface BuiltClassifier {
  classifier: ReclassifyClassifier;
  /** Versions whose results count as current (hybrid answers carry its local or its Claude version). */
  versions: string[];
}

/** The engine by name, configured from the environment (the same settings as ingest). */
export function buildReclassifier(deps: Deps, engine: EngineName): BuiltClassifier {
  try {
    const built = buildClassifier(deps.env, {
      engine,
      ...(deps.http ? { fetch: deps.http.fetch } : {}),
      cache: dbClassificationCache(deps.db),
      onClaudeError: (id, error) =>
        deps.log.warn("claude classification failed; kept the local result", { id, error: String(error) }),
    });
    return { classifier: built.engine, versions: built.versions };
  } catch (error) {
    if (error instanceof ClassifierConfigError) throw new AppError("bad_request", error.message);
    throw error;
  }
}

interface Row {
  id: number;
  text: string;
  reach: number | null;
  category: string | null;
  relevant: boolean | null;
  severity: string | null;
  flags: string[];
  sentiment: number | null;
  confidence: number | null;
  classifiedBy: string | null;
  classifierVersion: string | null;
  classifiedAt: Date | null;
  fetchedAt: Date;
  createdAt: Date;
  sourceId: number;
  brandSla: string | null;
  externalId: string;
  url: string | null;
  authorHandle: string | null;
  authorName: string | null;
  authorId: string | null;
  authorKey: string | null;
  textMasked: string;
  contentHash: string;
  threadId: string | null;
  replyTarget: string | null;
  meta: Record<string, unknown>;
}

export async function reclassifyMentions(
  deps: Deps,
  options: ReclassifyOptions = {},
): Promise<ReclassifyResult> {
  const mode: ReclassifyMode = options.onlyUnclassified ? "unclassified" : (options.mode ?? "stale");
  const built: BuiltClassifier = options.classifier
    ? {
        classifier: options.classifier,
        versions: options.classifier.version ? [options.classifier.version] : [],
      }
    : buildReclassifier(deps, options.engine ?? "local");
  const { classifier, versions } = built;
  const engineLabel = classifier.version ?? options.engine ?? "configured";
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);

  let sourceId: number | undefined;
  if (options.sourceName !== undefined) {
    const [source] = await deps.db
      .select({ id: sources.id })
      .from(sources)
      .where(eq(sources.name, options.sourceName));
    if (!source) throw new AppError("not_found", `no source named "${options.sourceName}"`);
    sourceId = source.id;
  }

  const scope = [
    mode,
    `since=${options.since?.toISOString() ?? "-"}`,
    `source=${options.sourceName ?? "*"}`,
    `engine=${engineLabel}`,
  ].join("|");
  // Unclassified mode needs no saved position: classifying a mention takes it out of the scope.
  const keepsPosition = mode !== "unclassified";

  const isCorrected = sql`coalesce(${mentions.classifiedBy}, '') = ${HUMAN}`;
  const inScope: SQL[] = [];
  if (options.since) inScope.push(gte(mentions.createdAt, options.since));
  if (sourceId !== undefined) inScope.push(eq(mentions.sourceId, sourceId));
  const filters: SQL[] = [sql`NOT (${isCorrected})`, ...inScope];
  if (mode === "unclassified") filters.push(isNull(mentions.classifiedAt));
  if (mode === "stale" && versions.length > 0) {
    filters.push(
      sql`(${mentions.classifiedAt} IS NULL OR coalesce(${mentions.classifierVersion}, '') NOT IN (${sql.join(
        versions.map((v) => sql`${v}`),
        sql`, `,
      )}))`,
    );
  }

  const atomic = deps.database.kind === "d1" || isD1(deps.db);
  const limits: Limits = atomic
    ? { params: D1_MAX_PARAMS, rowsPerUpdate: 100 }
    : { params: LIBSQL_MAX_PARAMS, rowsPerUpdate: 500 };
  const holder = `reclassify:${randomUUID()}`;
  const lockName = `reclassify:${scope}`;
  const startedAt = deps.now();
  if (!(await acquireLease(deps.db, lockName, holder, LEASE_MS, startedAt))) {
    throw new AppError(
      "conflict",
      `another reclassification of the same mentions is running (a crashed one frees them within ${LEASE_MS / 60_000} minutes)`,
    );
  }
  const renewal = setInterval(() => {
    acquireLease(deps.db, lockName, holder, LEASE_MS, deps.now()).catch(() => {});
  }, LEASE_RENEW_MS);
  (renewal as { unref?: () => void }).unref?.();
  try {
    const saved = keepsPosition && !options.restart ? await loadPosition(deps.db, scope, startedAt) : null;
    if (options.restart && keepsPosition) await clearPosition(deps.db, scope);

    const [remaining] = await deps.db
      .select({ n: count() })
      .from(mentions)
      .where(and(gt(mentions.id, saved?.lastId ?? 0), ...filters));
    const [corrected] =
      mode === "unclassified"
        ? [{ n: 0 }]
        : await deps.db
            .select({ n: count() })
            .from(mentions)
            .where(and(isCorrected, ...inScope));
    const toDo = Math.min(remaining?.n ?? 0, options.maxMentions ?? Number.POSITIVE_INFINITY);
    const useBatchApi =
      typeof classifier.classifyBatch === "function" && (options.batchApi ?? toDo >= BATCH_API_MIN_MENTIONS);

    const progress: ReclassifyProgress = {
      corrected: corrected?.n ?? 0,
      total: (saved?.processed ?? 0) + toDo,
      processed: saved?.processed ?? 0,
      changed: saved?.changed ?? 0,
      skipped: 0,
      failed: 0,
      lastId: saved?.lastId ?? 0,
    };
    const runId = options.recordRun === false ? null : await startRun(deps.db, "reclassify", startedAt);
    let doneThisRun = 0;
    let status: ReclassifyResult["status"] = "done";
    let error: string | undefined;
    options.onProgress?.({ ...progress });

    try {
      for (;;) {
        if (options.signal?.aborted) {
          status = "stopped";
          error = "interrupted";
          break;
        }
        const limit = Math.min(batchSize, (options.maxMentions ?? Number.POSITIVE_INFINITY) - doneThisRun);
        if (limit <= 0) {
          status = "partial";
          break;
        }
        const rows = await selectBatch(deps.db, progress.lastId, filters, limit);
        if (rows.length === 0) break;

        const inputs: ClassifyInput[] = rows.map((r) => ({
          id: String(r.id),
          text: r.text,
          ...(r.reach != null ? { reach: r.reach } : {}),
          maskContext: { names: [r.authorName, r.authorHandle] },
        }));
        let answers: Map<number, EngineResult>;
        try {
          answers = await classifyRows(classifier, inputs, useBatchApi);
        } catch (cause) {
          status = "stopped";
          error = cause instanceof Error ? cause.message : String(cause);
          break;
        }

        const now = deps.now();
        const lastId = rows[rows.length - 1]!.id;
        const position = keepsPosition
          ? { lastId, processed: progress.processed + rows.length, changed: progress.changed }
          : null;
        // D1 has no interactive transactions: there the batch is written as one atomic batch of statements
        // fixed in advance (writeBatchAtomically). libSQL keeps its transaction, which reads between writes.
        const outcome = atomic
          ? {
              ...(await writeBatchAtomically(
                deps.db,
                rows,
                answers,
                now,
                options.lateRouters ?? [],
                limits,
                position ? { scope, ...position } : null,
              )),
              lastId,
            }
          : await inTransaction(deps.db, "storing a classification", async (tx) => {
              const written = await writeBatch(
                tx as unknown as Db,
                rows,
                answers,
                now,
                options.lateRouters ?? [],
                limits,
              );
              if (position) {
                await savePosition(
                  tx as unknown as Db,
                  scope,
                  { ...position, changed: position.changed + written.changed },
                  now,
                );
              }
              return { ...written, lastId };
            });
        progress.processed += rows.length;
        progress.changed += outcome.changed;
        progress.skipped += outcome.skipped;
        progress.failed += rows.length - answers.size;
        progress.lastId = outcome.lastId;
        doneThisRun += rows.length;
        options.onProgress?.({ ...progress });
        if (rows.length < limit) break;
      }
      if (status === "done" && keepsPosition) await clearPosition(deps.db, scope);
    } finally {
      if (runId !== null) {
        await finishRun(
          deps.db,
          runId,
          { status: status === "stopped" ? "error" : "ok", items: doneThisRun, ...(error ? { error } : {}) },
          deps.now(),
        );
      }
    }
    return {
      ...progress,
      status,
      engine: engineLabel,
      resumedAfter: saved?.lastId ?? null,
      ...(error ? { error } : {}),
    };
  } finally {
    clearInterval(renewal);
    await releaseLease(deps.db, lockName, holder);
  }
}

async function selectBatch(db: Db, afterId: number, filters: SQL[], limit: number): Promise<Row[]> {
  return db
    .select({
      id: mentions.id,
      text: mentions.text,
      reach: mentions.reach,
      category: mentions.category,
      relevant: mentions.relevant,
      severity: mentions.severity,
      flags: mentions.flags,
      sentiment: mentions.sentiment,
      confidence: mentions.confidence,
      classifiedBy: mentions.classifiedBy,
      classifierVersion: mentions.classifierVersion,
      classifiedAt: mentions.classifiedAt,
      fetchedAt: mentions.fetchedAt,
      createdAt: mentions.createdAt,
      sourceId: mentions.sourceId,
      externalId: mentions.externalId,
      url: mentions.url,
      authorHandle: mentions.authorHandle,
      authorName: mentions.authorName,
      authorId: mentions.authorId,
      authorKey: mentions.authorKey,
      textMasked: mentions.textMasked,
      contentHash: mentions.contentHash,
      threadId: mentions.threadId,
      replyTarget: mentions.replyTarget,
      meta: mentions.meta,
      // The SLA overrides of the mention's first brand, as a correction uses them.
      brandSla: sql<
        string | null
      >`(SELECT b.sla_minutes FROM mention_brands mb JOIN brands b ON b.id = mb.brand_id WHERE mb.mention_id = mentions.id ORDER BY mb.brand_id LIMIT 1)`,
    })
    .from(mentions)
    .where(and(gt(mentions.id, afterId), ...filters))
    .orderBy(asc(mentions.id))
    .limit(limit);
}

/** Answers by mention id; a mention missing from the map had no answer. */
async function classifyRows(
  classifier: ReclassifyClassifier,
  inputs: ClassifyInput[],
  useBatchApi: boolean,
): Promise<Map<number, EngineResult>> {
  if (useBatchApi && classifier.classifyBatch) {
    const outcome = await classifier.classifyBatch(inputs);
    const results = Array.isArray(outcome) ? outcome : outcome.results;
    return byId(inputs, results);
  }
  return byId(inputs, await classifier.classify(inputs));
}

function byId(inputs: ClassifyInput[], results: EngineResult[]): Map<number, EngineResult> {
  const map = new Map<number, EngineResult>();
  for (const [i, result] of results.entries()) {
    // Engines that report ids may leave some out (failures); the pipeline's interface answers in order.
    const id = result.id ?? inputs[i]?.id;
    if (id !== undefined) map.set(Number(id), result);
  }
  return map;
}

function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");
}

/** The answers worth writing: new values, or another engine version; a mention without an answer keeps what it had. */
function candidatesOf(rows: Row[], answers: Map<number, EngineResult>): Candidate[] {
  const candidates: Candidate[] = [];
  for (const row of rows) {
    const answer = answers.get(row.id);
    if (!answer) continue;
    const flags = [...new Set(answer.flags)];
    const differs =
      row.category !== answer.category ||
      row.relevant !== answer.relevant ||
      row.severity !== answer.severity ||
      !sameFlags(row.flags, flags);
    // The same engine version with the same answer: nothing new to record.
    if (!differs && row.classifierVersion === answer.version && row.sentiment === answer.sentiment) continue;

    const brandSla = row.brandSla ? (JSON.parse(row.brandSla) as SlaMinutes) : {};
    const due = slaDueAt(
      answer.severity as Severity,
      answer.relevant,
      slaClockStart(row.createdAt, row.fetchedAt),
      brandSla,
    );
    candidates.push({ row, answer: { ...answer, flags }, differs, due });
  }
  return candidates;
}

async function writeBatch(
  db: Db,
  rows: Row[],
  answers: Map<number, EngineResult>,
  now: Date,
  lateRouters: Router[],
  limits: Limits,
) {
  let changed = 0;
  let skipped = 0;
  const movedCategory: { row: Row; to: string }[] = [];
  const firstClassified: { row: Row; answer: EngineResult }[] = [];
  const written: { row: Row; answer: EngineResult }[] = [];
  const candidates = candidatesOf(rows, answers);

  const updatedIds = new Set<number>();
  for (let i = 0; i < candidates.length; i += limits.rowsPerUpdate) {
    for (const id of await updateMentions(db, candidates.slice(i, i + limits.rowsPerUpdate), now)) {
      updatedIds.add(id);
    }
  }
  for (const { row, answer, differs } of candidates) {
    if (!updatedIds.has(row.id)) {
      skipped++;
      continue;
    }
    written.push({ row, answer });
    if (differs) changed++;
    if (row.category !== answer.category) movedCategory.push({ row, to: answer.category });
    if (row.classifiedAt === null) firstClassified.push({ row, answer });
  }
  await recordHistory(db, written, now, limits);
  await moveHourlyCounts(db, movedCategory, limits.params);
  if (lateRouters.length > 0 && firstClassified.length > 0)
    for (let i = 0; i < firstClassified.length; i += limits.params) {
      await routeLate(db, lateRouters, firstClassified.slice(i, i + limits.params), now);
    }
  return { changed, skipped };
}

/** The stored mention as the routers see it at ingest, rebuilt from its row. */
async function routeLate(db: Db, routers: Router[], items: { row: Row; answer: EngineResult }[], now: Date) {
  const links = await db
    .select({ mentionId: mentionBrands.mentionId, brandId: mentionBrands.brandId })
    .from(mentionBrands)
    .where(
      inArray(
        mentionBrands.mentionId,
        items.map((i) => i.row.id),
      ),
    )
    .orderBy(asc(mentionBrands.brandId));
  const bySource = new Map<number, StoredMention[]>();
  for (const { row, answer } of items) {
    const { id: _id, engine, version, ...rest } = answer;
    const stored: StoredMention = {
      id: row.id,
      prepared: {
        mention: {
          externalId: row.externalId,
          text: row.text,
          createdAt: row.createdAt,
          url: row.url,
          authorHandle: row.authorHandle,
          authorName: row.authorName,
          authorId: row.authorId,
          reach: row.reach,
          threadId: row.threadId,
          replyTarget: row.replyTarget,
          meta: row.meta,
        },
        textMasked: row.textMasked,
        contentHash: row.contentHash,
        authorKey: row.authorKey,
        brandIds: links.filter((l) => l.mentionId === row.id).map((l) => l.brandId),
        classification: { ...rest, engine, version },
      },
    };
    bySource.set(row.sourceId, [...(bySource.get(row.sourceId) ?? []), stored]);
  }
  for (const [sourceId, stored] of bySource) await routeStored(routers, db, stored, { sourceId, now });
}

interface Candidate {
  row: Row;
  answer: EngineResult;
  differs: boolean;
  due: Date | null;
}

/** The new values of a chunk of candidates, as the one JSON parameter the statements below read. */
function updatePayload(candidates: Candidate[], extra?: (c: Candidate) => Record<string, unknown>): string {
  return JSON.stringify(
    candidates.map((c) => ({
      id: c.row.id,
      expected: c.row.classifiedAt ? c.row.classifiedAt.getTime() : null,
      category: c.answer.category,
      relevant: c.answer.relevant,
      severity: c.answer.severity,
      flags: JSON.stringify(c.answer.flags),
      sentiment: c.answer.sentiment,
      confidence: c.answer.confidence,
      engine: c.answer.engine,
      version: c.answer.version,
      due: c.due ? c.due.getTime() : null,
      ...extra?.(c),
    })),
  );
}

/** The payload as rows (`kept`, `moves` and `differs` are only there on the atomic-batch path). */
const payloadRows = (payload: string) => sql`
  SELECT value ->> '$.id' AS id, value ->> '$.expected' AS expected, value ->> '$.category' AS category,
    value ->> '$.relevant' AS relevant, value ->> '$.severity' AS severity, value ->> '$.flags' AS flags,
    value ->> '$.sentiment' AS sentiment, value ->> '$.confidence' AS confidence,
    value ->> '$.engine' AS engine, value ->> '$.version' AS version, value ->> '$.due' AS due,
    value ->> '$.kept' AS kept, value ->> '$.moves' AS moves, value ->> '$.differs' AS differs
  FROM json_each(${payload})`;

/**
 * One UPDATE for many mentions, their new values passed as one JSON parameter (so D1's limit of 100 bound
 * parameters never bites). Guards: no correction (on the mention or as the latest history row), and nobody wrote
 * since we read (classified_at as read). The SLA clock only moves for mentions nobody has started on; its start
 * stays when we first saw the post. RETURNING the ids written.
 */
const updateStatement = (db: Db, payload: string, now: Date) =>
  db.all<{ id: number }>(sql`
    UPDATE mentions SET
      category = v.category, relevant = v.relevant, severity = v.severity, flags = v.flags,
      sentiment = v.sentiment, confidence = v.confidence, classified_by = v.engine,
      classifier_version = v.version, classified_at = ${now.getTime()},
      sla_due_at = CASE WHEN mentions.status = 'new' THEN v.due ELSE mentions.sla_due_at END
    FROM (${payloadRows(payload)}) AS v
    WHERE mentions.id = v.id
      AND mentions.classified_at IS v.expected
      AND coalesce(mentions.classified_by, '') <> ${HUMAN}
      AND coalesce((SELECT c.engine FROM classifications c WHERE c.mention_id = mentions.id ORDER BY c.id DESC LIMIT 1), '') <> ${HUMAN}
    RETURNING id`);

async function updateMentions(db: Db, candidates: Candidate[], now: Date): Promise<number[]> {
  if (candidates.length === 0) return [];
  const rows = await updateStatement(db, updatePayload(candidates), now);
  return rows.map((r) => Number(r.id));
}

/**
 * The payload's rows that this batch's UPDATE wrote, as `w`, for the statements after it in the same atomic
 * batch (they cannot read its RETURNING). The UPDATE leaves its mark: classified_at = now and exactly the new
 * values. A candidate already had none of that before (an unchanged answer of the same version is no candidate),
 * and a row the UPDATE skipped keeps what it had (a person's correction says classified_by = human), so the mark
 * means "written by this batch".
 */
const writtenRows = (payload: string, now: Date) => sql`(
  SELECT v.* FROM (${payloadRows(payload)}) AS v JOIN mentions m ON m.id = v.id
  WHERE m.classified_at = ${now.getTime()} AND m.classified_by IS v.engine AND m.classifier_version IS v.version
    AND m.category IS v.category AND m.relevant IS v.relevant AND m.severity IS v.severity AND m.flags IS v.flags
    AND m.sentiment IS v.sentiment AND m.confidence IS v.confidence
) AS w`;

/** Ids from an `UPDATE … RETURNING id` run in a batch, as libSQL (objects or arrays) and D1 report rows. */
function returnedIds(result: unknown): number[] {
  const r = result as { rows?: unknown[]; results?: unknown[] } | unknown[] | undefined;
  const rows = Array.isArray(r) ? r : (r?.rows ?? r?.results ?? []);
  return rows.map((row) => Number(Array.isArray(row) ? row[0] : (row as { id: unknown }).id));
}

/**
 * The D1 shape of writeBatch: every write of a batch (mentions, history, hourly counts, the run's position) in
 * ONE atomic batch of statements fixed in advance, each later statement acting only on the rows the guarded
 * UPDATE wrote (writtenRows). The late routers run before the batch, against the database as ingest on D1 runs
 * them (src/pipeline/store.ts storePageOnD1): a crash after them repeats them on the next run, and their outbox
 * keys make the repeat a no-op, whereas routing after the commit could lose the alert. They run for the mentions
 * about to get their first classification; one a person corrects in the moment between is alerted on its
 * engine answer, as ingest would have.
 */
async function writeBatchAtomically(
  db: Db,
  rows: Row[],
  answers: Map<number, EngineResult>,
  now: Date,
  lateRouters: Router[],
  limits: Limits,
  position: (SavedPosition & { scope: string }) | null,
): Promise<{ changed: number; skipped: number }> {
  const candidates = candidatesOf(rows, answers);
  const firstClassified = candidates.filter((c) => c.row.classifiedAt === null);
  if (lateRouters.length > 0)
    for (let i = 0; i < firstClassified.length; i += limits.params) {
      await routeLate(db, lateRouters, firstClassified.slice(i, i + limits.params), now);
    }

  // Links to brands, read before the batch, for the hourly counts of mentions whose category moves.
  const moving = candidates.filter((c) => c.row.category !== c.answer.category).map((c) => c.row.id);
  const brandsOf = new Map<number, number[]>();
  for (let i = 0; i < moving.length; i += limits.params) {
    const links = await db
      .select({ mentionId: mentionBrands.mentionId, brandId: mentionBrands.brandId })
      .from(mentionBrands)
      .where(inArray(mentionBrands.mentionId, moving.slice(i, i + limits.params)));
    for (const l of links) brandsOf.set(l.mentionId, [...(brandsOf.get(l.mentionId) ?? []), l.brandId]);
  }

  const statements: BatchStatement[] = [];
  if (position) {
    const { scope, ...saved } = position;
    statements.push(positionStatement(db, scope, saved, now));
  }
  const updates: number[] = [];
  for (let i = 0; i < candidates.length; i += limits.rowsPerUpdate) {
    const chunk = candidates.slice(i, i + limits.rowsPerUpdate);
    const payload = updatePayload(chunk, ({ row, answer, differs }) => ({
      differs: differs ? 1 : 0,
      // Ingest writes only the mention's columns: its decision goes into the history before the first change.
      kept:
        row.classifiedAt && row.category && row.severity
          ? {
              category: row.category,
              relevant: row.relevant ?? row.category !== "not_collections",
              severity: row.severity,
              flags: JSON.stringify(row.flags),
              sentiment: row.sentiment ?? 0,
              confidence: row.confidence ?? 0,
              engine: row.classifiedBy ?? "unknown",
              version: row.classifierVersion ?? "unknown",
              at: row.classifiedAt.getTime(),
            }
          : null,
      // The brand × category × source count moves from the old category to the new (the brand-wide one stays).
      moves:
        row.category === answer.category
          ? []
          : (brandsOf.get(row.id) ?? []).flatMap((brandId) => [
              {
                key: countKeys(brandId, row.category, row.sourceId)[1],
                hour: hourOf(row.createdAt).getTime(),
                delta: -1,
              },
              {
                key: countKeys(brandId, answer.category, row.sourceId)[1],
                hour: hourOf(row.createdAt).getTime(),
                delta: 1,
              },
            ]),
    }));
    const written = writtenRows(payload, now);
    updates.push(statements.length);
    statements.push(updateStatement(db, payload, now));
    // The kept ingest decision first: its NOT EXISTS must not see the new answer's row.
    statements.push(
      db.run(sql`
        INSERT INTO classifications (mention_id, category, relevant, severity, flags, sentiment, confidence, engine, version, created_at)
        SELECT w.id, w.kept ->> '$.category', w.kept ->> '$.relevant', w.kept ->> '$.severity', w.kept ->> '$.flags',
          w.kept ->> '$.sentiment', w.kept ->> '$.confidence', w.kept ->> '$.engine', w.kept ->> '$.version', w.kept ->> '$.at'
        FROM ${written}
        WHERE w.kept IS NOT NULL AND NOT EXISTS (SELECT 1 FROM classifications c WHERE c.mention_id = w.id)`),
      db.run(sql`
        INSERT INTO classifications (mention_id, category, relevant, severity, flags, sentiment, confidence, engine, version, created_at)
        SELECT w.id, w.category, w.relevant, w.severity, w.flags, w.sentiment, w.confidence, w.engine, w.version, ${now.getTime()}
        FROM ${written}`),
    );
    if (chunk.some((c) => c.row.category !== c.answer.category)) {
      const deltas = sql`(
        SELECT mv.value ->> '$.key' AS key, mv.value ->> '$.hour' AS hour, sum(mv.value ->> '$.delta') AS delta
        FROM ${written}, json_each(w.moves) AS mv GROUP BY 1, 2
      ) AS d`;
      statements.push(
        db.run(sql`
          UPDATE hourly_counts SET count = max(hourly_counts.count + d.delta, 0)
          FROM ${deltas}
          WHERE hourly_counts.key = d.key AND hourly_counts.hour = d.hour AND d.delta < 0`),
        db.run(sql`
          INSERT INTO hourly_counts (key, hour, count)
          SELECT d.key, d.hour, d.delta FROM ${deltas} WHERE d.delta > 0
          ON CONFLICT (key, hour) DO UPDATE SET count = hourly_counts.count + excluded.count`),
      );
    }
    if (position)
      statements.push(
        addChangedStatement(db, position.scope, sql`SELECT count(*) FROM ${written} WHERE w.differs = 1`),
      );
  }
  if (statements.length === 0) return { changed: 0, skipped: 0 };
  const results = await atomicBatch(db, statements);

  const updatedIds = new Set(updates.flatMap((index) => returnedIds(results[index])));
  let changed = 0;
  let skipped = 0;
  for (const { row, differs } of candidates) {
    if (!updatedIds.has(row.id)) skipped++;
    else if (differs) changed++;
  }
  return { changed, skipped };
}

/** History rows for a batch, in a few multi-row inserts rather than one statement per mention. */
async function recordHistory(
  db: Db,
  written: { row: Row; answer: EngineResult }[],
  now: Date,
  limits: Limits,
): Promise<void> {
  if (written.length === 0) return;
  const withHistory = new Set<number>();
  for (let i = 0; i < written.length; i += limits.params) {
    const ids = written.slice(i, i + limits.params).map((w) => w.row.id);
    const rows = await db
      .selectDistinct({ mentionId: classifications.mentionId })
      .from(classifications)
      .where(inArray(classifications.mentionId, ids));
    for (const r of rows) withHistory.add(r.mentionId);
  }
  const values: (typeof classifications.$inferInsert)[] = [];
  for (const { row, answer } of written) {
    // Ingest writes only the mention's columns: keep its decision in the history before the first change.
    if (row.classifiedAt && row.category && row.severity && !withHistory.has(row.id)) {
      values.push({
        mentionId: row.id,
        category: row.category,
        relevant: row.relevant ?? row.category !== "not_collections",
        severity: row.severity,
        flags: row.flags,
        sentiment: row.sentiment ?? 0,
        confidence: row.confidence ?? 0,
        engine: row.classifiedBy ?? "unknown",
        version: row.classifierVersion ?? "unknown",
        createdAt: row.classifiedAt,
      });
    }
    values.push({
      mentionId: row.id,
      category: answer.category,
      relevant: answer.relevant,
      severity: answer.severity,
      flags: answer.flags,
      sentiment: answer.sentiment,
      confidence: answer.confidence,
      engine: answer.engine,
      version: answer.version,
      createdAt: now,
    });
  }
  const perInsert = Math.max(1, Math.floor(limits.params / 12)); // 12 columns per history row
  for (let i = 0; i < values.length; i += perInsert) {
    await db.insert(classifications).values(values.slice(i, i + perInsert));
  }
}
