// The template library: the built-in templates first (what replies use until the team writes its own), then the
// library per brand, platform and category. Managers add and change templates, or start from a built-in one; each
// is linted as it would be posted and refused while it has any hit.
import type { AuthUser } from "../../../auth/types.js";
import { can } from "../../../domain/permissions.js";
import { CATEGORIES, PLATFORMS } from "../../../domain/taxonomy.js";
import { DEFAULT_TEMPLATES, type TemplateRow } from "../../../services/replies/templates.js";
import { CsrfField, Layout } from "../layout.js";

type TemplatePrefill = Pick<TemplateRow, "name" | "body" | "platform" | "category"> & {
  brandId?: number | null;
};

function TemplateFields({ t, brands }: { t?: TemplatePrefill; brands: { id: number; name: string }[] }) {
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

const anyOf = (value: string, all: string) => (value === "*" ? all : value.replace(/_/g, " "));

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
      {props.message ? (
        <p class={props.message.kind} role={props.message.kind === "error" ? "alert" : "status"}>
          {props.message.text}
        </p>
      ) : null}
      <p class="muted">
        A draft starts from the most specific template: category and platform, then category, then platform,
        then any. Your library's templates come before the built-in ones; {"{brand}"} and {"{contact}"} are
        filled in from the brand.
      </p>

      <section class="panel" id="built-in-templates">
        <h2>{`Built-in templates (${DEFAULT_TEMPLATES.length})`}</h2>
        <p class="muted">
          Each passes the compliance linter on every platform. They are used wherever your library has nothing
          more specific{manage ? "; start your own from one with “Customise”." : "."}
        </p>
        <table class="data" data-testid="built-in-templates">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Platform</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {DEFAULT_TEMPLATES.map((t) => (
              <tr data-template={t.id}>
                <td>{anyOf(t.category, "any category")}</td>
                <td>{anyOf(t.platform, "any platform")}</td>
                <td class="wrap">
                  {t.body}
                  {manage ? (
                    <details>
                      <summary>Customise</summary>
                      <form method="post" action="/templates" class="stack">
                        <CsrfField token={props.csrfToken} />
                        <TemplateFields
                          t={{
                            name: `Our ${anyOf(t.category, "general")} reply${t.platform === "*" ? "" : ` (${t.platform})`}`,
                            body: t.body,
                            platform: t.platform === "*" ? null : t.platform,
                            category: t.category === "*" ? null : t.category,
                          }}
                          brands={props.brands}
                        />
                        <button type="submit">Save to the library</button>
                      </form>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="panel" id="library-templates">
        <h2>{`Your library (${props.templates.length})`}</h2>
        {props.templates.length === 0 ? (
          <p class="muted" data-testid="library-empty">
            No templates of your own yet: drafts use the built-in templates above.
            {manage ? " Customise one of them, or add one below." : ""}
          </p>
        ) : (
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Brand</th>
                <th scope="col">Platform</th>
                <th scope="col">Category</th>
                <th scope="col">Text</th>
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
        )}
      </section>
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
    </Layout>
  );
}
