import type { AuthUser } from "../../auth/types.js";
import { can } from "../../domain/permissions.js";
import { describeSchedule, SCHEDULE_CHOICES, timeFromNow } from "../../domain/schedule-words.js";
import type { FilterOptions } from "../../services/mentions/filter-options.js";
import type { ConfigField, SourceTypeForm } from "../../services/sources/config-form.js";
import type { SourceSummary } from "../../services/sources/list-sources.js";
import { CsrfField, Layout } from "./layout.js";

export interface SourcesPageProps {
  user: AuthUser;
  csrfToken: string | null;
  sources: SourceSummary[];
  brands: FilterOptions["brands"];
  now: Date;
  message?: { ok: boolean; text: string } | undefined;
  /** What was typed into the add form (secrets never included: they are not sent back). */
  form?: Record<string, string | string[]> | undefined;
  addForm?: AddFormState | undefined;
}

export interface AddFormState {
  types: SourceTypeForm[];
  chosen: SourceTypeForm;
  /** zod's issues by field name, each saying what to enter instead. */
  errors?: Record<string, string>;
  testResult?: { ok: boolean; message: string } | undefined;
  /** The connection test just failed: offer "add anyway". */
  offerAnyway?: boolean | undefined;
}

const HEALTH_WORDS: Record<string, string> = {
  ok: "healthy",
  failing: "failing",
  auth_error: "credentials rejected",
  unsupported: "not supported",
  disabled: "paused",
};

/** Health at a glance: state, last poll and next poll in words, last error as the poll described it. */
function SourceHealth({ s, now }: { s: SourceSummary; now: Date }) {
  const last = s.lastRunAt
    ? `Last poll ${timeFromNow(new Date(s.lastRunAt), now)} (${s.lastItems} new)`
    : "Not polled yet";
  const next = !s.enabled
    ? "Paused: not polled until resumed"
    : s.nextRunAt
      ? `Next poll ${timeFromNow(new Date(s.nextRunAt), now)}, ${s.scheduleWords}`
      : `Polled ${s.scheduleWords}`;
  return (
    <div class="source-health">
      <b class={`health-${s.health}`} data-health={s.health}>
        {HEALTH_WORDS[s.health] ?? s.health.replace(/_/g, " ")}
        {s.polling ? " · polling now…" : ""}
        {s.consecutiveFailures > 1 ? ` (${s.consecutiveFailures} failures in a row)` : ""}
      </b>
      <div>
        <time datetime={s.lastRunAt ?? undefined}>{last}</time>
      </div>
      <div class="muted" data-next-poll="true">
        {next}
      </div>
      {s.lastError ? (
        <div class="wrap error-text" data-last-error="true">
          {`Last error: ${s.lastError}`}
        </div>
      ) : null}
    </div>
  );
}

function SourceActions({ s, csrfToken }: { s: SourceSummary; csrfToken: string | null }) {
  return (
    <div class="source-actions">
      {s.editable ? <a href={`/sources/${s.id}/edit`}>Edit</a> : null}{" "}
      {s.type === "webhook" ? (
        <form method="post" action={`/sources/${s.id}/token`} class="inline">
          <CsrfField token={csrfToken} />
          <button type="submit">New push token</button>
        </form>
      ) : null}{" "}
      <form method="post" action={`/sources/${s.id}/test`} class="inline">
        <CsrfField token={csrfToken} />
        <button type="submit" disabled={!s.canTestConnection}>
          Test connection
        </button>
      </form>{" "}
      <form method="post" action={`/sources/${s.id}/poll`} class="inline">
        <CsrfField token={csrfToken} />
        <button type="submit">Poll now</button>
      </form>{" "}
      <form method="post" action={`/sources/${s.id}/${s.enabled ? "pause" : "resume"}`} class="inline">
        <CsrfField token={csrfToken} />
        <button type="submit">{s.enabled ? "Pause" : "Resume"}</button>
      </form>{" "}
      <a href={`/sources/${s.id}/remove`}>Remove…</a>
    </div>
  );
}

