import type { AuthUser } from "../../auth/types.js";
import { can } from "../../domain/permissions.js";
import type { FilterOptions } from "../../services/mentions/filter-options.js";
import type { ConfigField, SourceTypeForm } from "../../services/sources/config-form.js";
import type { SourceSummary } from "../../services/sources/list-sources.js";
import { CsrfField, Layout } from "./layout.js";
import { formatTime } from "./mention-row.js";

export interface SourcesPageProps {
  user: AuthUser;
  csrfToken: string | null;
  sources: SourceSummary[];
  brands: FilterOptions["brands"];
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
}

const HEALTH_WORDS: Record<string, string> = {
  ok: "healthy",
  failing: "failing",
  auth_error: "credentials rejected",
  unsupported: "not supported",
  disabled: "disabled",
};

export function SourcesPage({ user, csrfToken, sources, brands, message, form, addForm }: SourcesPageProps) {
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
                {s.polling ? " · polling now…" : ""}
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
      {canManage && addForm ? (
        <AddSourceForm
          csrfToken={csrfToken}
          brands={brands}
          types={addForm.types}
          chosen={addForm.chosen}
          values={form ?? {}}
          errors={addForm.errors ?? {}}
          testResult={addForm.testResult}
        />
      ) : null}
    </Layout>
  );
}

function ConfigInput({
  field,
  value,
  error,
}: {
  field: ConfigField;
  value: string | string[] | undefined;
  error: string | undefined;
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
          required={field.required}
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
        <label>
          Schedule (cron)
          <input name="every" value={one("every") || "*/15 * * * *"} />
        </label>
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
