// The complaint register (managers and admins): every complaint from every channel, filtered, with a CSV export
// of exactly what is shown. Escaped by construction (hono/jsx); on a phone each row stacks with its labels.
import type { AuthUser } from "../../../auth/types.js";
import { COMPLAINT_STATUSES, categoryWords } from "../../../domain/compliance/register.js";
import { CATEGORIES } from "../../../domain/taxonomy.js";
import type { ComplaintFilters, ComplaintRow } from "../../../services/compliance/list-complaints.js";
import { kindWords } from "../../../services/compliance/list-complaints.js";
import { Layout } from "../layout.js";

const STATUS_WORDS: Record<string, string> = { open: "Open", answered: "Answered", resolved: "Resolved" };
/** Rows drawn on the page; the counts and the CSV cover every matching complaint. */
export const REGISTER_PAGE_ROWS = 500;
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

export function ComplaintsPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  rows: ComplaintRow[];
  filters: ComplaintFilters;
  channels: string[];
  sources: string[];
  handlers: { id: number; name: string }[];
  csvHref: string;
}) {
  const f = props.filters;
  const counts = COMPLAINT_STATUSES.map((s) => `${props.rows.filter((r) => r.status === s).length} ${s}`);
  return (
    <Layout title="Complaint register" user={props.user} csrfToken={props.csrfToken} active="complaints">
      <h1>Complaint register</h1>
      <p class="muted">
        Every complaint, wherever it was made: posts classified as collections complaints, and CFPB complaints
        (from the CFPB database, or posts saying one was filed). Repeats of the same post count once.{" "}
        <a href="/supervision">Supervision</a>
      </p>
      <form method="get" action="/complaints" class="filters">
        <label>
          Received (CFPB: day sent to the company; posts: UTC day) from
          <input type="date" name="from" value={f.from ?? ""} />
        </label>
        <label>
          to
          <input type="date" name="to" value={f.to ?? ""} />
        </label>
        <label>
          Channel
          <select name="channel">
            <option value="">All</option>
            {props.channels.map((c) => (
              <option value={c} selected={f.channel === c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select name="source">
            <option value="">All</option>
            {props.sources.map((s) => (
              <option value={s} selected={f.source === s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select name="category">
            <option value="">All</option>
            {CATEGORIES.map((c) => (
              <option value={c} selected={f.category === c}>
                {categoryWords(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status">
            <option value="">All</option>
            {COMPLAINT_STATUSES.map((s) => (
              <option value={s} selected={f.status === s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Handled by
          <select name="handler">
            <option value="">Anyone</option>
            {props.handlers.map((h) => (
              <option value={String(h.id)} selected={f.handler === h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          CFPB clock
          <select name="clock">
            <option value="">Any</option>
            <option value="running" selected={f.clock === "running"}>
              Running (no final response yet)
            </option>
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      <p>
        <strong>{props.rows.length}</strong> {props.rows.length === 1 ? "complaint" : "complaints"} (
        {counts.join(", ")}).{" "}
        <a href={props.csvHref} download>
          Download these as CSV
        </a>
      </p>
      {props.rows.length > REGISTER_PAGE_ROWS ? (
        <p class="muted">
          Showing the newest {REGISTER_PAGE_ROWS} of {props.rows.length}: narrow the filters, or download the
          CSV for all of them.
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p class="empty">No complaint matches these filters.</p>
      ) : (
        <table class="data">
          <caption class="sr-only">Complaints, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Where</th>
              <th scope="col">Category and flags</th>
              <th scope="col">Status</th>
              <th scope="col">Answered</th>
              <th scope="col">Resolved</th>
              <th scope="col">Handled by</th>
              <th scope="col">Outcome</th>
              <th scope="col">Complaint</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.slice(0, REGISTER_PAGE_ROWS).map((r) => (
              <tr>
                <td data-label="Received">{r.receivedDay}</td>
                <td data-label="Where">
                  {r.source} ({kindWords(r.kind)})
                </td>
                <td data-label="Category">
                  {r.categoryLabel}
                  {r.cfpbIssue ? <div class="muted">CFPB issue: {r.cfpbIssue}</div> : null}
                  {r.flags.map((flag) => (
                    <span class="flag">{flag.replace(/_/g, " ")}</span>
                  ))}
                </td>
                <td data-label="Status">{STATUS_WORDS[r.status]}</td>
                <td data-label="Answered">{day(r.answeredAt)}</td>
                <td data-label="Resolved">{day(r.resolvedAt)}</td>
                <td data-label="Handled by">{r.handler?.name ?? "Nobody yet"}</td>
                <td data-label="Outcome">{r.outcome}</td>
                <td data-label="Complaint" class="wrap">
                  <a href={`/mentions/${r.id}`}>
                    {r.text.length > 200 ? `${r.text.slice(0, 199)}…` : r.text}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
