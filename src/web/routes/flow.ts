// Route helpers for what a page says after an action (`undo=<id>`, `undone=<id>`) and for "done, next".
import type { AuthUser } from "../../auth/types.js";
import type { Deps } from "../../deps.js";
import { findUndo, type UndoNotice } from "../../services/mentions/undo.js";

/** The notice after an action (`undo=<id>`) or an undo (`undone=<id>`): only the person's own. */
export async function noticeFrom(
  deps: Deps,
  user: AuthUser,
  params: URLSearchParams,
): Promise<UndoNotice | null> {
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
