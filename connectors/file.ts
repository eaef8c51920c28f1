// Mentions from files: JSONL or CSV exports from anywhere without an API (BBB, Glassdoor, app stores).
// `id,text` are required; `author,url,created_at,rating` optional. A bad row is reported by line number with
// the reason and skipped; good rows still land. Used by `rapport import` and by `file` sources that read a
// drop file on a schedule (the cursor is the number of lines already taken).
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parse as parseCsv } from "csv-parse";
import { z } from "zod";
import { ConnectorError } from "./errors.js";
import type { Connector, NormalizedMention } from "./types.js";

const optionalText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .optional()
  .nullable();

export const fileRowSchema = z.object({
  id: z.union([z.string().trim().min(1, "is empty"), z.number()]).transform(String),
  text: z.string({ error: "is required" }).trim().min(1, "is empty"),
  author: optionalText,
  url: z
    .union([z.url({ protocol: /^https?$/, error: "is not an http(s) URL" }), z.literal("")])
    .optional()
    .nullable(),
  created_at: z
    .union([z.string(), z.number()])
    .optional()
    .nullable()
    .transform((v, ctx) => {
      if (v === undefined || v === null || v === "") return null;
      const date = typeof v === "number" ? new Date(v < 1e12 ? v * 1000 : v) : new Date(v);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: `is not a date (use ISO-8601, e.g. 2026-11-22T09:00:00Z)` });
        return z.NEVER;
      }
      return date;
    }),
  rating: z
    .union([z.number(), z.string()])
    .optional()
    .nullable()
    .transform((v, ctx) => {
      if (v === undefined || v === null || v === "") return null;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 5) {
        ctx.addIssue({ code: "custom", message: "must be a number from 0 to 5" });
        return z.NEVER;
      }
      return n;
    }),
});

export type FileRow = { line: number; mention: NormalizedMention } | { line: number; error: string };

export function fileFormat(path: string): "jsonl" | "csv" {
  if (/\.csv$/i.test(path)) return "csv";
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return "jsonl";
  throw new ConnectorError("config", `cannot tell the format of ${path}: name it .jsonl or .csv`);
}

function toMention(record: unknown, line: number, fallbackDate: Date): FileRow {
  const parsed = fileRowSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "row";
    return { line, error: `\`${field}\` ${issue.message}` };
  }
  const row = parsed.data;
  return {
    line,
    mention: {
      externalId: row.id,
      text: row.text,
      authorHandle: row.author || null,
      authorName: row.author || null,
      url: row.url || null,
      createdAt: row.created_at ?? fallbackDate,
      rating: row.rating,
      threadId: row.id,
    },
  };
}

/** Reads a mentions file row by row, skipping the first `skipLines` data lines (resume). */
export async function* readMentionFile(path: string, now: Date, skipLines = 0): AsyncGenerator<FileRow> {
  const format = fileFormat(path);
  if (format === "jsonl") {
    const lines = createInterface({
      input: createReadStream(path, { encoding: "utf8" }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (line <= skipLines) continue;
      if (!text.trim()) continue;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        yield { line, error: `not valid JSON (${(error as Error).message})` };
        continue;
      }
      yield toMention(record, line, now);
    }
    return;
  }
  const parser = createReadStream(path).pipe(
    parseCsv({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    if (info.lines <= skipLines) continue;
    yield toMention(record, info.lines, now);
  }
}

export const fileConfigSchema = z.object({
  /** A file that another tool rewrites or appends to; read from where the last run stopped. */
  path: z.string().min(1, "is required: the JSONL or CSV file to read"),
  pageSize: z.number().int().positive().max(10_000).default(1_000),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;

export const fileConnector: Connector<FileConfig> = {
  type: "file",
  label: "File (JSONL / CSV)",
  configSchema: fileConfigSchema,
  notice: "Bad rows are skipped; run `rapport import` on the file to see each one with its line number.",
  async poll({ config, cursor, now }) {
    const start = typeof cursor?.line === "number" ? cursor.line : 0;
    const mentions: NormalizedMention[] = [];
    let last = start;
    let hasMore = false;
    try {
      for await (const row of readMentionFile(config.path, now, start)) {
        if (mentions.length >= config.pageSize) {
          hasMore = true;
          break;
        }
        last = row.line;
        if ("mention" in row) mentions.push(row.mention);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new ConnectorError("config", `file ${config.path} does not exist`);
      }
      throw error;
    }
    return { mentions, cursor: { line: last }, hasMore };
  },
};
