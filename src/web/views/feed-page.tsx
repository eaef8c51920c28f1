import type { AuthUser } from "../../auth/types.js";
import { can } from "../../domain/permissions.js";
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

/** Newest first, or the queue (`sort=sla`): open mentions about collections, soonest due first. */
function SortControl({ values, queue }: { values: FilterValues; queue: boolean }) {
  const { next: _next, sort: _sort, ...kept } = values;
  const href = (sort: string | null) => {
    const params = new URLSearchParams(kept as Record<string, string>);
    if (sort) params.set("sort", sort);
    const query = params.toString();
    return `/feed${query ? `?${query}` : ""}`;
  };
  return (
    <nav class="queue-sort" aria-label="sort">
      <span class="muted">Sort:</span>
      {queue ? <b>Queue: soonest due first</b> : <a href={href("sla")}>Queue: soonest due first</a>}
      {queue ? <a href={href(null)}>Newest first</a> : <b>Newest first</b>}
    </nav>
  );
}

export function FeedPage(props: FeedPageProps) {
  const canTriage = can(props.user.role, "triage");
  const queue = props.values.sort === "sla";
  return (
    <Layout title={queue ? "Queue" : "Feed"} user={props.user} csrfToken={props.csrfToken} active="feed">
      <h1>
        {queue ? "Queue " : "Feed"}
        {queue ? (
          <span class="muted">
            open mentions about collections, soonest due first; due times in your time zone
          </span>
        ) : null}
      </h1>
      <SortControl values={props.values} queue={queue} />
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
      {queue && props.items.length > 0 ? (
        <p class="queue-head muted" aria-hidden="true">
          <span>Due</span> <span>Mention</span>
        </p>
      ) : null}
      <ol class={queue ? "mentions queue" : "mentions"} data-keyboard="true">
        {props.items.map((item) => mentionRow(item, props.now, canTriage))}
      </ol>
      {props.nextUrl ? (
        <p class="pager">
          <a href={props.nextUrl} rel="next">
            {queue ? "Due later →" : "Older mentions →"}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
