// The demo source: replays the real public complaint text bundled in data/demo/mentions.jsonl (see its
// README) with timestamps moved to the recent past, so a fresh `npm start` shows a live feed without credentials.
// The first poll releases a backlog spread over the past days; every later poll releases a few more, dated in
// the minutes before `now`. Output depends only on the file, the config, the cursor and `now`.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConnectorError } from "./errors.js";
import type { Connector, NormalizedMention, PollContext, PollPage } from "./types.js";

export const DEFAULT_DEMO_FILE = "data/demo/mentions.jsonl";
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Later releases are spread over the time since the previous one, within these bounds. */
const MIN_RELEASE_WINDOW_MS = MINUTE_MS;
const MAX_RELEASE_WINDOW_MS = 5 * MINUTE_MS;

export const demoConfigSchema = z.object({
  /** JSONL built by scripts/build-demo-data.ts; a relative path is taken from the repository root. */
  file: z.string().trim().min(1).default(DEFAULT_DEMO_FILE),
  /** Mentions released by every poll after the first. */
  releasePerRun: z.number().int().min(1).max(500).default(5),
  /** Mentions released by the first poll, dated over the past `backlogDays`. */
  backlog: z.number().int().min(0).max(5000).default(120),
  backlogDays: z.number().positive().max(90).default(7),
  /** Only rows of these segments (`company`, `medical`, `auto`): one demo source per demo brand. */
  segments: z.array(z.string().min(1)).min(1).optional(),
});
export type DemoConfig = z.infer<typeof demoConfigSchema>;

export const demoRowSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  kind: z.enum(["review", "post", "complaint"]),
  segment: z.string().min(1),
  author: z.string().min(1),
  rating: z.number().int().min(1).max(5).nullable(),
  truncated: z.boolean().optional(),
  source_file: z.string(),
  source_repo: z.string(),
  source_commit: z.string(),
  source_path: z.string(),
  original_id: z.string(),
});
export type DemoRow = z.infer<typeof demoRowSchema>;

export const demoCursorSchema = z.object({
  /** Rows released so far, counting every cycle through the file: the next row is `released % rows`. */
  released: z.number().int().min(0),
  /** When the last release was dated up to; the next one fills the time since. */
  lastReleaseAt: z.iso.datetime(),
});
export type DemoCursor = z.infer<typeof demoCursorSchema>;

/** Resolved at poll time, not at import: the registry is also loaded on Workers, where there is no file URL. */
export function resolveDemoFile(file: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", file);
}

export async function loadDemoRows(config: Pick<DemoConfig, "file" | "segments">): Promise<DemoRow[]> {
  const path = resolveDemoFile(config.file);
  let body: string;
  try {
    body = await readFile(path, "utf8");
  } catch (error) {
    throw new ConnectorError("config", `demo data file ${path} cannot be read`, { cause: error });
  }
  const rows: DemoRow[] = [];
  for (const [index, line] of body.split("\n").entries()) {
    if (!line.trim()) continue;
    let parsed: ReturnType<typeof demoRowSchema.safeParse>;
    try {
      parsed = demoRowSchema.safeParse(JSON.parse(line));
    } catch {
      throw new ConnectorError("payload", `demo data file ${path} line ${index + 1} is not JSON`);
    }
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConnectorError(
        "payload",
        `demo data file ${path} line ${index + 1}: \`${issue?.path.join(".")}\` ${issue?.message ?? "is invalid"}`,
      );
    }
    rows.push(parsed.data);
  }
  const segments = config.segments ? new Set(config.segments) : null;
  const selected = segments ? rows.filter((r) => segments.has(r.segment)) : rows;
  if (selected.length === 0) {
    const which = config.segments ? ` in segments ${config.segments.join(", ")}` : "";
    throw new ConnectorError("config", `demo data file ${path} has no rows${which}`);
  }
  return selected;
}

