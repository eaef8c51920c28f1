// One mention in a list (Today, Feed). Mention text is untrusted: it is only ever rendered as escaped text.

import { isOverdue } from "../../domain/sla.js";
import { dismissWarning } from "../../replies/gate.js";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";

/** Mention URLs come from outside: only http(s) links are clickable (no `javascript:` or `data:`). */
export function safeHref(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function formatTime(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

export function statusLabel(status: string): string {
  return status.replace(/_/g, " ");
}

export function MentionRow({
  item,
  now,
  selectable,
}: {
  item: MentionListItem;
  now: Date;
  selectable: boolean;
}) {
  const overdue =
    isOverdue(
      item.slaDueAt ? new Date(item.slaDueAt) : null,
      item.firstResponseAt ? new Date(item.firstResponseAt) : null,
      now,
    ) && !["resolved", "dismissed", "posted"].includes(item.status);
  const needsPerson = dismissWarning(item.flags);
  return (
    <li
      class={`mention${overdue ? " overdue" : ""} sev-${item.severity ?? "none"}`}
      data-id={String(item.id)}
      data-status={item.status}
      data-human-only={needsPerson ?? undefined}
      tabindex={-1}
    >
      {selectable ? (
        <input
          type="checkbox"
          name="ids"
          value={String(item.id)}
          form="bulk"
          aria-label={`select mention ${item.id}`}
        />
      ) : null}
      <div class="body">
        <div class="meta">
          <span class="source" title={item.source.type}>
            {item.source.name}
          </span>
          {item.brands.map((b) => (
            <span class={`brand-tag kind-${b.kind}`}>{b.name}</span>
          ))}
          <span class="author">
            {item.author.handle
              ? `@${item.author.handle.replace(/^@/, "")}`
              : (item.author.name ?? "unknown")}
          </span>
          <time datetime={item.createdAt}>{formatTime(item.createdAt)}</time>
          {item.severity ? <span class={`sev sev-${item.severity}`}>{item.severity}</span> : null}
          {item.category ? <span class="cat">{item.category.replace(/_/g, " ")}</span> : null}
          {item.flags.map((f) => (
            <span class="flag">{f.replace(/_/g, " ")}</span>
          ))}
          {needsPerson ? <HumanOnlyBadge warning={needsPerson} /> : null}
          <span class={`status status-${item.status}`}>{statusLabel(item.status)}</span>
          {item.assignee ? <span class="assignee">→ {item.assignee.email}</span> : null}
          {overdue ? <span class="overdue-tag">overdue</span> : null}
          {item.duplicates > 0 ? <span class="dups">+{item.duplicates} near-duplicates</span> : null}
        </div>
        <p class="text">{item.text}</p>
        <a class="open" href={`/mentions/${item.id}`}>
          Open
        </a>
        {safeHref(item.url) ? (
          <a class="external" href={safeHref(item.url)!} rel="noopener noreferrer nofollow" target="_blank">
            View on {item.source.type}
          </a>
        ) : null}
      </div>
    </li>
  );
}

/** Marks a mention that needs a person (the reply page's human-only guard); the title says why. */
export function HumanOnlyBadge({ warning }: { warning: string }) {
  return (
    <span class="human-only" title={warning}>
      needs a person
    </span>
  );
}
