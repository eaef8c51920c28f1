import { can } from "../../auth/roles.js";
import type { AuthUser } from "../../auth/types.js";
import type { FilterOptions } from "../../services/mentions/filter-options.js";
import type { SourceSummary } from "../../services/sources/list-sources.js";
import { CsrfField, Layout } from "./layout.js";
import { formatTime } from "./mention-row.js";

export interface SourcesPageProps {
  user: AuthUser;
  csrfToken: string | null;
  sources: SourceSummary[];
  brands: FilterOptions["brands"];
  message?: { ok: boolean; text: string } | undefined;
  form?: Record<string, string> | undefined;
}

const HEALTH_WORDS: Record<string, string> = {
  ok: "healthy",
  failing: "failing",
  auth_error: "credentials rejected",
  unsupported: "not supported",
  disabled: "disabled",
};

export function SourcesPage({ user, csrfToken, sources, brands, message, form }: SourcesPageProps) {
  const canManage = can(user.role, "manageSources");
  return (
    <Layout title="Sources" user={user} csrfToken={csrfToken} active="sources">
      <h1>Sources</h1>
      {message ? (
        <p class={message.ok ? "notice" : "error"} role="status" id="source-message">
          {message.text}
        </p>
      ) : null}
      <table class="data" id="sources">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Brand</th>
            <th>Schedule</th>
            <th>Last run</th>
            <th>Items</th>
            <th>Next run</th>
            <th>Health</th>
            <th>Last error</th>
            {canManage ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr data-source={s.name}>
              <td>{s.name}</td>
              <td>
                {s.label}
                {s.notice ? <div class="muted">{s.notice}</div> : null}
              </td>
              <td>{s.brand ?? "—"}</td>
              <td>
                <code>{s.schedule}</code>
              </td>
              <td>{s.lastRunAt ? formatTime(s.lastRunAt) : "never"}</td>
              <td>{String(s.lastItems)}</td>
              <td>{s.nextRunAt ? formatTime(s.nextRunAt) : "—"}</td>
              <td class={`health-${s.health}`}>
                {HEALTH_WORDS[s.health] ?? s.health}
                {s.consecutiveFailures > 1 ? ` (${s.consecutiveFailures} failures in a row)` : ""}
              </td>
              <td class="wrap">{s.lastError ?? ""}</td>
              {canManage ? (
                <td>
                  <form method="post" action={`/sources/${s.id}/test`} class="inline">
                    <CsrfField token={csrfToken} />
                    <button type="submit" disabled={!s.canTestConnection}>
                      Test connection
                    </button>
                  </form>{" "}
                  <form method="post" action={`/sources/${s.id}/poll`} class="inline">
                    <CsrfField token={csrfToken} />
                    <button type="submit">Poll now</button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {sources.length === 0 ? <p class="muted">No sources yet.</p> : null}
      {canManage ? (
        <section class="panel narrow-left">
          <h2>Add an RSS or Atom feed</h2>
          <p class="muted">
            Google Alerts, Reddit search feeds, news: any feed is already a query, so every entry is stored.
          </p>
          <form method="post" action="/sources" class="stack" id="add-source">
            <CsrfField token={csrfToken} />
            <label>
              Name
              <input name="name" required value={form?.name ?? ""} placeholder="google-alerts-acme" />
            </label>
            <label>
              Feed URL
              <input
                name="url"
                type="url"
                required
                value={form?.url ?? ""}
                placeholder="https://www.google.com/alerts/feeds/…"
              />
            </label>
            <label>
              Brand
              <select name="brand">
                {brands.map((b) => (
                  <option
                    value={b.slug}
                    selected={form?.brand ? form.brand === b.slug : b.kind === "company"}
                  >
                    {b.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Schedule (cron)
              <input name="every" value={form?.every ?? "*/15 * * * *"} />
            </label>
            <button type="submit" class="primary">
              Add source
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
