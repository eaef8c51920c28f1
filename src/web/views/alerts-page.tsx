// /alerts: what is waiting to be delivered (and what failed, with the fix), recent spikes with their
// explanations, and the settings behind alerts and digests.
import type { AuthUser } from "../../auth/types.js";
import { can } from "../../domain/permissions.js";
import type { Sensitivity } from "../../domain/spikes/detect.js";
import type { OutboxSummary } from "../../platform/outbox/outbox.js";
import {
  displayDestination,
  type listRecipients,
  type recentSpikes,
  redactWebhook,
  type workspaceBrands,
} from "../../services/alerts/settings.js";
import type { FeedbackCounts } from "../../services/alerts/spike-feedback.js";
import type { SpikeMute } from "../../services/alerts/spike-mutes.js";
import { explanationHighlights } from "../../services/alerts/spike-summary.js";
import { CsrfField, Layout } from "./layout.js";

export interface AlertsPageProps {
  user: AuthUser;
  csrfToken: string | null;
  outbox: OutboxSummary;
  spikes: Awaited<ReturnType<typeof recentSpikes>>;
  feedback: Map<number, FeedbackCounts & { mine: boolean | null }>;
  mutes: SpikeMute[];
  /** Source names by id, for muted keys that name a source. */
  sourceNames?: Map<number, string>;
  /** Each brand's own sensitivity; null follows the workspace's. */
  brandSensitivity: Map<number, Sensitivity | null>;
  now: Date;
  brands: Awaited<ReturnType<typeof workspaceBrands>>;
  recipients: Awaited<ReturnType<typeof listRecipients>>;
  sensitivity: string;
  sharedWebhook: boolean;
  smtpConfigured: boolean;
  timeZones: string[];
  message?: { ok: boolean; text: string } | undefined;
}

const time = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "—");
// Readable at 390 px: wide tables scroll inside their panel, long words and links in posts wrap.
const SCROLL = "overflow-x:auto;max-width:100%";
const WRAP = "overflow-wrap:anywhere";
const LIST = "list-style:none;padding:0;margin:.4rem 0;display:grid;gap:.4rem";
const SENSITIVITY_LABEL: Record<Sensitivity, string> = {
  fewer: "fewer spikes (only clear ones)",
  balanced: "balanced",
  more: "more spikes (earlier, noisier)",
};
const SNOOZES = [
  ["1h", "Snooze 1 hour"],
  ["4h", "Snooze 4 hours"],
  ["24h", "Snooze 1 day"],
  ["7d", "Snooze 1 week"],
  ["forever", "Mute until unmuted"],
] as const;

/** What a key is, in words, for the mutes list ("Acme · legal threats · news-feed"). */
function keyLabel(
  key: string,
  brandName: Map<number, string>,
  sourceName = new Map<number, string>(),
): string {
  const match = /^brand:(\d+)(?:\|cat:([a-z_]+)\|src:(\d+))?$/.exec(key);
  if (!match) return key;
  const brand = brandName.get(Number(match[1])) ?? `brand ${match[1]}`;
  const source = sourceName.get(Number(match[3])) ?? `source ${match[3]}`;
  return match[2] ? `${brand} · ${match[2].replace(/_/g, " ")} · ${source}` : `${brand} (all of it)`;
}

/**
 * What a queued message is, in words ("Slack alert: urgent mention 12"), from its idempotency key: the key and
 * the row id are internals (the key stays in data-outbox for tests and support).
 */
export function outboxMessage(kind: string, key: string): string {
  const channel = kind === "slack" ? "Slack" : kind === "email" ? "E-mail" : "Webhook";
  const urgent = /^urgent:(\d+)/.exec(key);
  if (urgent) return `${channel} alert: urgent mention ${urgent[1]}`;
  if (key.startsWith("spike:")) return `${channel} alert: a spike in mentions`;
  if (key.startsWith("test:")) return `${channel} test message`;
  const digest = /^digest:\d+:([^:]+):/.exec(key);
  if (digest)
    return `Weekly digest for ${digest[1]}${key.includes(":on-demand:") ? " (sent on request)" : ""}`;
  if (key.startsWith("rights_event:"))
    return `${channel}: a consumer-rights event for the collections system`;
  return `${channel} message`;
}

