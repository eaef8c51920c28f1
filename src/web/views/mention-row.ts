// One mention in a list (Today, Feed). Mention text is untrusted: it is only ever rendered as escaped text.
//
// The row is an `html` template rather than JSX: a feed page has fifty of them, and building and walking their
// JSX trees cost half a millisecond a page, four times this. `html` escapes every interpolated value as JSX does;
// only other `html` results pass unescaped.

import { html } from "hono/html";
import { slaLabel, slaState } from "../../domain/sla.js";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";
import { dismissWarning } from "../../services/replies/gate.js";

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

const CLOSED_STATUSES = new Set(["resolved", "dismissed", "posted"]);

/** The row's clock: a countdown, an overdue age, or "arrived overdue", and the due time (shown in the viewer's
 * time zone by app.js from `datetime`; UTC until then). */
export function dueBadge(item: MentionListItem, now: Date) {
  const state = slaState(
    item.slaDueAt ? new Date(item.slaDueAt) : null,
    item.firstResponseAt ? new Date(item.firstResponseAt) : null,
    new Date(item.fetchedAt),
    !CLOSED_STATUSES.has(item.status),
    now,
  );
  const label = slaLabel(state);
  if (!label || !item.slaDueAt) return { state, html: "" };
  return {
    state,
    html: html`<span class="due due-${state.kind}">${label} · <time datetime="${item.slaDueAt}" data-local="due">${formatTime(item.slaDueAt)} UTC</time></span>`,
  };
}

export function mentionRow(item: MentionListItem, now: Date, selectable: boolean) {
  const due = dueBadge(item, now);
  const overdue = due.state.kind === "overdue";
  const needsPerson = dismissWarning(item.flags);
  const href = safeHref(item.url);
  const author = item.author.handle
    ? `@${item.author.handle.replace(/^@/, "")}`
    : (item.author.name ?? "unknown");
  return html`<li class="mention${overdue ? " overdue" : ""}${due.state.kind === "arrived_overdue" ? " arrived-overdue" : ""} sev-${item.severity ?? "none"}" data-id="${item.id}" data-status="${item.status}"${needsPerson ? html` data-human-only="${needsPerson}"` : ""} tabindex="-1">${
    selectable
      ? html`<input type="checkbox" name="ids" value="${item.id}" form="bulk" aria-label="select mention ${item.id}"/>`
      : ""
  }<div class="body"><div class="meta"><span class="source" title="${item.source.type}">${item.source.name}</span>${item.brands.map(
    (b) => html`<span class="brand-tag kind-${b.kind}">${b.name}</span>`,
  )}<span class="author">${author}</span><time datetime="${item.createdAt}">${formatTime(item.createdAt)}</time>${
    item.severity ? html`<span class="sev sev-${item.severity}">${item.severity}</span>` : ""
  }${item.category ? html`<span class="cat">${item.category.replace(/_/g, " ")}</span>` : ""}${item.flags.map(
    (f) => html`<span class="flag">${f.replace(/_/g, " ")}</span>`,
  )}${needsPerson ? humanOnlyBadge(needsPerson) : ""}<span class="status status-${item.status}">${statusLabel(item.status)}</span>${
    item.assignee ? html`<span class="assignee">→ ${item.assignee.email}</span>` : ""
  }${overdue ? html`<span class="overdue-tag">overdue</span>` : ""}${due.html}${
    item.duplicates > 0 ? html`<span class="dups">+${item.duplicates} near-duplicates</span>` : ""
  }</div><p class="text">${item.text}</p><a class="open" href="/mentions/${item.id}">Open</a>${
    href
      ? html`<a class="external" href="${href}" rel="noopener noreferrer nofollow" target="_blank">View on ${item.source.type}</a>`
      : ""
  }</div></li>`;
}

/** Marks a mention that needs a person (the reply page's human-only guard); the title says why. */
export function humanOnlyBadge(warning: string) {
  return html`<span class="human-only" title="${warning}">needs a person</span>`;
}