/** A fixed fraction in [0, 1) per row, so released timestamps look irregular yet repeat exactly. */
function jitter(key: string): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** The external id is stable per row; each pass through the file after the first gets a cycle suffix. */
export function demoExternalId(row: DemoRow, cycle: number): string {
  return cycle === 0 ? `demo-${row.id}` : `demo-${row.id}-c${cycle + 1}`;
}

function toMention(row: DemoRow, cycle: number, createdAt: Date): NormalizedMention {
  const externalId = demoExternalId(row, cycle);
  return {
    externalId,
    url: null,
    authorHandle: row.author,
    authorName: null,
    text: row.text,
    createdAt,
    rating: row.kind === "review" ? row.rating : null,
    language: "en",
    threadId: externalId,
    meta: {
      demo: true,
      kind: row.kind,
      cycle: cycle + 1,
      provenance: {
        file: row.source_file,
        repo: row.source_repo,
        commit: row.source_commit,
        path: row.source_path,
        id: row.original_id,
        truncated: row.truncated ?? false,
      },
    },
  };
}

/**
 * Dates `count` releases evenly over [start, end), each nudged within its own slot so the order is kept and
 * nothing lands after `end`.
 */
function spread(count: number, start: number, end: number, keys: string[]): Date[] {
  const slot = (end - start) / count;
  return keys.map((key, i) => new Date(Math.floor(start + slot * (i + 0.1 + 0.8 * jitter(key)))));
}

export function releaseDemoMentions(
  rows: DemoRow[],
  config: DemoConfig,
  cursor: DemoCursor | null,
  now: Date,
): PollPage {
  const nowMs = now.getTime();
  const first = cursor === null;
  const released = cursor?.released ?? 0;
  const count = first && config.backlog > 0 ? config.backlog : config.releasePerRun;

  const picks = Array.from({ length: count }, (_, k) => {
    const position = released + k;
    const row = rows[position % rows.length] as DemoRow;
    return { row, cycle: Math.floor(position / rows.length) };
  });
  const keys = picks.map(({ row, cycle }) => `${row.id}:${cycle}`);

  let start: number;
  if (first) {
    start = nowMs - config.backlogDays * DAY_MS;
  } else {
    const since = nowMs - Date.parse((cursor as DemoCursor).lastReleaseAt);
    start = nowMs - Math.min(MAX_RELEASE_WINDOW_MS, Math.max(MIN_RELEASE_WINDOW_MS, since));
  }
  const dates = spread(count, start, nowMs, keys);

  return {
    mentions: picks.map(({ row, cycle }, i) => toMention(row, cycle, dates[i] as Date)),
    cursor: { released: released + count, lastReleaseAt: now.toISOString() } satisfies DemoCursor,
    hasMore: false,
  };
}

export const demoConnector: Connector<DemoConfig> = {
  type: "demo",
  label: "Demo replay (bundled public complaints)",
  configSchema: demoConfigSchema as z.ZodType<DemoConfig>,
  notice:
    "Replays real public complaint text bundled in data/demo (CFPB complaints, CDCP comments) with made-up " +
    "handles and timestamps moved to the recent past. Not a live platform: replies are copied, never posted.",
  async poll(ctx: PollContext<DemoConfig>): Promise<PollPage> {
    let cursor: DemoCursor | null = null;
    if (ctx.cursor !== null) {
      const parsed = demoCursorSchema.safeParse(ctx.cursor);
      if (!parsed.success)
        throw new ConnectorError("config", "the demo source's stored cursor is not understood");
      cursor = parsed.data;
    }
    const rows = await loadDemoRows(ctx.config);
    return releaseDemoMentions(rows, ctx.config, cursor, ctx.now);
  },
  async testConnection(ctx: PollContext<DemoConfig>): Promise<string> {
    const rows = await loadDemoRows(ctx.config);
    return `${rows.length} demo mentions ready to replay`;
  },
};