export function AlertsPage(props: AlertsPageProps) {
  const { csrfToken, outbox, message } = props;
  const brandName = new Map(props.brands.map((b) => [b.id, b.name]));
  const manage = can(props.user.role, "manageAlerts");
  return (
    <Layout title="Alerts" user={props.user} csrfToken={csrfToken} active="alerts">
      <h1>Alerts and digests</h1>
      {message ? (
        <p class={message.ok ? "notice" : "error"} role="status" id="alerts-message">
          {message.text}
        </p>
      ) : null}

      <section class="panel" id="outbox">
        <h2>Delivery</h2>
        <p class="muted">
          {outbox.pending} waiting · {outbox.failed} failed · {outbox.unknown} outcome unknown · {outbox.sent}{" "}
          delivered. Messages are sent every minute; Slack or mail outages are retried with backoff, and
          nothing is sent twice.
        </p>
        <div style={SCROLL}>
          <table class="data">
            <thead>
              <tr>
                <th>Message</th>
                <th>To</th>
                <th>Status</th>
                <th>Tries</th>
                <th>Next try / sent</th>
                <th>Problem and fix</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outbox.rows.map((row) => (
                <tr data-outbox={row.idempotencyKey} data-status={row.status}>
                  <td>{outboxMessage(row.kind, row.idempotencyKey)}</td>
                  <td>{displayDestination(row.kind, row.destination)}</td>
                  <td>{row.status}</td>
                  <td>{row.attempts}</td>
                  <td>
                    {row.status === "sent"
                      ? time(row.sentAt)
                      : row.status === "pending"
                        ? time(row.nextAttemptAt)
                        : "—"}
                  </td>
                  <td>
                    {row.lastError ? <div>{row.lastError}</div> : null}
                    {row.fix ? (
                      <div class="fix">
                        <strong>Fix:</strong> {row.fix}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {row.status !== "sent" && row.status !== "sending" ? (
                      <form method="post" action={`/alerts/outbox/${row.id}/retry`} class="inline">
                        <CsrfField token={csrfToken} />
                        <button type="submit">
                          {row.status === "failed" || row.status === "unknown" ? "Retry" : "Send now"}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="panel" id="spikes">
        <h2>Recent spikes</h2>
        {props.spikes.length === 0 ? <p class="muted">No spikes yet.</p> : null}
        {props.spikes.map((spike) => {
          const d = spike.details;
          const fb = props.feedback.get(spike.id);
          return (
            <article id={`spike-${spike.id}`} class="spike" style={WRAP}>
              <h3>
                {d?.subject ?? brandName.get(spike.brandId ?? 0) ?? spike.key} — {spike.count} in an hour vs{" "}
                {spike.expected.toFixed(1)} usual
              </h3>
              <p class="muted">
                From {time(spike.startedAt)} UTC, last spike hour {time(spike.lastHourAt)} (
                {d?.episode.hours ?? 1} h, peak {d?.episode.peak.count ?? spike.count}).{" "}
                {d?.partOfSpikeId
                  ? `Part of spike #${d.partOfSpikeId}.`
                  : d?.alerted
                    ? "Alerted in Slack."
                    : "Not alerted (no webhook)."}{" "}
                {d?.feedUrl ? (
                  <a href={new URL(d.feedUrl).pathname + new URL(d.feedUrl).search}>Open the feed</a>
                ) : null}
              </p>
              <p class="muted" data-episode>
                {spike.endedAt
                  ? `Episode ended ${time(spike.endedAt)} UTC.`
                  : "Episode still open (it ends after a quiet cooldown)."}{" "}
                {d?.muted
                  ? `Muted${d.muted.until ? ` until ${time(new Date(d.muted.until))} UTC` : ""}: not sent to Slack.`
                  : null}
              </p>
              {d?.summary ? <p data-summary>{d.summary}</p> : null}
              {d ? (
                <>
                  <ul>
                    {explanationHighlights(d.explanation).map((line) => (
                      <li>{line}</li>
                    ))}
                  </ul>
                  {d.explanation.examples.map((e) => (
                    <blockquote>
                      {e.text} <a href={`/mentions/${e.id}`}>open</a>{" "}
                      <span class="muted">{e.source ?? ""}</span>
                    </blockquote>
                  ))}
                </>
              ) : null}
              {manage ? (
                <div class="filters" data-spike-actions>
                  <form
                    method="post"
                    action={`/alerts/spikes/${spike.id}/feedback`}
                    class="inline"
                    data-feedback
                  >
                    <CsrfField token={csrfToken} />
                    <span>Was this alert useful? </span>
                    <button
                      type="submit"
                      name="useful"
                      value="yes"
                      aria-pressed={fb?.mine === true ? "true" : "false"}
                    >
                      Yes
                    </button>{" "}
                    <button
                      type="submit"
                      name="useful"
                      value="no"
                      aria-pressed={fb?.mine === false ? "true" : "false"}
                    >
                      No
                    </button>{" "}
                    <span class="muted" data-feedback-counts>
                      {fb ? `${fb.useful} yes · ${fb.notUseful} no` : "no answers yet"}
                    </span>
                  </form>
                  <form method="post" action="/alerts/mutes" class="inline" data-mute>
                    <CsrfField token={csrfToken} />
                    <input type="hidden" name="key" value={spike.key} />
                    <label>
                      <select name="for" aria-label={`Silence ${d?.subject ?? spike.key}`}>
                        {SNOOZES.map(([value, text]) => (
                          <option value={value}>{text}</option>
                        ))}
                      </select>
                    </label>{" "}
                    <button type="submit">Silence this key</button>
                  </form>
                </div>
              ) : null}
            </article>
          );
        })}
      </section>

      <section class="panel" id="sensitivity">
        <h2>Spike sensitivity</h2>
        <form method="post" action="/alerts/sensitivity">
          <CsrfField token={csrfToken} />
          <label>
            Alert on{" "}
            <select name="sensitivity">
              {(["fewer", "balanced", "more"] as const).map((s) => (
                <option value={s} selected={props.sensitivity === s}>
                  {s === "fewer"
                    ? "fewer spikes (only clear ones)"
                    : s === "balanced"
                      ? "balanced"
                      : "more spikes (earlier, noisier)"}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">Save</button>
        </form>
        <p class="muted">Per brand (a brand without its own follows the setting above):</p>
        <ul style={LIST} data-brand-sensitivity>
          {props.brands.map((b) => {
            const own = props.brandSensitivity.get(b.id) ?? null;
            return (
              <li data-brand={b.slug}>
                <form method="post" action={`/alerts/brands/${b.id}/sensitivity`} class="inline">
                  <CsrfField token={csrfToken} />
                  <label>
                    {b.name}{" "}
                    <select name="sensitivity">
                      <option value="" selected={own === null}>
                        workspace setting ({props.sensitivity})
                      </option>
                      {(["fewer", "balanced", "more"] as const).map((s) => (
                        <option value={s} selected={own === s}>
                          {SENSITIVITY_LABEL[s]}
                        </option>
                      ))}
                    </select>
                  </label>{" "}
                  <button type="submit">Save</button>
                </form>
              </li>
            );
          })}
        </ul>
      </section>

      <section class="panel" id="mutes">
        <h2>Muted and snoozed</h2>
        {props.mutes.length === 0 ? (
          <p class="muted">Nothing is muted: every spike goes to Slack.</p>
        ) : (
          <ul style={LIST}>
            {props.mutes.map((m) => (
              <li data-mute-key={m.key}>
                {keyLabel(m.key, brandName, props.sourceNames)} —{" "}
                {m.until ? `snoozed until ${time(m.until)} UTC` : "muted until unmuted"}{" "}
                <form method="post" action="/alerts/mutes/delete" class="inline">
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="key" value={m.key} />
                  <button type="submit" class="link">
                    Unmute
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="panel" id="webhooks">
        <h2>Slack webhooks</h2>
        <p class="muted">
          One incoming webhook per brand (Slack → Apps → Incoming Webhooks).{" "}
          {props.sharedWebhook
            ? "Brands without one use SLACK_WEBHOOK_URL."
            : "SLACK_WEBHOOK_URL is not set: brands without a webhook get no alerts."}
        </p>
        <div style={SCROLL}>
          <table class="data">
            <thead>
              <tr>
                <th>Brand</th>
                <th>Webhook</th>
                <th>Change</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.brands.map((b) => (
                <tr data-brand={b.slug}>
                  <td>{b.name}</td>
                  <td>
                    {b.slackWebhookUrl
                      ? redactWebhook(b.slackWebhookUrl)
                      : props.sharedWebhook
                        ? "shared (SLACK_WEBHOOK_URL)"
                        : "none"}
                  </td>
                  <td>
                    <form method="post" action={`/alerts/brands/${b.id}/webhook`} class="inline">
                      <CsrfField token={csrfToken} />
                      <input
                        type="url"
                        name="url"
                        placeholder="https://hooks.slack.com/services/…"
                        aria-label={`Slack webhook for ${b.name}`}
                      />
                      <button type="submit">Save</button>
                    </form>
                    {b.slackWebhookUrl ? (
                      <form method="post" action={`/alerts/brands/${b.id}/webhook`} class="inline">
                        <CsrfField token={csrfToken} />
                        <input type="hidden" name="url" value="" />
                        <button type="submit" class="link">
                          Remove
                        </button>
                      </form>
                    ) : null}
                  </td>
                  <td>
                    <form method="post" action={`/alerts/brands/${b.id}/test`} class="inline">
                      <CsrfField token={csrfToken} />
                      <button type="submit">Send a test</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="panel" id="recipients">
        <h2>Weekly digest recipients</h2>
        <p class="muted">Each gets last week's digest on Monday at 08:00 in their own time zone.</p>
        {props.smtpConfigured ? null : (
          <p class="error" id="smtp-missing">
            SMTP_URL is not set: digests are not e-mailed. Set it (smtp://user:password@host:587) and restart;
            meanwhile `npx rapport digest` prints a digest.
          </p>
        )}
        <div style={SCROLL}>
          <table class="data">
            <thead>
              <tr>
                <th>E-mail</th>
                <th>Brand</th>
                <th>Time zone</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.recipients.map((r) => (
                <tr data-recipient={r.email}>
                  <td>{r.email}</td>
                  <td>{r.brandId === null ? "company brand" : (brandName.get(r.brandId) ?? r.brandId)}</td>
                  <td>{r.timeZone}</td>
                  <td>
                    <form method="post" action={`/alerts/recipients/${r.id}/delete`} class="inline">
                      <CsrfField token={csrfToken} />
                      <button type="submit" class="link">
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action="/alerts/recipients" class="filters">
          <CsrfField token={csrfToken} />
          <label>
            E-mail <input type="email" name="email" required />
          </label>
          <label>
            Brand{" "}
            <select name="brandId">
              <option value="">company brand</option>
              {props.brands.map((b) => (
                <option value={String(b.id)}>{b.name}</option>
              ))}
            </select>
          </label>
          <label>
            Time zone <input name="timeZone" list="time-zones" value="America/New_York" required />
          </label>
          <datalist id="time-zones">
            {props.timeZones.map((tz) => (
              <option value={tz} />
            ))}
          </datalist>
          <button type="submit">Add recipient</button>
        </form>
      </section>
    </Layout>
  );
}
