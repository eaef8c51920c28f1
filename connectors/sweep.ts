// Helpers shared by the review and Meta connectors: a newest-first sweep cursor, reading a field of an upstream
// error body, joining a configured base URL. (Fetching, error bodies and retries live in the one HTTP client,
// src/platform/http.)
import { ConnectorError } from "./errors.js";

export function errorField(json: unknown, key: string): unknown {
  if (json && typeof json === "object" && "error" in json) {
    const inner = (json as { error: unknown }).error;
    if (inner && typeof inner === "object" && key in inner) return (inner as Record<string, unknown>)[key];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Newest-first sweep. Review lists come newest first and page forward; a poll returns one page. The cursor
// remembers the high-water mark of the last finished sweep and, mid-sweep, the token for the next page and the
// newest item seen so far. Only when the sweep reaches known items (or the end) does the mark move, so a crash
// mid-sweep resumes at the next page and never skips what arrived meanwhile.

export interface SweepState {
  /** Newest item time (ISO) of the last finished sweep. */
  watermark: string | null;
  /** Ids whose time equals `watermark` exactly (ties are common with second-precision timestamps). */
  idsAtWatermark: string[];
  sweep: {
    next: string;
    newest: string | null;
    newestIds: string[];
    /** Ids on the previous page: offset paging shifts when items arrive mid-sweep and would repeat them. */
    previousPageIds: string[];
  } | null;
}

export const emptySweep = (): SweepState => ({ watermark: null, idsAtWatermark: [], sweep: null });

export interface SweepItem {
  id: string;
  time: Date;
}

export interface SweepStep {
  /** Ids of items on this page that are new. */
  fresh: Set<string>;
  state: SweepState;
  done: boolean;
}

export function advanceSweep(
  state: SweepState,
  items: SweepItem[],
  next: string | null,
  since?: Date,
): SweepStep {
  const watermark = state.watermark ? Date.parse(state.watermark) : null;
  const atWatermark = new Set(state.idsAtWatermark);
  const previousPage = new Set(state.sweep?.previousPageIds ?? []);
  const fresh = new Set<string>();
  let reachedKnown = false;
  let newest = state.sweep?.newest ? Date.parse(state.sweep.newest) : null;
  let newestIds = new Set(state.sweep?.newestIds ?? []);

  for (const item of items) {
    const time = item.time.getTime();
    const known =
      (watermark !== null && (time < watermark || (time === watermark && atWatermark.has(item.id)))) ||
      (since !== undefined && time < since.getTime());
    if (known) {
      reachedKnown = true;
      continue;
    }
    if (previousPage.has(item.id) || fresh.has(item.id)) continue;
    fresh.add(item.id);
    if (newest === null || time > newest) {
      newest = time;
      newestIds = new Set([item.id]);
    } else if (time === newest) {
      newestIds.add(item.id);
    }
  }

  const done = reachedKnown || next === null;
  const newestIso = newest === null ? null : new Date(newest).toISOString();
  if (!done) {
    return {
      fresh,
      done,
      state: {
        watermark: state.watermark,
        idsAtWatermark: state.idsAtWatermark,
        sweep: {
          next: next as string,
          newest: newestIso,
          newestIds: [...newestIds],
          previousPageIds: items.map((i) => i.id),
        },
      },
    };
  }
  // The sweep is over: the mark moves to the newest item seen in it (or stays if nothing was new).
  let nextState: SweepState;
  if (newest === null || (watermark !== null && newest < watermark)) {
    nextState = { watermark: state.watermark, idsAtWatermark: state.idsAtWatermark, sweep: null };
  } else if (watermark !== null && newest === watermark) {
    nextState = {
      watermark: state.watermark,
      idsAtWatermark: [...new Set([...state.idsAtWatermark, ...newestIds])],
      sweep: null,
    };
  } else {
    nextState = { watermark: newestIso, idsAtWatermark: [...newestIds], sweep: null };
  }
  return { fresh, done, state: nextState };
}

/** Reads a stored sweep state defensively: a cursor from an older version must not crash a poll. */
export function readSweep(value: unknown): SweepState {
  if (!value || typeof value !== "object") return emptySweep();
  const v = value as Partial<SweepState>;
  const sweep = v.sweep && typeof v.sweep === "object" && typeof v.sweep.next === "string" ? v.sweep : null;
  return {
    watermark: typeof v.watermark === "string" ? v.watermark : null,
    idsAtWatermark: Array.isArray(v.idsAtWatermark)
      ? v.idsAtWatermark.filter((x) => typeof x === "string")
      : [],
    sweep: sweep
      ? {
          next: sweep.next,
          newest: typeof sweep.newest === "string" ? sweep.newest : null,
          newestIds: Array.isArray(sweep.newestIds) ? sweep.newestIds : [],
          previousPageIds: Array.isArray(sweep.previousPageIds) ? sweep.previousPageIds : [],
        }
      : null,
  };
}

/** Joins a configured base URL and a path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): URL {
  return new URL(path.replace(/^\//, ""), base.endsWith("/") ? base : `${base}/`);
}

/** A rejected upstream answer that we understand: a ConnectorError keeping the status (and the body, for logs). */
export function upstreamError(
  failure: ConnectorError["failure"],
  message: string,
  original: ConnectorError,
  retryAt?: Date,
): ConnectorError {
  return new ConnectorError(failure, message, {
    ...(original.options.status !== undefined ? { status: original.options.status } : {}),
    ...(original.options.body !== undefined ? { body: original.options.body } : {}),
    cause: original,
    ...(retryAt ? { retryAt } : {}),
  });
}
