// Route helpers for what a page says after an action (`undo=<id>`, `undone=<id>`) and for "done, next".
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { findUndo, type UndoNotice } from "../../services/mentions/undo.js";

/** What an action with nothing to undo did (`said=<code>`): fixed words, so an address cannot put text on a page. */
const SAID: Record<string, string> = {
  note: "Note added",
  classification:
    "Classification corrected: the queue and the figures follow it, and so will the model's next training",
  seen: "Marked everything as seen: Today now counts from here",
  "view-saved": "View saved",
  "view-deleted": "View deleted",
};

/** Parameters that only carry a notice: dropped from the links a page builds. */
export const NOTICE_PARAMS = ["undo", "undone", "said"];

/** The notice after an action (`undo=<id>`), an undo (`undone=<id>`): only the person's own; or `said=<code>`. */
export async function noticeFrom(
  deps: Deps,
  user: AuthUser,
  params: URLSearchParams,
): Promise<UndoNotice | null> {
  const said = params.get("said");
  if (said && Object.hasOwn(SAID, said)) return { id: 0, summary: SAID[said]!, canUndo: false };
  const raw = params.get("undo") ?? params.get("undone");
  const id = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  return id ? findUndo(deps, user, id) : null;
}

/** `/mentions/12`, with the list it was opened from. */
export const mentionPath = (id: number, from: string | null) =>
  from === null ? `/mentions/${id}` : `/mentions/${id}?from=${encodeURIComponent(from)}`;

/** `path` with a parameter set (the redirect after an action); unchanged for a null value. */
export function withParam(path: string, name: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return path;
  const url = new URL(path, "http://rapport.invalid");
  url.searchParams.set(name, String(value));
  return url.pathname + url.search;
}

export function withoutParam(path: string, name: string): string {
  const url = new URL(path, "http://rapport.invalid");
  url.searchParams.delete(name);
  return url.pathname + url.search;
}
