// "Needs a label": the mentions the local model was least sure of, lowest confidence first, one keyboard-first
// form each. Keys (static/labels-js.ts): j/k move, 1–9 pick a collections code, r confirms "relevant" (the shown
// code), n says "not collections". Without script every key is a plain submit button.
import type { AuthUser } from "../../auth/types.js";
import { CATEGORIES, type Category } from "../../domain/taxonomy.js";
import type { NeedsLabelItem } from "../../services/classification/list-needs-label.js";
import { ASSET_VERSION } from "../static/assets.js";
import { CsrfField, Layout } from "./layout.js";
import { formatTime } from "./mention-row.js";

/** The codes behind keys 1–9, in taxonomy order. */
export const LABEL_KEYS: Category[] = CATEGORIES.filter((c) => c !== "not_collections");

const words = (code: string) => code.replace(/_/g, " ");

export interface LabelsPageProps {
  user: AuthUser;
  csrfToken: string | null;
  items: NeedsLabelItem[];
  /** The mention just labelled, for the confirmation line. */
  done?: { id: number; category: string } | undefined;
}

export function LabelsPage({ user, csrfToken, items, done }: LabelsPageProps) {
  return (
    <Layout title="Needs a label" user={user} csrfToken={csrfToken} active="labels">
      <h1>Needs a label</h1>
      <p class="hint">
        Lowest model confidence first. <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>1</kbd>–<kbd>9</kbd> code ·{" "}
        <kbd>r</kbd> relevant (keep the code shown) · <kbd>n</kbd> not collections. Labels train the next
        model (<code>rapport export-labels</code> → <code>npm run train -- --labels</code>).
      </p>
      {done ? (
        <p class="notice" role="status">
          Mention {done.id} labelled {words(done.category)}.
        </p>
      ) : null}
      {items.length === 0 ? (
        <p class="empty">
          Nothing needs a label: every relevant-looking mention is labelled or confidently classified.
        </p>
      ) : (
        <ol class="label-queue">
          {items.map((item, i) => (
            <LabelItem item={item} csrfToken={csrfToken} first={i === 0} />
          ))}
        </ol>
      )}
      <script src={`/static/labels.js?v=${ASSET_VERSION}`} defer />
    </Layout>
  );
}

function LabelItem({
  item,
  csrfToken,
  first,
}: {
  item: NeedsLabelItem;
  csrfToken: string | null;
  first: boolean;
}) {
  const shown = item.relevant && item.category && item.category !== "not_collections" ? item.category : null;
  return (
    <li class={first ? "label-item current" : "label-item"} data-label-id={String(item.id)} tabindex={-1}>
      <p class="meta">
        <a href={`/mentions/${item.id}`}>#{item.id}</a> · {item.source} ·{" "}
        <time datetime={item.createdAt.toISOString()}>{formatTime(item.createdAt.toISOString())}</time> ·
        model: <strong>{item.category ? words(item.category) : "unclassified"}</strong>
        {item.confidence !== null ? ` (confidence ${item.confidence.toFixed(2)})` : ""}
      </p>
      <blockquote class="text">{item.text}</blockquote>
      <form method="post" action={`/labels/${item.id}`} class="label-actions">
        <CsrfField token={csrfToken} />
        <button type="submit" name="category" value={shown ?? "other_collections"} data-key="r">
          <kbd>r</kbd> relevant{shown ? ` (${words(shown)})` : ""}
        </button>
        <button type="submit" name="category" value="not_collections" data-key="n">
          <kbd>n</kbd> not collections
        </button>
        {LABEL_KEYS.map((code, i) => (
          <button type="submit" name="category" value={code} data-key={String(i + 1)}>
            <kbd>{String(i + 1)}</kbd> {words(code)}
          </button>
        ))}
      </form>
    </li>
  );
}
