import type { AuthUser } from "../../auth/types.js";
import { can } from "../../domain/permissions.js";
import { MENTION_STATUSES } from "../../domain/taxonomy.js";
import type { MentionCount } from "../../services/mentions/count-mentions.js";
import type { FilterOptions } from "../../services/mentions/filter-options.js";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";
import type { ListSort } from "../../services/mentions/schemas.js";
import type { UndoNotice } from "../../services/mentions/undo.js";
import { FilterBar, type FilterValues } from "./filter-bar.js";
import { ActionNotice } from "./flow.js";
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
  /** How many mentions the list holds (null: not counted, see the feed route). */
  count?: MentionCount | null;
  /** The search's words, marked in the rows. */
  terms?: string[];
  /** The list as a query string, passed to the mention page for "done, next". */
  from?: string;
  /** The CFPB response clocks of the listed CFPB complaints (services/compliance cfpbRowBadges). */
  cfpb?: ReadonlyMap<number, { words: string; overdue: boolean }>;
  notice?: UndoNotice | null;
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

const SORTS: { value: ListSort; label: string }[] = [
  { value: "newest", label: "Newest first" },
  { value: "oldest", label: "Oldest first" },
  { value: "sla", label: "Due soonest (the queue)" },
  { value: "severity", label: "Most severe first" },
];

/** The sort control: links that keep every filter and start again at the first page. */
function SortControl({ values, sort }: { values: FilterValues; sort: ListSort }) {
  const { next: _next, sort: _sort, ...kept } = values;
  const href = (value: ListSort) => {
    const params = new URLSearchParams(kept as Record<string, string>);
    if (value !== "newest") params.set("sort", value);
    const query = params.toString();
    return `/feed${query ? `?${query}` : ""}`;
  };
  return (
    <nav class="queue-sort" aria-label="sort">
      <span class="muted">Sort:</span>
      {SORTS.map((s) =>
        s.value === sort ? (
          <a href={href(s.value)} aria-current="true" class="current-sort">
            {s.label}
          </a>
        ) : (
          <a href={href(s.value)}>{s.label}</a>
        ),
      )}
    </nav>
  );
}

/** "1,234 mentions match these filters", "More than 1,000 open mentions about collections": what the list counts,
 * in words. */
export function resultCountText(count: MentionCount, queue: boolean, filtered: boolean): string {
  const n = count.count.toLocaleString("en-US");
  const one = count.count === 1 && !count.capped;
  const noun = queue
    ? `open ${one ? "mention" : "mentions"} about collections`
    : `${one ? "mention" : "mentions"}${filtered ? ` ${one ? "matches" : "match"} these filters` : " in all"}`;
  return `${count.capped ? `More than ${n}` : n} ${noun}`;
}

export function FeedPage(props: FeedPageProps) {
  const canTriage = can(props.user.role, "triage");
  const sort = (props.values.sort || "newest") as ListSort;
  const queue = sort === "sla";
  const rowOptions = {
    terms: props.terms ?? [],
    from: props.from ?? "",
    ...(props.cfpb ? { cfpb: props.cfpb } : {}),
  };
  const filtered = Object.entries(props.values).some(([k, v]) => v && k !== "sort" && k !== "next");
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
      <ActionNotice notice={props.notice ?? null} csrfToken={props.csrfToken} back={props.back} />
      <SortControl values={props.values} sort={sort} />
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
      {props.count ? (
        <p class="result-count" id="result-count">
          <b>{resultCountText(props.count, queue, filtered)}</b>
          <span class="muted"> (near-duplicates counted once)</span>
        </p>
      ) : null}
      {canTriage ? <BulkBar csrfToken={props.csrfToken} back={props.back} user={props.user} /> : null}
      {props.items.length === 0 ? <p class="muted">No mentions match.</p> : null}
      {queue && props.items.length > 0 ? (
        <p class="queue-head muted" aria-hidden="true">
          <span>Due</span> <span>Mention</span>
        </p>
      ) : null}
      <ol class={queue ? "mentions queue" : "mentions"} data-keyboard="true">
        {props.items.map((item) => mentionRow(item, props.now, canTriage, rowOptions))}
      </ol>
      {props.nextUrl ? (
        <p class="pager">
          <a href={props.nextUrl} rel="next">
            {queue ? "Due later →" : sort === "oldest" ? "Newer mentions →" : "More mentions →"}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
