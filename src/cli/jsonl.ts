import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { z } from "zod";

/** A row that passed the schema but not a check the schema cannot express; the text follows "line N: ". */
export interface RowError {
  error: string;
}

/**
 * Reads JSONL input for the CLI contracts: every line validated with `schema`, then `convert`ed; a bad line
 * becomes an error naming its line number and the shape expected, so the caller can refuse the input as a whole.
 */
export async function readJsonl<T, U = T>(
  stream: Readable,
  schema: z.ZodType<T>,
  shape: string,
  convert: (row: T) => U | RowError = (row) => row as unknown as U,
): Promise<{ rows: U[]; errors: string[] }> {
  const rows: U[] = [];
  const errors: string[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      errors.push(`line ${lineNumber}: not valid JSON`);
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const what = parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ");
      errors.push(`line ${lineNumber}: expected ${shape} (${what})`);
      continue;
    }
    const row = convert(parsed.data);
    if (typeof row === "object" && row !== null && "error" in row) {
      errors.push(`line ${lineNumber}: ${(row as RowError).error}`);
      continue;
    }
    rows.push(row as U);
  }
  return { rows, errors };
}
