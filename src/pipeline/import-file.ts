// `rapport import`: a file's mentions stored in batches through the same prepare → store path as polling.
// Dedup on (source, external id) makes a re-run (after a crash, or of the same file) store nothing twice.
import { readMentionFile } from "../../connectors/file.js";
import type { NormalizedMention } from "../../connectors/types.js";
import type { Deps } from "../deps.js";
import { loadIngestContext } from "./context.js";
import { ingestPage } from "./ingest.js";
import type { SourceRow } from "./poll.js";

export interface ImportResult {
  read: number;
  imported: number;
  duplicates: number;
  rejected: { line: number; error: string }[];
  /** Rows kept with a change the person should know about (a dropped non-http URL, the file's encoding). */
  warnings: { line: number; warning: string }[];
}

export async function importFile(
  deps: Deps,
  source: SourceRow,
  path: string,
  options: { batchSize?: number; onProgress?: (line: number, result: ImportResult) => void } = {},
): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 1_000;
  const ingest = await loadIngestContext(deps, source);
  const result: ImportResult = { read: 0, imported: 0, duplicates: 0, rejected: [], warnings: [] };
  let batch: NormalizedMention[] = [];
  let lastLine = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const stored = await ingestPage(deps, ingest, batch, { sourceId: source.id, now: deps.now() });
    result.imported += stored.inserted.length;
    result.duplicates += stored.duplicates;
    batch = [];
    options.onProgress?.(lastLine, result);
  };

  for await (const row of readMentionFile(path, deps.now())) {
    if ("warning" in row) {
      result.warnings.push(row);
      continue;
    }
    result.read++;
    lastLine = row.line;
    if ("error" in row) result.rejected.push({ line: row.line, error: row.error });
    else batch.push(row.mention);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}
