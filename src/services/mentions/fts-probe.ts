// The first step of a search: how many mentions match (up to a cap) and, when few do, which. Matching common
// words ANDed together reads their whole doclists (tens of ms at 1M mentions), and paging through results or
// refining a search repeats the same match, so probes are remembered per process. A remembered probe is used
// only while the full-text index is unchanged: every write to the index (a mention stored, edited or purged)
// rewrites its structure record, and that record is compared on each use. Status changes and other columns
// never touch the index; they are filters applied after the probe.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { Deps } from "../../deps.js";

export interface FtsProbe {
  /** Matches counted, up to the cap. */
  matched: number;
  /** The matching rowids, comma-separated, when fewer than the cap match. */
  ids: string | null;
}

const REMEMBERED = 256;
/** FTS5 keeps its index structure (segments, write counter) in this row of the `_data` table. */
const STRUCTURE_ROWID = 10;

const remembered = new WeakMap<Db, Map<string, { structure: string; probe: FtsProbe }>>();

async function runProbe(deps: Deps, match: string, cap: number): Promise<FtsProbe> {
  const [row] = await deps.db.all<{ n: number; ids: string | null }>(
    sql`SELECT count(*) AS n, group_concat(rowid) AS ids FROM (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match} LIMIT ${cap})`,
  );
  const matched = Number(row?.n ?? 0);
  return { matched, ids: matched < cap ? (row?.ids ?? null) : null };
}

export async function probeFts(deps: Deps, match: string, cap: number): Promise<FtsProbe> {
  // D1 (Workers) builds its deps per request, so there is nothing to remember there.
  if (deps.database.kind !== "libsql") return runProbe(deps, match, cap);
  const [current] = await deps.db.all<{ structure: string | null }>(
    sql`SELECT hex(block) AS structure FROM mentions_fts_data WHERE id = ${STRUCTURE_ROWID}`,
  );
  const structure = current?.structure ?? "";
  let cache = remembered.get(deps.db);
  if (!cache) {
    cache = new Map();
    remembered.set(deps.db, cache);
  }
  const key = `${cap}\u0000${match}`;
  const hit = cache.get(key);
  if (hit && hit.structure === structure) {
    // Most recently used last: the oldest entry is the first one evicted.
    cache.delete(key);
    cache.set(key, hit);
    return hit.probe;
  }
  const probe = await runProbe(deps, match, cap);
  cache.delete(key);
  cache.set(key, { structure, probe });
  if (cache.size > REMEMBERED) cache.delete(cache.keys().next().value!);
  return probe;
}
