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

/**
 * The newest matches (by the post's time, then id, the feed's order), at most `NEWEST_MATCHES` of them: a JSON
 * array of ids and the oldest one's time. `complete` when they are all the matches there are.
 */
export interface NewestMatches {
  ids: string;
  /** The same, in order, each with its post time: [id, created_at]. */
  order: [number, number][];
  oldest: number;
  complete: boolean;
}

export const NEWEST_MATCHES = 2000;

const REMEMBERED = 256;
/** FTS5 keeps its index structure (segments, write counter) in this row of the `_data` table. */
const STRUCTURE_ROWID = 10;

type Remembered<T> = WeakMap<Db, Map<string, { structure: string; value: T }>>;
const probes: Remembered<FtsProbe> = new WeakMap();
const newest: Remembered<NewestMatches> = new WeakMap();

async function runProbe(deps: Deps, match: string, cap: number): Promise<FtsProbe> {
  const [row] = await deps.db.all<{ n: number; ids: string | null }>(
    sql`SELECT count(*) AS n, group_concat(rowid) AS ids FROM (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match} LIMIT ${cap})`,
  );
  const matched = Number(row?.n ?? 0);
  return { matched, ids: matched < cap ? (row?.ids ?? null) : null };
}

async function indexStructure(deps: Deps): Promise<string> {
  const [current] = await deps.db.all<{ structure: string | null }>(
    sql`SELECT hex(block) AS structure FROM mentions_fts_data WHERE id = ${STRUCTURE_ROWID}`,
  );
  return current?.structure ?? "";
}

/** `compute`'s result for `key`, remembered in `caches` while the index structure stays `structure`. */
async function remember<T>(
  caches: Remembered<T>,
  deps: Deps,
  key: string,
  structure: string,
  compute: () => Promise<T>,
): Promise<T> {
  let cache = caches.get(deps.db);
  if (!cache) {
    cache = new Map();
    caches.set(deps.db, cache);
  }
  const hit = cache.get(key);
  if (hit && hit.structure === structure) {
    // Most recently used last: the oldest entry is the first one evicted.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value;
  }
  const value = await compute();
  cache.delete(key);
  cache.set(key, { structure, value });
  if (cache.size > REMEMBERED) cache.delete(cache.keys().next().value!);
  return value;
}

export async function probeFts(deps: Deps, match: string, cap: number): Promise<FtsProbe> {
  // D1 (Workers) builds its deps per request, so there is nothing to remember there.
  if (deps.database.kind !== "libsql") return runProbe(deps, match, cap);
  return remember(probes, deps, `${cap}\u0000${match}`, await indexStructure(deps), () =>
    runProbe(deps, match, cap),
  );
}

/**
 * The newest matches of a search that matches many (common words: "credit report" matches about one mention in
 * ten). Finding every match reads the words' whole doclists (~20 ms at 1M mentions, whatever the page), so a
 * search page is answered from these instead when it can be (see list-mentions.ts) and they are remembered
 * like the probe, until the next write to the index. A post's time is set when it is stored and never
 * changed, so a remembered order stays right while the index is unchanged. Null on D1, where nothing is
 * remembered between requests and the page reads the matches itself.
 */
export async function newestMatches(deps: Deps, match: string): Promise<NewestMatches | null> {
  if (deps.database.kind !== "libsql") return null;
  return remember(newest, deps, match, await indexStructure(deps), async () => {
    // Walks the time index newest first and stops after NEWEST_MATCHES matches.
    // json_group_array keeps the subquery's order (SQLite aggregates rows in the order they come).
    const [row] = await deps.db.all<{ order: string | null }>(
      sql`SELECT json_group_array(json_array(id, created_at)) AS "order" FROM (
            SELECT id, created_at FROM mentions WHERE +id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match})
            ORDER BY created_at DESC, id DESC LIMIT ${NEWEST_MATCHES})`,
    );
    const order = JSON.parse(row?.order ?? "[]") as [number, number][];
    return {
      ids: JSON.stringify(order.map(([id]) => id)),
      order,
      oldest: order.length ? order[order.length - 1]![1] : 0,
      complete: order.length < NEWEST_MATCHES,
    };
  });
}
