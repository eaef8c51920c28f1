import type { AuthUser } from "../../auth/types.js";
import {
  ACTION_NAMES,
  actionName,
  actorName,
  changeLines,
  describeAuditEntry,
  ENTITY_WORDS,
  entityName,
} from "../../domain/audit-sentences.js";
import { ROLES } from "../../domain/taxonomy.js";
import { type AuditRow, SYSTEM_ACTOR_FILTER } from "../../services/audit/list-audit.js";
import type { UserSummary } from "../../services/users/manage-users.js";
import { CsrfField, Layout } from "./layout.js";
import { formatTime } from "./mention-row.js";

export function UsersPage({
  user,
  csrfToken,
  users,
  link,
  error,
}: {
  user: AuthUser;
  csrfToken: string | null;
  users: UserSummary[];
  link?: { email: string; url: string } | undefined;
  error?: string | undefined;
}) {
  return (
    <Layout title="Users" user={user} csrfToken={csrfToken} active="users">
      <h1>Users</h1>
      {error ? <p class="error">{error}</p> : null}
      {link ? (
        <p class="notice" id="one-time-link">
          {`Send this single-use link to ${link.email}: `}
          <code>{link.url}</code>
        </p>
      ) : null}
      <table class="data" id="users">
        <thead>
          <tr>
            <th>E-mail</th>
            <th>Role</th>
            <th>State</th>
            <th>
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr data-user={u.email}>
              <td>
                {u.email}
                {u.name ? <div class="muted">{u.name}</div> : null}
              </td>
              <td>
                <form method="post" action={`/users/${u.id}`} class="inline">
                  <CsrfField token={csrfToken} />
                  <select name="role" aria-label={`role of ${u.email}`}>
                    {ROLES.map((r) => (
                      <option value={r} selected={u.role === r}>
                        {r}
                      </option>
                    ))}
                  </select>
                  <button type="submit">Save role</button>
                </form>
              </td>
              <td>{u.disabled ? "disabled" : u.invited ? "invited" : "active"}</td>
              <td>
                <form method="post" action={`/users/${u.id}`} class="inline">
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="disabled" value={u.disabled ? "false" : "true"} />
                  <button type="submit">{u.disabled ? "Enable" : "Disable"}</button>
                </form>{" "}
                <form method="post" action={`/users/${u.id}/reset`} class="inline">
                  <CsrfField token={csrfToken} />
                  <button type="submit">{u.invited ? "New invitation link" : "Password reset link"}</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>Invite someone</h2>
        <form method="post" action="/users" class="stack" id="invite">
          <CsrfField token={csrfToken} />
          <label>
            E-mail
            <input type="email" name="email" required />
          </label>
          <label>
            Role
            <select name="role">
              {ROLES.map((r) => (
                <option value={r} selected={r === "responder"}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="primary">
            Create invitation link
          </button>
        </form>
      </section>
    </Layout>
  );
}

export interface AuditFilterValues {
  since?: string | undefined;
  until?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
}

/** "mention 12" links to the mention; a person is named by e-mail; other things are named in words. */
function AuditSubject({ row, emailOf }: { row: AuditRow; emailOf: Map<number, string> }) {
  const name = entityName(row.entityType, row.entityId);
  if (row.entityType === "mention" && row.entityId) return <a href={`/mentions/${row.entityId}`}>{name}</a>;
  if (row.entityType === "user" && row.entityId) return <>{emailOf.get(Number(row.entityId)) ?? name}</>;
  return <>{name}</>;
}

function AuditDetails({ row }: { row: AuditRow }) {
  const lines = changeLines(row.before, row.after);
  if (lines.length === 0) return null;
  return (
    <details>
      <summary>What was recorded</summary>
      <ul class="audit-values">
        {lines.map((l) => (
          <li>
            <span class="muted">{`${l.field}: `}</span>
            {l.from !== undefined && l.to !== undefined
              ? `${l.from} → ${l.to}`
              : l.from !== undefined
                ? `${l.from} (removed)`
                : l.to}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function AuditPage({
  user,
  csrfToken,
  rows,
  nextUrl,
  csvUrl,
  values,
  people,
  error,
}: {
  user: AuthUser;
  csrfToken: string | null;
  rows: AuditRow[];
  nextUrl: string | null;
  csvUrl: string;
  values: AuditFilterValues;
  /** The workspace's people: the "who" filter, and names for entries that refer to people by id. */
  people: { id: number; email: string; name?: string }[];
  error?: string | undefined;
}) {
  const emailOf = new Map(people.map((p) => [p.id, p.email]));
  // Sentences call people by name where they have one; the "Who" column keeps the e-mail too, as evidence.
  const nameOf = new Map(people.filter((p) => p.name?.trim()).map((p) => [p.email, p.name!.trim()]));
  const display = (email: string | undefined) => (email ? (nameOf.get(email) ?? email) : undefined);
  const actions = Object.keys(ACTION_NAMES)
    .concat(values.action && !(values.action in ACTION_NAMES) ? [values.action] : [])
    .map((a) => ({ code: a, name: actionName(a) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const filtered = Object.values(values).some((v) => v);
  return (
    <Layout title="Audit log" user={user} csrfToken={csrfToken} active="audit">
      <h1>Audit log</h1>
      <p class="muted">
        Who did what, newest first. Times are UTC. The export has every recorded value, for evidence requests.
      </p>
      {error ? <p class="error">{error}</p> : null}
      <form method="get" action="/audit" class="filters" id="audit-filters">
        <label>
          From
          <input type="date" name="since" value={values.since?.slice(0, 10) ?? ""} />
        </label>
        <label>
          To
          <input type="date" name="until" value={values.until?.slice(0, 10) ?? ""} />
        </label>
        <label>
          Who
          <select name="actor">
            <option value="">anyone</option>
            <option value={SYSTEM_ACTOR_FILTER} selected={values.actor === SYSTEM_ACTOR_FILTER}>
              Rapport (automatic)
            </option>
            {people.map((p) => (
              <option value={p.email} selected={values.actor === p.email}>
                {p.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          What
          <select name="action">
            <option value="">anything</option>
            {actions.map((a) => (
              <option value={a.code} selected={values.action === a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          About
          <select name="entityType">
            <option value="">anything</option>
            {Object.entries(ENTITY_WORDS).map(([code, word]) => (
              <option value={code} selected={values.entityType === code}>
                {word}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number
          <input name="entityId" value={values.entityId ?? ""} inputmode="numeric" size={6} />
        </label>
        <button type="submit">Filter</button>
        {filtered ? (
          <a href="/audit" class="button">
            Clear
          </a>
        ) : null}
        <a href={csvUrl} class="button" id="audit-csv">
          Export CSV
        </a>
      </form>
      {rows.length === 0 ? <p class="muted">Nothing recorded matches these filters.</p> : null}
      <table class="data" id="audit">
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Who</th>
            <th>What happened</th>
            <th>About</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-action={r.action}>
              <td data-label="When" class="nowrap">
                <time datetime={r.at}>{formatTime(r.at)}</time>
              </td>
              <td data-label="Who">
                {r.actor && nameOf.has(r.actor) ? `${nameOf.get(r.actor)} (${r.actor})` : actorName(r.actor)}
              </td>
              <td data-label="What">
                <strong>{actionName(r.action)}</strong>
                <div>
                  {describeAuditEntry(r, {
                    personName: (id) => display(emailOf.get(id)),
                    actorName: (actor) => (actor ? nameOf.get(actor) : undefined) ?? actorName(actor),
                  })}
                </div>
                <AuditDetails row={r} />
              </td>
              <td data-label="About">
                <AuditSubject row={r} emailOf={emailOf} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextUrl ? (
        <p class="pager">
          <a href={nextUrl}>Older →</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function AccountPage({
  user,
  csrfToken,
  tokens,
  newToken,
}: {
  user: AuthUser;
  csrfToken: string | null;
  tokens: {
    id: number;
    name: string;
    scope: string;
    expiresAt: Date | null;
    createdAt: Date;
    lastUsedAt: Date | null;
  }[];
  newToken?: string | undefined;
}) {
  return (
    <Layout title="Account" user={user} csrfToken={csrfToken} active="account">
      <h1>Account</h1>
      <p>
        {user.email} · {user.role}
      </p>
      <section class="panel">
        <h2>API tokens</h2>
        <p class="muted">
          For integrations: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, with
          your role; a read-only token can only read. The API is described at{" "}
          <a href="/api/openapi.json">/api/openapi.json</a>.
        </p>
        {newToken ? (
          <p class="notice" id="new-token">
            {"Copy it now, it is shown only once: "}
            <code>{newToken}</code>
          </p>
        ) : null}
        {tokens.length === 0 ? <p class="muted">You have no API tokens.</p> : null}
        <table class="data" id="tokens" hidden={tokens.length === 0}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Access</th>
              <th>Expires (UTC)</th>
              <th>Created (UTC)</th>
              <th>Last used (UTC)</th>
              <th>
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.name}</td>
                <td>{t.scope === "read" ? "read only" : "read and write"}</td>
                <td class="muted">{t.expiresAt ? formatTime(t.expiresAt.toISOString()) : "never"}</td>
                <td class="muted">{formatTime(t.createdAt.toISOString())}</td>
                <td class="muted">{t.lastUsedAt ? formatTime(t.lastUsedAt.toISOString()) : "never"}</td>
                <td>
                  <form method="post" action={`/account/tokens/${t.id}/delete`} class="inline">
                    <CsrfField token={csrfToken} />
                    <button type="submit">Revoke</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>New token</h3>
        <form method="post" action="/account/tokens" class="filters" id="new-token-form">
          <CsrfField token={csrfToken} />
          <label>
            Name
            <input name="name" placeholder="e.g. CRM sync" required />
          </label>
          <label>
            Access
            <select name="scope">
              <option value="read" selected>
                read only
              </option>
              <option value="write">read and write</option>
            </select>
          </label>
          <label>
            Expires in days (blank: never)
            <input name="expiresInDays" type="number" min={1} max={3650} />
          </label>
          <button type="submit">Create token</button>
        </form>
      </section>
    </Layout>
  );
}

export function WelcomePage({
  token,
  email,
  purpose,
  error,
  apiTokens = [],
}: {
  token: string;
  email: string;
  purpose: string;
  error?: string | undefined;
  /** Names of the person's API tokens: a reset asks whether to end them too. */
  apiTokens?: string[];
}) {
  return (
    <Layout title="Set your password" user={null}>
      <section class="panel narrow login">
        <h1>{purpose === "invite" ? "Welcome to Rapport" : "Choose a new password"}</h1>
        <p class="muted">{email}</p>
        {error ? <p class="error">{error}</p> : null}
        <form method="post" action={`/welcome/${token}`}>
          <label>
            New password (10+ characters)
            <input
              type="password"
              name="password"
              autocomplete="new-password"
              minlength={10}
              required
              autofocus
            />
          </label>
          {apiTokens.length > 0 ? (
            <fieldset>
              <legend>{`Your API tokens (${apiTokens.join(", ")})`}</legend>
              <p class="muted">
                Your other sessions end with this reset. If your password may have leaked, end your API tokens
                too and create new ones under Account.
              </p>
              <label>
                <input type="radio" name="api_tokens" value="revoke" checked />
                {` End all ${apiTokens.length} API token${apiTokens.length === 1 ? "" : "s"}`}
              </label>
              <label>
                <input type="radio" name="api_tokens" value="keep" /> Keep them
              </label>
            </fieldset>
          ) : null}
          <button type="submit" class="primary">
            Set password and sign in
          </button>
        </form>
      </section>
    </Layout>
  );
}
