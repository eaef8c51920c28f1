// Mentions from files: JSONL or CSV exports from anywhere without an API (BBB, Glassdoor, app stores).
// `id,text` are required; `author,url,created_at,rating` optional. A bad row is reported by line number with
// the reason and skipped; good rows still land, before and after it. Used by `rapport import` and by `file`
// sources that read a drop file on a schedule (the cursor is the line of the last row taken).
//
// Files come from spreadsheets and other people's exports: a UTF-8 byte-order mark is dropped, a file that is
// not valid UTF-8 is read as Latin-1 (Windows-1252, what Excel writes) with a warning instead of turning every
// accented letter into U+FFFD, and a CSV row with an unbalanced quote is one bad row, not the end of the file.
import { createReadStream } from "node:fs";
import { z } from "zod";
import { httpUrlOrNull } from "../src/domain/urls.js";
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
  // Anything but an absolute http(s) URL (javascript:, data:, relative) is dropped, never stored.
  url: z
    .string()
    .optional()
    .nullable()
    .transform((v) => httpUrlOrNull(v)),
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

/** A stored-to-be mention, a rejected row, or something the person should know about a row that was kept. */
export type FileRow =
  | { line: number; mention: NormalizedMention }
  | { line: number; error: string }
  | { line: number; warning: string };

export function fileFormat(path: string): "jsonl" | "csv" {
  if (/\.csv$/i.test(path)) return "csv";
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return "jsonl";
  throw new ConnectorError("config", `cannot tell the format of ${path}: name it .jsonl or .csv`);
}

function toMention(record: unknown, line: number, fallbackDate: Date): FileRow[] {
  const parsed = fileRowSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "row";
    return [{ line, error: `\`${field}\` ${issue.message}` }];
  }
  const row = parsed.data;
  const rawUrl = (record as { url?: unknown }).url;
  const rows: FileRow[] = [];
  if (typeof rawUrl === "string" && rawUrl.trim() !== "" && row.url === null) {
    rows.push({
      line,
      warning: `\`url\` ${JSON.stringify(rawUrl.slice(0, 40))} is not an http(s) URL: the row is kept without it`,
    });
  }
  rows.push({
    line,
    mention: {
      externalId: row.id,
      text: row.text,
      authorHandle: row.author || null,
      authorName: row.author || null,
      url: row.url,
      createdAt: row.created_at ?? fallbackDate,
      rating: row.rating,
      threadId: row.id,
    },
  });
  return rows;
}

export type FileEncoding = "utf-8" | "windows-1252";

/** UTF-8 when every byte sequence is valid UTF-8 (ASCII included); otherwise the file is Latin-1/Windows-1252. */
export async function detectEncoding(path: string): Promise<FileEncoding> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of createReadStream(path)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return "utf-8";
  } catch (error) {
    if (error instanceof TypeError) return "windows-1252";
    throw error;
  }
}

/** Physical lines, decoded, without the BOM (TextDecoder drops it) and without CR of CRLF endings. */
async function* decodedLines(path: string, encoding: FileEncoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  // Pieces of the current line: joined once when its newline arrives, so a 10 MB line costs one pass.
  let carry: string[] = [];
  const finish = (piece: string) => {
    const line = carry.length ? carry.join("") + piece : piece;
    carry = [];
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  for await (const chunk of createReadStream(path)) {
    const parts = decoder.decode(chunk as Buffer, { stream: true }).split("\n");
    for (let i = 0; i < parts.length - 1; i++) yield finish(parts[i]!);
    carry.push(parts[parts.length - 1]!);
  }
  const rest = finish(decoder.decode());
  if (rest !== "") yield rest;
}

/** A quoted field may span lines; past this many a quote is taken to be unbalanced, not a long text. */
const MAX_RECORD_LINES = 200;

type CsvRecord = { line: number; fields: string[] } | { line: number; error: string };

/**
 * RFC 4180 records from lines: quoted fields may hold commas, line breaks and "" (a quote); a quote inside an
 * unquoted field is taken literally. A record that does not parse is reported at the line it starts on, and the
 * lines after that line are read again as new records, so one stray quote costs one row. Each line is re-read
 * at most MAX_RECORD_LINES times: linear in the file.
 */
async function* csvRecords(lines: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const source = lines[Symbol.asyncIterator]();
  const pushedBack: { n: number; text: string }[] = [];
  let read = 0;
  const nextLine = async () => {
    if (pushedBack.length) return pushedBack.shift()!;
    const next = await source.next();
    return next.done ? null : { n: ++read, text: next.value };
  };
  for (;;) {
    const first = await nextLine();
    if (!first) return;
    if (first.text.trim() === "") continue;
    const taken = [first];
    const fields: string[] = [];
    let field = "";
    let inQuotes = false;
    let afterQuote = false;
    let error: string | null = null;
    let current: { n: number; text: string } | null = first;
    while (current) {
      const text = current.text;
      for (let i = 0; i < text.length && !error; i++) {
        const ch = text[i]!;
        if (inQuotes) {
          if (ch !== '"') field += ch;
          else if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else {
            inQuotes = false;
            afterQuote = true;
          }
        } else if (ch === ",") {
          fields.push(field);
          field = "";
          afterQuote = false;
        } else if (afterQuote) {
          if (ch !== " " && ch !== "\t")
            error = `unbalanced quote: a closing " on line ${current.n} is followed by ${JSON.stringify(ch)} instead of a comma (write a quote inside a quoted field as "")`;
        } else if (ch === '"' && field === "") inQuotes = true;
        else field += ch;
      }
      if (error || !inQuotes) break;
      if (taken.length >= MAX_RECORD_LINES) {
        error = `unbalanced quote: the quoted field opened on line ${first.n} does not close within ${MAX_RECORD_LINES} lines`;
        break;
      }
      field += "\n";
      current = await nextLine();
      if (current) taken.push(current);
    }
    if (!error && inQuotes)
      error = `unbalanced quote: the quoted field opened on line ${first.n} never closes (a stray "? write it as "" inside quotes)`;
    if (error) {
      yield { line: first.n, error };
      pushedBack.unshift(...taken.slice(1));
      continue;
    }
    fields.push(field);
    yield { line: first.n, fields };
  }
}

/**
 * Reads a mentions file row by row, skipping rows that start on or before line `skipLines` (resume). Rows carry
 * the line they start on.
 */
export async function* readMentionFile(path: string, now: Date, skipLines = 0): AsyncGenerator<FileRow> {
  const format = fileFormat(path);
  const encoding = await detectEncoding(path);
  if (encoding !== "utf-8" && skipLines === 0) {
    yield {
      line: 1,
      warning:
        "the file is not valid UTF-8: read as Latin-1 (Windows-1252). If letters look wrong, save it as UTF-8 and import again",
    };
  }
  const lines = decodedLines(path, encoding);
  if (format === "jsonl") {
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
      yield* toMention(record, line, now);
    }
    return;
  }
  let columns: string[] | null = null;
  for await (const record of csvRecords(lines)) {
    if (!columns) {
      if ("error" in record)
        throw new ConnectorError(
          "config",
          `the CSV header (line ${record.line}) does not parse: ${record.error}`,
        );
      columns = record.fields.map((h) => h.trim().toLowerCase());
      continue;
    }
    if (record.line <= skipLines) continue;
    if ("error" in record) {
      yield record;
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((name, i) => {
      const value = record.fields[i];
      if (value !== undefined && name !== "") row[name] = value;
    });
    yield* toMention(row, record.line, now);
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
