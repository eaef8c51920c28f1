// The template library: per brand, platform and category. Managers add and change templates; each is linted as
// it would be posted and refused while it has any hit.
import type { AuthUser } from "../../../auth/types.js";
import { can } from "../../../domain/permissions.js";
import { CATEGORIES, PLATFORMS } from "../../../domain/taxonomy.js";
import { DEFAULT_TEMPLATES, type TemplateRow } from "../../../services/replies/templates.js";
import { CsrfField, Layout } from "../layout.js";

function TemplateFields({ t, brands }: { t?: TemplateRow; brands: { id: number; name: string }[] }) {
  return (
    <>
      <label>
        Name
        <input name="name" required value={t?.name ?? ""} />
      </label>
      <label>
        Text ({"{brand}"} and {"{contact}"} are filled in)
        <textarea name="body" rows={3} required>
          {t?.body ?? ""}
        </textarea>
      </label>
      <label>
        Platform
        <select name="platform">
          <option value="">any</option>
          {PLATFORMS.map((p) => (
            <option value={p} selected={t?.platform === p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Category
        <select name="category">
          <option value="">any</option>
          {CATEGORIES.map((c) => (
            <option value={c} selected={t?.category === c}>
              {c.replace(/_/g, " ")}
            </option>
          ))}
        </select>
      </label>
      <label>
        Brand
        <select name="brandId">
          <option value="">every brand</option>
          {brands.map((b) => (
            <option value={String(b.id)} selected={t?.brandId === b.id}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

export function TemplatesPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  templates: (TemplateRow & { brandName: string | null })[];
  /** Company brands: a reply is signed by the company, never a client. */
  brands: { id: number; name: string }[];
  message: { kind: "error" | "notice"; text: string } | null;
}) {
  const manage = can(props.user.role, "manageTemplates");
  return (
    <Layout title="Reply templates" user={props.user} csrfToken={props.csrfToken}>
      <h1>Reply templates</h1>
      {props.message ? <p class={props.message.kind}>{props.message.text}</p> : null}
      <p class="muted">
        The most specific template wins: category and platform, then category, then platform, then any.
        Without a library template the built-in defaults are used.
      </p>
      <table class="data">
        <thead>
          <tr>
            <th>Name</th>
            <th>Brand</th>
            <th>Platform</th>
            <th>Category</th>
            <th>Text</th>
          </tr>
        </thead>
        <tbody>
          {props.templates.map((t) => (
            <tr>
              <td>{t.name}</td>
              <td>{t.brandName ?? "every brand"}</td>
              <td>{t.platform ?? "any"}</td>
              <td>{t.category?.replace(/_/g, " ") ?? "any"}</td>
              <td class="wrap">
                {t.body}
                {manage ? (
                  <details>
                    <summary>Change</summary>
                    <form method="post" action={`/templates/${t.id}`} class="stack">
                      <CsrfField token={props.csrfToken} />
                      <TemplateFields t={t} brands={props.brands} />
                      <button type="submit">Save</button>{" "}
                      <button type="submit" name="delete" value="1">
                        Delete
                      </button>
                    </form>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {manage ? (
        <section class="panel">
          <h2>Add a template</h2>
          <form method="post" action="/templates" class="stack">
            <CsrfField token={props.csrfToken} />
            <TemplateFields brands={props.brands} />
            <button type="submit" class="primary">
              Add
            </button>
          </form>
        </section>
      ) : null}
      <details class="panel">
        <summary>{`${DEFAULT_TEMPLATES.length} built-in defaults`}</summary>
        <ul>
          {DEFAULT_TEMPLATES.map((t) => (
            <li>
              <b>{`${t.category} / ${t.platform}`}</b>: {t.body}
            </li>
          ))}
        </ul>
      </details>
    </Layout>
  );
}
