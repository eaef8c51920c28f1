// Supervision (managers and admins): how often each person's drafts were stopped, per rule and per week, so a
// compliance officer coaches the person. Rules by their plain names; every figure from services/compliance.
import type { AuthUser } from "../../../auth/types.js";
import {
  plainRuleName,
  STOP_KIND_WORDS,
  STOP_KINDS,
  weekWords,
} from "../../../domain/compliance/supervision.js";
import type { Supervision } from "../../../services/compliance/supervision.js";
import { Layout } from "../layout.js";

export const SUPERVISION_WEEK_CHOICES = [4, 8, 12, 26] as const;

export function SupervisionPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  data: Supervision;
  weeks: number;
  person: number | undefined;
}) {
  const d = props.data;
  const name = (id: number) => d.names[id] ?? `user ${id}`;
  const people = Object.entries(d.names).sort((a, b) => a[1].localeCompare(b[1]));
  return (
    <Layout title="Supervision" user={props.user} csrfToken={props.csrfToken} active="complaints">
      <h1>Supervision</h1>
      <p class="muted">
        How often drafts were stopped, by person and by rule: blocked at submit (the person who submitted),
        stopped at approval, and house-style warnings a manager accepted (the reply's author). Weeks run
        Monday to Sunday, UTC. <a href="/complaints">Complaint register</a>
      </p>
      <form method="get" action="/supervision" class="filters">
        <label>
          Weeks
          <select name="weeks">
            {SUPERVISION_WEEK_CHOICES.map((w) => (
              <option value={String(w)} selected={props.weeks === w}>
                last {w}
              </option>
            ))}
          </select>
        </label>
        <label>
          Person
          <select name="person">
            <option value="">Everyone</option>
            {people.map(([id, n]) => (
              <option value={id} selected={props.person === Number(id)}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      <p>
        {d.total === 0
          ? `No draft was stopped in these ${d.weeks.length} weeks.`
          : `${d.total} ${d.total === 1 ? "stop" : "stops"} in ${d.weeks.length} weeks: ${STOP_KINDS.map((k) => `${d.byKind[k]} ${STOP_KIND_WORDS[k].toLowerCase()}`).join(", ")}.`}
      </p>

      <h2>By person</h2>
      {d.people.length === 0 ? (
        <p class="empty">Nobody's drafts were stopped.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Person</th>
              {STOP_KINDS.map((k) => (
                <th scope="col">{STOP_KIND_WORDS[k]}</th>
              ))}
              <th scope="col">Most often</th>
            </tr>
          </thead>
          <tbody>
            {d.people.map((p) => (
              <tr>
                <th scope="row">{name(p.personId)}</th>
                {STOP_KINDS.map((k) => (
                  <td data-label={STOP_KIND_WORDS[k]}>{p.byKind[k]}</td>
                ))}
                <td data-label="Most often">
                  {p.byRule
                    .slice(0, 3)
                    .map((r) => `${plainRuleName(r.rule)}: ${r.count}`)
                    .join("; ") || "no rule recorded"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>By rule</h2>
      {d.rules.length === 0 ? (
        <p class="empty">No rule stopped a draft.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Times</th>
              <th scope="col">People</th>
            </tr>
          </thead>
          <tbody>
            {d.rules.map((r) => (
              <tr>
                <th scope="row">{plainRuleName(r.rule)}</th>
                <td data-label="Times">{r.count}</td>
                <td data-label="People">{r.people}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>By week</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Week</th>
            {STOP_KINDS.map((k) => (
              <th scope="col">{STOP_KIND_WORDS[k]}</th>
            ))}
            <th scope="col">All stops</th>
          </tr>
        </thead>
        <tbody>
          {d.weekly.map((w) => (
            <tr>
              <th scope="row">{weekWords(w.week)}</th>
              {STOP_KINDS.map((k) => (
                <td data-label={STOP_KIND_WORDS[k]}>{w.byKind[k]}</td>
              ))}
              <td data-label="All stops">{w.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
