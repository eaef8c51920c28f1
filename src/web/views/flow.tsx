// What a page says after an action, and the way through a list ("done, next").
//
// An action sent as a form (bulk actions, the mention page's buttons, or any page without the script) redirects
// back with `undo=<id>`; the page shows what was done with an Undo button (a form: it works without the script).
// app.js turns the notice into a toast that goes after a few seconds. Keys (d, e, a) show the same toast
// straight from the JSON API's answer.
import type { UndoNotice } from "../../services/mentions/undo.js";
import { CsrfField } from "./layout.js";

export function ActionNotice({
  notice,
  csrfToken,
  back,
}: {
  notice: UndoNotice | null;
  csrfToken: string | null;
  /** Where to come back to after Undo. */
  back: string;
}) {
  if (!notice) return null;
  return (
    <div class="action-notice" role="status" data-toast="true" data-undo-id={String(notice.id)}>
      <span class="action-summary">{`${notice.summary}.`}</span>
      {notice.canUndo ? (
        <form method="post" action={`/mentions/undo/${notice.id}`} class="inline">
          <CsrfField token={csrfToken} />
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="undo">
            Undo
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** On a mention opened from a list: back to that list, or on to the next mention in it. */
export function ListNav({ mentionId, from }: { mentionId: number; from: string | null }) {
  if (from === null) return null;
  const query = encodeURIComponent(from);
  return (
    <nav class="list-nav" aria-label="list">
      <a href={`/feed${from ? `?${from}` : ""}`}>← Back to the list</a>
      <a href={`/mentions/${mentionId}/next?from=${query}`} rel="next" id="next-in-list">
        Next in the list →
      </a>
      <span class="muted">Deciding here takes you to the next one.</span>
    </nav>
  );
}

/** The list a form's action should go on with ("done, next"), as a hidden field. */
export function FromField({ from }: { from: string | null }) {
  return from === null ? null : <input type="hidden" name="from" value={from} />;
}
