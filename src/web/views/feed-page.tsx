import { can } from "../../domain/permissions.js";
import type { AuthUser } from "../../auth/types.js";
import { MENTION_STATUSES } from "../../domain/taxonomy.js";
import type { FilterOptions } from "../../services/mentions/filter-options.js";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";
import { FilterBar, type FilterValues } from "./filter-bar.js";
import { shortcutsFor } from "./keys.js";
import { CsrfField, Layout } from "./layout.js";
import { mentionRow } from "./mention-row.js";

export interface FeedPageProps {
  user: AuthUser;
  csrfToken: string | null;
  items: MentionListItem[];
  nextUrl: string | null;
  values: FilterValues;
  options: FilterOptions;
  now: Date;
  error?: string;
  /** The current URL, to come back to after a bulk action. */
  back: string;
  savedViews?: { id: number; name: string; url: string }[];
}

export function BulkBar({
  csrfToken,
  back,
  user,
}: {
  csrfToken: string | null;
  back: string;
  user: AuthUser;
}) {
  return (
    <form id="bulk" class="bulk" method="post" action="/mentions/bulk">
      <CsrfField token={csrfToken} />
      <input type="hidden" name="back" value={back} />
      <label>
        <input type="checkbox" id="select-all" /> all
      </label>
      <select name="action" aria-label="bulk action">
        <option value="assign:me">Assign to me</option>
        <option value="assign:none">Unassign</option>
        <option value="status:dismissed">Dismiss</option>
        <option value="status:escalated">Escalate</option>
        {MENTION_STATUSES.filter((s) => s !== "dismissed" && s !== "escalated").map((s) => (
          <option value={`status:${s}`}>{`Status: ${s.replace(/_/g, " ")}`}</option>
        ))}
      </select>
      <button type="submit">Apply to selected</button>
      <span class="muted">{`Keys: ${shortcutsFor(user.role)
        .map((s) => s.hint)
        .join(" · ")}`}</span>
    </form>
  );
}

export function FeedPage(props: FeedPageProps) {
  const canTriage = can(props.user.role, "triage");
  return (
    <Layout title="Feed" user={props.user} csrfToken={props.csrfToken} active="feed">
      <h1>Feed</h1>
      <FilterBar action="/feed" values={props.values} options={props.options} />
      {props.savedViews ? (
        <div class="saved-views">
          <form method="post" action="/views" class="inline">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="query" value={props.back.split("?")[1] ?? ""} />
            <input type="text" name="name" placeholder="name this view" aria-label="view name" required />
            <button type="submit">Save view</button>
          </form>{" "}
          {props.savedViews.map((v) => (
            <a class="count" href={v.url}>
              {v.name}
            </a>
          ))}
        </div>
      ) : null}
      {props.error ? <p class="error">{props.error}</p> : null}
      {canTriage ? <BulkBar csrfToken={props.csrfToken} back={props.back} user={props.user} /> : null}
      {props.items.length === 0 ? <p class="muted">No mentions match.</p> : null}
      <ol class="mentions" data-keyboard="true">
        {props.items.map((item) => mentionRow(item, props.now, canTriage))}
      </ol>
      {props.nextUrl ? (
        <p class="pager">
          <a href={props.nextUrl} rel="next">
            Older mentions →
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
