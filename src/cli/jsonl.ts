import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { z } from "zod";

/**
 * Reads JSONL input for the CLI contracts: every line validated with `schema`; a bad line becomes an error
 * naming its line number and the shape expected, so the caller can refuse the input as a whole.
 */
export async function readJsonl<T>(
  stream: Readable,
  schema: z.ZodType<T>,
  shape: string,
): Promise<{ rows: T[]; errors: string[] }> {
  const rows: T[] = [];
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
    rows.push(parsed.data);
  }
  return { rows, errors };
}
