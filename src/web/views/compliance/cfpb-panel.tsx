// The CFPB response clock on a mention's page: where the complaint stands in words, its two deadlines, who
// recorded each response and when, and (for managers) the forms to record them. Days are US Eastern, as the
// CFPB portal counts them.
import {
  CFPB_OUTCOMES,
  CFPB_TIME_ZONE,
  calendarDay,
  cfpbClockWords,
  dayLabel,
} from "../../../domain/compliance/cfpb-clock.js";
import type { CfpbComplaint } from "../../../services/compliance/cfpb-complaints.js";
import { CsrfField } from "../layout.js";

const when = (at: Date | null, by: string | null) =>
  at ? `${dayLabel(calendarDay(at, CFPB_TIME_ZONE))}${by ? `, recorded by ${by}` : ""}` : null;

export function CfpbPanel(props: {
  complaint: CfpbComplaint;
  now: Date;
  canRecord: boolean;
  /** May link it to an account by the reference the CFPB portal shows (roles that see accounts). */
  canLink?: boolean;
  csrfToken: string | null;
}) {
  const c = props.complaint;
  const today = calendarDay(props.now, CFPB_TIME_ZONE);
  const state = c.clock.overdue ? "overdue" : c.clock.stage === "closed" ? "closed" : "open";
  return (
    <section class={`panel cfpb-clock cfpb-${state}`} aria-labelledby="cfpb-clock-title">
      <h2 id="cfpb-clock-title">CFPB response clock</h2>
      <p>
        <strong>{cfpbClockWords(c.clock, props.now)}</strong>
      </p>
      <p class="muted">
        {c.origin === "portal"
          ? `From the CFPB complaint database. The company received it on ${dayLabel(c.receivedDay, today)}.`
          : `This post says a complaint was filed with the CFPB. Its days are counted from the post (${dayLabel(c.receivedDay, today)}), which is never later than the CFPB's; find it in the CFPB company portal.`}{" "}
        Company response due {dayLabel(c.clock.responseDueDay, today)} (15 days), final response due{" "}
        {dayLabel(c.clock.finalDueDay, today)} (60 days), US Eastern.
      </p>
      <dl class="cfpb-records">
        <dt>Company response</dt>
        <dd>
          {when(c.respondedAt, c.respondedBy) ??
            (c.clock.closedByPortal ? "Given in the CFPB portal" : "Not recorded yet")}
        </dd>
        <dt>Final response</dt>
        <dd>
          {c.finalAt
            ? `${when(c.finalAt, c.finalBy)}: ${c.outcome ?? ""}`
            : c.clock.closedByPortal
              ? `${c.portalResponse} (CFPB portal)`
              : "Not recorded yet"}
        </dd>
      </dl>
      {props.canRecord && c.clock.stage !== "closed" ? (
        <form method="post" action={`/mentions/${c.mentionId}/cfpb-response`} class="filters">
          <CsrfField token={props.csrfToken} />
          <label>
            What went out
            <select name="step">
              {c.clock.stage === "response" ? <option value="response">Company response</option> : null}
              <option value="final">Final response</option>
            </select>
          </label>
          <label>
            On (US Eastern day)
            <input type="date" name="on" value={today} max={today} min={c.receivedDay} />
          </label>
          <label>
            Outcome (final response)
            <select name="outcome">
              <option value="">—</option>
              {CFPB_OUTCOMES.map((o) => (
                <option value={o}>{o}</option>
              ))}
            </select>
          </label>
          <button type="submit">Record</button>
        </form>
      ) : null}
      {props.canLink && c.origin === "portal" ? (
        <form method="post" action={`/mentions/${c.mentionId}/cfpb-link`} class="filters">
          <CsrfField token={props.csrfToken} />
          <label>
            Account reference (as the CFPB company portal shows it)
            <input name="reference" required maxLength={200} autocomplete="off" />
          </label>
          <button type="submit">Link to this account</button>
        </form>
      ) : null}
    </section>
  );
}
