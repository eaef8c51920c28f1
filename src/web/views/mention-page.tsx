import type { Child } from "hono/jsx";
import type { AuthUser } from "../../auth/types.js";
import { actorName, describeAuditEntry } from "../../domain/audit-sentences.js";
import { can } from "../../domain/permissions.js";
import { closesUnanswered, STATUS_TRANSITIONS } from "../../domain/status.js";
import { CATEGORIES, FLAGS, SEVERITIES } from "../../domain/taxonomy.js";
import type { MentionDetail } from "../../services/mentions/get-mention.js";
import type { MentionListItem } from "../../services/mentions/list-mentions.js";
import { dismissWarning, humanOnlyReasons } from "../../services/replies/gate.js";
import { FromField } from "./flow.js";
import { CsrfField, Layout } from "./layout.js";
import { dueBadge, formatTime, humanOnlyBadge, safeHref, statusLabel } from "./mention-row.js";

const words = (code: string) => code.replace(/_/g, " ");

function RelatedList({ title, items, empty }: { title: string; items: MentionListItem[]; empty: string }) {
  return (
    <section class="panel">
      <h2>{title}</h2>
      {items.length === 0 ? <p class="muted">{empty}</p> : null}
      <ul class="related">
        {items.map((m) => (
          <li>
            <a href={`/mentions/${m.id}`}>{formatTime(m.createdAt)}</a>{" "}
            <span class="muted">{m.source.name}</span>{" "}
            <span class={`status status-${m.status}`}>{statusLabel(m.status)}</span> — {m.text.slice(0, 240)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The one-click decisions on the mention page, as verbs (the keys in brackets). */
const ACTION_LABELS = {
  triaged: "Mark triaged",
  dismissed: "Dismiss (d)",
  escalated: "Escalate (e)",
  resolved: "Resolve",
} as const;

export function MentionPage({
  user,
  csrfToken,
  detail,
  now,
  from = null,
  flow,
  cfpb,
  accounts,
}: {
  user: AuthUser;
  csrfToken: string | null;
  detail: MentionDetail;
  now: Date;
  /** The list it was opened from (a query string): decisions then go on to the next one ("done, next"). */
  from?: string | null;
  /** What the last action did (with Undo) and the way back to the list (views/flow.tsx). */
  flow?: Child;
  /** The CFPB response clock, when the mention is a CFPB complaint (views/compliance/cfpb-panel.tsx). */
  cfpb?: Child;
  /** Account links, for roles that may see accounts (views/accounts/links-panel.tsx). */
  accounts?: Child;
}) {
  const m = detail.mention;
  const canTriage = can(user.role, "triage");
  // A post that arrived already past due is marked as such (dueBadge), not as the team's overdue.
  const overdue = dueBadge(m, now).state.kind === "overdue";
  const href = safeHref(m.url);
  // A decision covers the near-duplicates too, so one of them needing a person is enough to ask first.
  const groupFlags = [...m.flags, ...detail.duplicates.flatMap((d) => d.flags)];
  const needsPerson = dismissWarning(groupFlags);
  return (
    <Layout title={`Mention ${m.id}`} user={user} csrfToken={csrfToken} active="feed">
      {flow}
      <div class="grid2">
        <div>
          <section
            class="panel mention-detail"
            data-mention-id={String(m.id)}
            data-status={m.status}
            data-human-only={needsPerson ?? undefined}
          >
            <h1 class="mention-title">{`Mention from ${m.author.handle ? `@${m.author.handle.replace(/^@/, "")}` : (m.author.name ?? "someone")} on ${m.source.name}`}</h1>
            <div class="meta">
              <span class="source">{m.source.name}</span>
              {m.brands.map((b) => (
                <span class={`brand-tag kind-${b.kind}`}>{b.name}</span>
              ))}
              <span class="author">
                {m.author.handle ? `@${m.author.handle.replace(/^@/, "")}` : (m.author.name ?? "unknown")}
              </span>
              <time datetime={m.createdAt}>{formatTime(m.createdAt)}</time>
              {needsPerson ? humanOnlyBadge(needsPerson) : null}
              <span class={`status status-${m.status}`}>{statusLabel(m.status)}</span>
              {m.assignee ? (
                <span class="assignee">→ {m.assignee.email}</span>
              ) : (
                <span class="assignee muted">unassigned</span>
              )}
              {m.slaDueAt ? (
                <span
                  class={overdue ? "overdue-tag" : "sla"}
                >{`${overdue ? "overdue since" : "respond by"} ${formatTime(m.slaDueAt)} UTC`}</span>
              ) : null}
              {dueBadge(m, now).html}
              {m.reach !== null ? <span>reach {m.reach}</span> : null}
              {m.rating !== null ? <span>rating {m.rating}★</span> : null}
            </div>
            <p class="fullText">{m.text}</p>
            {m.masked ? <p class="muted">Personal data is masked for your role.</p> : null}
            {href ? (
              <a href={href} rel="noopener noreferrer nofollow" target="_blank">
                View on {m.source.type}
              </a>
            ) : null}
          </section>

          {cfpb}

          {needsPerson ? (
            <section class="panel human-only-guard" data-testid="human-only">
              <h2>Needs a person</h2>
              <ul>
                {humanOnlyReasons(groupFlags).map((r) => (
                  <li>
                    <b>{words(r.flag)}</b>: {r.why} <i>{r.instead}</i>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {canTriage ? (
            <section class="panel actions">
              <h2>Decide</h2>
              <form method="post" action={`/mentions/${m.id}/assign`} class="inline">
                <CsrfField token={csrfToken} />
                <FromField from={from} />
                <input type="hidden" name="assignee" value="me" />
                <button type="submit">Assign to me (a)</button>
              </form>{" "}
              {(["triaged", "dismissed", "escalated", "resolved"] as const)
                .filter((s) => (STATUS_TRANSITIONS[m.status] as readonly string[]).includes(s))
                .map((s) => (
                  <form method="post" action={`/mentions/${m.id}/status`} class="inline">
                    <CsrfField token={csrfToken} />
                    <FromField from={from} />
                    <input type="hidden" name="status" value={s} />
                    {needsPerson && closesUnanswered(m.status, s) ? (
                      // The confirm step: the browser will not submit until the person ticks that they read why.
                      <label class="check confirm-human-only" title={needsPerson}>
                        <input type="checkbox" name="confirmHumanOnly" value="1" required />{" "}
                        {`${needsPerson} I confirm ${s === "dismissed" ? "the dismissal" : "resolving it without a reply"}.`}
                      </label>
                    ) : null}
                    <button type="submit" name="go" value={s}>
                      {from === null ? ACTION_LABELS[s] : `${ACTION_LABELS[s]}, next`}
                    </button>{" "}
                  </form>
                ))}
              <form method="post" action={`/mentions/${m.id}/status`} class="inline">
                <CsrfField token={csrfToken} />
                <FromField from={from} />
                <select name="status" aria-label="status">
                  {STATUS_TRANSITIONS[m.status]
                    // Closing a mention that needs a person, unanswered, goes through the confirm step above.
                    .filter((s) => !(needsPerson && closesUnanswered(m.status, s)))
                    .map((s) => (
                      <option value={s}>{words(s)}</option>
                    ))}
                </select>
                <button type="submit">Set status</button>
              </form>
              {m.duplicates > 0 ? (
                <p class="muted">{`Decisions cover ${m.duplicates} near-duplicate(s) too.`}</p>
              ) : null}
            </section>
          ) : null}

          {canTriage ? (
            <section class="panel" id="reply">
              <h2>Reply</h2>
              <p class="muted">
                <a href={`/mentions/${m.id}/reply`}>Draft a reply</a> (press r)
              </p>
            </section>
          ) : null}

          <RelatedList title="Thread" items={detail.thread} empty="No other mentions in this thread." />
          <RelatedList
            title="The author's other mentions"
            items={detail.byAuthor}
            empty="No other mentions by this author."
          />
          {detail.duplicates.length > 0 ? (
            <RelatedList title="Near-duplicates" items={detail.duplicates} empty="" />
          ) : null}
        </div>

        <div>
          {accounts}

          <section class="panel classification">
            <h2>Classification</h2>
            {m.category ? (
              <p>
                <span class="cat">{words(m.category)}</span>{" "}
                {m.severity ? <span class={`sev sev-${m.severity}`}>{m.severity}</span> : null}{" "}
                {m.flags.map((f) => (
                  <span class="flag">{words(f)}</span>
                ))}{" "}
                <span class="muted">
                  {[
                    m.classifiedBy ? `by ${m.classifiedBy}` : null,
                    m.confidence !== null ? `confidence ${m.confidence.toFixed(2)}` : null,
                  ]
                    .filter(Boolean)
                    .join(", ")}
                </span>
              </p>
            ) : (
              <p class="muted">Not classified yet.</p>
            )}
            {canTriage ? (
              <form method="post" action={`/mentions/${m.id}/classification`} class="stack" id="correction">
                <CsrfField token={csrfToken} />
                <label>
                  Category
                  <select name="category">
                    {CATEGORIES.map((c) => (
                      <option value={c} selected={m.category === c}>
                        {words(c)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Severity
                  <select name="severity">
                    {SEVERITIES.map((s) => (
                      <option value={s} selected={(m.severity ?? "low") === s}>
                        {s}
                      </option>
                    ))}
                  </select>
                </label>
                <fieldset>
                  <legend>Flags</legend>
                  {FLAGS.map((f) => (
                    <label class="check">
                      <input type="checkbox" name="flags" value={f} checked={m.flags.includes(f)} />{" "}
                      {words(f)}
                    </label>
                  ))}
                </fieldset>
                <button type="submit">Save correction</button>
              </form>
            ) : null}
            {detail.classifications.length > 0 ? (
              <details>
                <summary>{`${detail.classifications.length} classification(s)`}</summary>
                <ul>
                  {detail.classifications.map((c) => (
                    <li>
                      {`${formatTime(c.createdAt)} ${c.engine}${c.correctedBy ? ` (${c.correctedBy})` : ""}: ${words(c.category)}, ${c.severity}${c.flags.length ? `, ${c.flags.join(", ")}` : ""}`}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </section>

          <section class="panel notes">
            <h2>Internal notes</h2>
            {detail.notes.length === 0 ? <p class="muted">No notes.</p> : null}
            <ul>
              {detail.notes.map((n) => (
                <li>
                  <span class="muted">{`${formatTime(n.createdAt)} ${n.author}:`}</span>{" "}
                  <span class="note-body">{n.body}</span>
                </li>
              ))}
            </ul>
            {canTriage ? (
              <form method="post" action={`/mentions/${m.id}/notes`} class="stack">
                <CsrfField token={csrfToken} />
                <textarea name="body" rows={3} aria-label="note" required />
                <button type="submit">Add note</button>
              </form>
            ) : null}
          </section>

          <section class="panel history">
            <h2>History</h2>
            <ol>
              <li>
                <span class="muted">{formatTime(m.createdAt)}</span> posted
              </li>
              {detail.history.map((h) => (
                <li>
                  <span class="muted">{formatTime(h.at)}</span>{" "}
                  {describeAuditEntry(h, {
                    subject: "it",
                    personName: (id) => {
                      const email = detail.people[id];
                      return email ? (detail.names[email] ?? email) : undefined;
                    },
                    actorName: (actor) => (actor ? detail.names[actor] : undefined) ?? actorName(actor),
                  })}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </Layout>
  );
}
