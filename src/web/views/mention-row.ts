// One mention in a list (Today, Feed). Mention text is untrusted: it is only ever rendered as escaped text.
//
// The row is an `html` template rather than JSX: a feed page has fifty of them, and building and walking their
// JSX trees cost half a millisecond a page, four times this. `html` escapes every interpolated value as JSX does;
// only other `html` results pass unescaped.

import { html, raw } from "hono/html";
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

export interface RowOptions {
  /** The search's words (src/services/mentions/fts-query.ts searchTerms), marked in the text. */
  terms?: string[];
  /** The list this row is in, as a query string: the mention page's "next" follows it ("done, next"). */
  from?: string;
  /** Keeps element ids unique when a mention shows in two lists on one page (Today's My work and its list). */
  idPrefix?: string;
  /** The CFPB response clocks of the page's CFPB complaints, by mention id (services/compliance cfpbRowBadges). */
  cfpb?: ReadonlyMap<number, { words: string; overdue: boolean }>;
}

/**
 * One row: a first line to scan (source, author, time, due, category, severity, assignee, status, then flags,
 * brands and near-duplicates) and the text, clamped to two lines once app.js runs (it adds "Show more" where the
 * text is longer); without the script the whole text shows, as before.
 */
export function mentionRow(item: MentionListItem, now: Date, selectable: boolean, options: RowOptions = {}) {
  const due = dueBadge(item, now);
  const overdue = due.state.kind === "overdue";
  const cfpb = options.cfpb?.get(item.id);
  const needsPerson = dismissWarning(item.flags);
  const href = safeHref(item.url);
  const author = item.author.handle
    ? `@${item.author.handle.replace(/^@/, "")}`
    : (item.author.name ?? "unknown");
  const open = options.from
    ? `/mentions/${item.id}?from=${encodeURIComponent(options.from)}`
    : `/mentions/${item.id}`;
  return html`<li class="mention${overdue ? " overdue" : ""}${due.state.kind === "arrived_overdue" ? " arrived-overdue" : ""} sev-${item.severity ?? "none"}" data-id="${item.id}" data-status="${item.status}"${needsPerson ? html` data-human-only="${needsPerson}"` : ""} tabindex="-1">${
    selectable
      ? html`<input type="checkbox" name="ids" value="${item.id}" form="bulk" aria-label="select mention ${item.id}"/>`
      : ""
  }<div class="body"><div class="meta"><span class="source" title="${item.source.type}">${item.source.name}</span><span class="author">${author}</span><time datetime="${item.createdAt}">${formatTime(item.createdAt)}</time>${due.html}${
    cfpb
      ? html`<span class="due cfpb-due${cfpb.overdue ? " due-overdue" : ""}">CFPB: ${cfpb.words}</span>`
      : ""
  }${
    overdue ? html`<span class="overdue-tag">overdue</span>` : ""
  }${item.category ? html`<span class="cat">${item.category.replace(/_/g, " ")}</span>` : ""}${
    item.severity ? html`<span class="sev sev-${item.severity}">${item.severity}</span>` : ""
  }${
    item.assignee
      ? html`<span class="assignee">→ ${item.assignee.email}</span>`
      : html`<span class="assignee unassigned">unassigned</span>`
  }<span class="status status-${item.status}">${statusLabel(item.status)}</span>${needsPerson ? humanOnlyBadge(needsPerson) : ""}${item.flags.map(
    (f) => html`<span class="flag">${f.replace(/_/g, " ")}</span>`,
  )}${item.brands.map((b) => html`<span class="brand-tag kind-${b.kind}">${b.name}</span>`)}${
    item.duplicates > 0 ? html`<span class="dups">+${item.duplicates} near-duplicates</span>` : ""
  }</div><p class="text" id="${options.idPrefix ?? ""}text-${item.id}">${options.terms?.length ? highlight(item.text, options.terms) : item.text}</p><button type="button" class="more link" aria-expanded="false" aria-controls="${options.idPrefix ?? ""}text-${item.id}" hidden>Show more</button><a class="open" href="${open}">Open</a>${
    href
      ? html`<a class="external" href="${href}" rel="noopener noreferrer nofollow" target="_blank">View on ${item.source.type}</a>`
      : ""
  }</div></li>`;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Lower case with every UTF-16 unit kept in place ("İ" lowers to two units: kept as is), so positions found in
 * the lowered text are positions in the original. */
function lowerInPlace(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = "";
  for (const unit of text.split("")) {
    const l = unit.toLowerCase();
    out += l.length === 1 ? l : unit;
  }
  return out;
}

/**
 * Where the search's words occur in `text`: at the start of a word, case-insensitively, marking the whole word
 * (the last search word also matches as a prefix, as the search does). Plain `indexOf`, never a pattern built from
 * the input: linear in the text per word, and nothing a stranger types is interpreted.
 */
export function matchRanges(text: string, terms: string[]): [number, number][] {
  const lower = lowerInPlace(text);
  const ranges: [number, number][] = [];
  for (const term of new Set(terms.map(lowerInPlace))) {
    if (!term) continue;
    let from = 0;
    for (;;) {
      const at = lower.indexOf(term, from);
      if (at === -1) break;
      from = at + term.length;
      if (at > 0 && WORD_CHAR.test(lower[at - 1]!)) continue;
      let end = from;
      while (end < lower.length && WORD_CHAR.test(lower[end]!)) end++;
      ranges.push([at, end]);
      from = end;
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** The text with the search's words in <mark>: every piece escaped by `html` first, only the marks are ours. */
export function highlight(text: string, terms: string[]) {
  const ranges = matchRanges(text, terms);
  if (ranges.length === 0) return html`${text}`;
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(html`${text.slice(at, start)}`);
    parts.push(html`<mark>${text.slice(start, end)}</mark>`);
    at = end;
  }
  if (at < text.length) parts.push(html`${text.slice(at)}`);
  // Every part is already escaped (or is our own <mark>): joined, they pass through as they are.
  return raw(parts.join(""));
}

/** Marks a mention that needs a person (the reply page's human-only guard); the title says why. */
export function humanOnlyBadge(warning: string) {
  return html`<span class="human-only" title="${warning}">needs a person</span>`;
}