export function SourcesPage({
  user,
  csrfToken,
  sources,
  brands,
  now,
  message,
  form,
  addForm,
}: SourcesPageProps) {
  const canManage = can(user.role, "manageSources");
  return (
    <Layout title="Sources" user={user} csrfToken={csrfToken} active="sources">
      <h1>Sources</h1>
      {message ? (
        <p class={message.ok ? "notice" : "error"} role={message.ok ? "status" : "alert"} id="source-message">
          {message.text}
        </p>
      ) : null}
      <table class="data" id="sources">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Health</th>
            {canManage ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr data-source={s.name} data-enabled={String(s.enabled)}>
              <td>
                <b>{s.name}</b>
                <div>{s.label}</div>
                <div class="muted">{s.brand ? `for ${s.brand}` : "no brand"}</div>
                {s.notice ? <div class="muted">{s.notice}</div> : null}
              </td>
              <td>
                <SourceHealth s={s} now={now} />
              </td>
              {canManage ? (
                <td>
                  <SourceActions s={s} csrfToken={csrfToken} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {sources.length === 0 ? <p class="muted">No sources yet.</p> : null}
      {canManage && addForm ? (
        <AddSourceForm
          csrfToken={csrfToken}
          brands={brands}
          types={addForm.types}
          chosen={addForm.chosen}
          values={form ?? {}}
          errors={addForm.errors ?? {}}
          testResult={addForm.testResult}
          offerAnyway={addForm.offerAnyway === true}
        />
      ) : null}
    </Layout>
  );
}

/** The schedule as a choice in words; a stored schedule outside the choices stays selectable, described. */
function ScheduleSelect({ value }: { value: string }) {
  const known = SCHEDULE_CHOICES.some((c) => c.cron === value);
  return (
    <label>
      How often to poll
      <select name="every">
        {known ? null : (
          <option value={value} selected>
            {`${describeSchedule(value)} (as set from the command line)`}
          </option>
        )}
        {SCHEDULE_CHOICES.map((c) => (
          <option value={c.cron} selected={c.cron === value}>
            {c.words}
          </option>
        ))}
      </select>
    </label>
  );
}

function AnywayBox({ verb }: { verb: "Add" | "Save" }) {
  return (
    <label class="check anyway" data-testid="anyway">
      <input type="checkbox" name="anyway" value="1" />{" "}
      {`${verb} anyway: I know the connection test fails (the source will show as failing until it works).`}
    </label>
  );
}

function ConfigInput({
  field,
  value,
  error,
  storedSecret = false,
}: {
  field: ConfigField;
  value: string | string[] | undefined;
  error: string | undefined;
  /** Editing: a credential is stored, so a blank field keeps it. */
  storedSecret?: boolean;
}) {
  const name = `config.${field.name}`;
  const id = `config-${field.name}`;
  const describedBy = `${id}-hint${error ? ` ${id}-error` : ""}`;
  const text = Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
  const note = (
    <>
      {field.hint ? (
        <span class="muted field-hint" id={`${id}-hint`}>
          {field.hint}
        </span>
      ) : null}
      {error ? (
        <span class="error field-error" id={`${id}-error`} role="alert" data-field={field.name}>
          {error}
        </span>
      ) : null}
    </>
  );
  if (field.input === "checkboxes") {
    const ticked = value === undefined ? (field.checked ?? []) : Array.isArray(value) ? value : [value];
    return (
      <fieldset class="config-field" data-field={field.name} aria-describedby={describedBy}>
        <legend>{field.label}</legend>
        {(field.options ?? []).map((option) => (
          <label class="check">
            <input type="checkbox" name={name} value={option} checked={ticked.includes(option)} /> {option}
          </label>
        ))}
        {note}
      </fieldset>
    );
  }
  return (
    <div class="config-field" data-field={field.name}>
      <label for={id}>{`${field.label}${field.required ? "" : " (optional)"}`}</label>
      {field.input === "select" ? (
        <select name={name} id={id} aria-describedby={describedBy} aria-invalid={error ? "true" : undefined}>
          {field.required ? null : <option value="">—</option>}
          {(field.options ?? []).map((option) => (
            <option value={option} selected={text === option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          name={name}
          id={id}
          type={field.input}
          required={field.required && !(storedSecret && field.input === "password")}
          placeholder={
            storedSecret && field.input === "password" ? "stored: leave blank to keep it" : undefined
          }
          // A secret is never sent back to the browser, not even after a failed attempt.
          value={field.input === "password" ? "" : text}
          autocomplete={field.input === "password" ? "new-password" : "off"}
          step={field.input === "number" ? "any" : undefined}
          aria-describedby={describedBy}
          aria-invalid={error ? "true" : undefined}
        />
      )}
      {note}
    </div>
  );
}

function AddSourceForm(props: {
  csrfToken: string | null;
  brands: FilterOptions["brands"];
  types: SourceTypeForm[];
  chosen: SourceTypeForm;
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
  testResult: { ok: boolean; message: string } | undefined;
  offerAnyway: boolean;
}) {
  const { chosen, values, errors } = props;
  const one = (key: string) => {
    const v = values[key];
    return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
  };
  const hasSecrets = chosen.fields.some((f) => f.input === "password");
  return (
    <section class="panel narrow-left" id="add-source-panel">
      <h2>Add a source</h2>
      <form method="get" action="/sources" class="inline" id="choose-type">
        <label>
          Type{" "}
          <select name="type" data-autosubmit="true" aria-label="source type">
            {props.types.map((t) => (
              <option value={t.type} selected={t.type === chosen.type}>
                {t.label}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">Choose</button>
      </form>
      {chosen.notice ? <p class="muted">{chosen.notice}</p> : null}
      <form method="post" action="/sources" class="stack" id="add-source" data-type={chosen.type}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="type" value={chosen.type} />
        <label>
          Name
          <input name="name" required value={one("name")} placeholder={`${chosen.type}-acme`} />
        </label>
        {chosen.fields.map((field) => (
          <ConfigInput field={field} value={values[`config.${field.name}`]} error={errors[field.name]} />
        ))}
        {errors.config ? <p class="error field-error">{errors.config}</p> : null}
        <label>
          Brand
          <select name="brand">
            {props.brands.map((b) => (
              <option value={b.slug} selected={one("brand") ? one("brand") === b.slug : b.kind === "company"}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <ScheduleSelect value={one("every") || "*/15 * * * *"} />
        {hasSecrets ? (
          <p class="muted">
            Credentials are stored for the connector only: they are never shown again, nor written to logs or
            the audit log. After an error, enter them again.
          </p>
        ) : null}
        <p class="muted">
          Endpoint overrides (baseUrl, tokenUrl) and file imports are set from the command line:{" "}
          <code>npx rapport sources add</code>.
        </p>
        {props.offerAnyway ? <AnywayBox verb="Add" /> : null}
        <div>
          <button type="submit" class="primary">
            Add source
          </button>{" "}
          {chosen.canTestConnection ? (
            <button type="submit" formaction="/sources/test-config" data-test-config="true" formnovalidate>
              Test connection
            </button>
          ) : null}{" "}
          <span
            id="test-result"
            role="status"
            class={props.testResult ? (props.testResult.ok ? "notice" : "error") : undefined}
          >
            {props.testResult
              ? props.testResult.ok
                ? `Connection works: ${props.testResult.message}`
                : props.testResult.message
              : ""}
          </span>
        </div>
      </form>
    </section>
  );
}

export interface EditSourceState {
  source: SourceSummary;
  form: SourceTypeForm;
  /** The stored settings as the form shows them (credentials left out: never sent back). */
  values: Record<string, string | string[]>;
  errors?: Record<string, string>;
  offerAnyway?: boolean;
  /** Which of the two forms the message and the "anyway" box belong to. */
  focus?: "edit" | "credentials";
}

/** Edit a source: the add form's generated fields with the stored values, and "rotate credentials" on its own. */
export function EditSourcePage(props: {
  user: AuthUser;
  csrfToken: string | null;
  brands: FilterOptions["brands"];
  state: EditSourceState;
  message?: { ok: boolean; text: string } | undefined;
}) {
  const { source, form, values } = props.state;
  const errors = props.state.errors ?? {};
  const one = (key: string) => {
    const v = values[key];
    return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
  };
  const secrets = form.fields.filter((f) => f.input === "password");
  const focus = props.state.focus ?? "edit";
  return (
    <Layout
      title={`Edit source ${source.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      active="sources"
    >
      <p>
        <a href="/sources">← Sources</a>
      </p>
      <h1>{`Edit ${source.name}`}</h1>
      <p class="muted">{`${source.label}${source.enabled ? "" : " · paused"} · polled ${source.scheduleWords}`}</p>
      {props.message ? (
        <p
          class={props.message.ok ? "notice" : "error"}
          role={props.message.ok ? "status" : "alert"}
          id="source-message"
        >
          {props.message.text}
        </p>
      ) : null}
      <section class="panel narrow-left">
        <h2>Settings</h2>
        <form method="post" action={`/sources/${source.id}/edit`} class="stack" id="edit-source">
          <CsrfField token={props.csrfToken} />
          <label>
            Name
            <input name="name" required value={one("name")} />
          </label>
          {form.fields.map((field) => (
            <ConfigInput
              field={field}
              value={values[`config.${field.name}`]}
              error={errors[field.name]}
              storedSecret={true}
            />
          ))}
          {errors.config ? <p class="error field-error">{errors.config}</p> : null}
          <label>
            Brand
            <select name="brand">
              {props.brands.map((b) => (
                <option value={b.slug} selected={one("brand") === b.slug}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <ScheduleSelect value={one("every") || "*/15 * * * *"} />
          {secrets.length > 0 ? (
            <p class="muted">Credentials are never shown again: leave them blank to keep the stored ones.</p>
          ) : null}
          {props.state.offerAnyway && focus === "edit" ? <AnywayBox verb="Save" /> : null}
          <div>
            <button type="submit" class="primary">
              Save changes
            </button>{" "}
            <a href="/sources">Cancel</a>
          </div>
        </form>
      </section>
      {secrets.length > 0 ? (
        <section class="panel narrow-left" id="rotate-credentials">
          <h2>Rotate credentials</h2>
          <p class="muted">
            Enter the new credentials from the platform. Each one you enter replaces the stored one and is
            sealed again; blank fields keep theirs. The new credentials are tested before they are saved.
          </p>
          <form method="post" action={`/sources/${source.id}/credentials`} class="stack" id="rotate-form">
            <CsrfField token={props.csrfToken} />
            {secrets.map((field) => (
              <div class="config-field" data-field={field.name}>
                <label for={`rotate-${field.name}`}>{`New ${field.label.toLowerCase()}`}</label>
                <input
                  name={`config.${field.name}`}
                  id={`rotate-${field.name}`}
                  type="password"
                  autocomplete="new-password"
                  value=""
                />
              </div>
            ))}
            {props.state.offerAnyway && focus === "credentials" ? <AnywayBox verb="Save" /> : null}
            <button type="submit">Rotate credentials</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** The confirm step before a source is removed: what goes, what stays. */
export function RemoveSourcePage(props: {
  user: AuthUser;
  csrfToken: string | null;
  source: SourceSummary;
  mentions: number;
}) {
  const { source } = props;
  return (
    <Layout
      title={`Remove source ${source.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      active="sources"
    >
      <h1>{`Remove ${source.name}?`}</h1>
      <section class="panel narrow-left" data-testid="confirm-remove">
        <ul>
          <li>It will not be polled again, and pushes to it are refused.</li>
          <li>
            {`Its ${props.mentions} mention${props.mentions === 1 ? "" : "s"}, their replies and their history stay, under the name "${source.name}". The name stays taken.`}
          </li>
          <li>The removal is recorded in the audit log with your name.</li>
        </ul>
        <p class="muted">To stop it for a while instead, pause it: a paused source can be resumed.</p>
        <form method="post" action={`/sources/${source.id}/remove`} class="inline">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="confirm" value="1" />
          <button type="submit" class="danger">
            {`Remove ${source.name}`}
          </button>
        </form>{" "}
        <a href="/sources">Keep it</a>
      </section>
    </Layout>
  );
}
