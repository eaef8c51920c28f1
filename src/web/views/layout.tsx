// The page frame. Scripts and styles are served from /static (no inline script: the CSP forbids it).
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { can } from "../../auth/roles.js";
import type { AuthUser } from "../../auth/types.js";
import { canSeeAccounts } from "../../services/accounts/access.js";
import { ASSET_VERSION } from "../static/assets.js";

export interface LayoutProps {
  title: string;
  user: AuthUser | null;
  csrfToken?: string | null;
  active?: string;
  children?: Child;
}

export function Layout({ title, user, csrfToken, active, children }: LayoutProps) {
  const link = (href: string, label: string, key: string) => (
    <a
      href={href}
      class={active === key ? "active" : undefined}
      aria-current={active === key ? "page" : undefined}
    >
      {label}
    </a>
  );
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {csrfToken ? <meta name="csrf-token" content={csrfToken} /> : null}
          <title>{`${title} · Rapport`}</title>
          <link rel="stylesheet" href={`/static/app.css?v=${ASSET_VERSION}`} />
          <script src={`/static/app.js?v=${ASSET_VERSION}`} defer />
        </head>
        <body>
          {user ? (
            <header class="topbar">
              <a class="brand" href="/">
                Rapport
              </a>
              <nav>
                {link("/", "Today", "today")}
                {link("/feed", "Feed", "feed")}
                {link("/sources", "Sources", "sources")}
                {link("/templates", "Templates", "templates")}
                {canSeeAccounts(user.role) ? link("/accounts", "Accounts", "accounts") : null}
                {user.role === "admin" || user.role === "manager"
                  ? link("/alerts", "Alerts", "alerts")
                  : null}
                {can(user.role, "manageUsers") ? link("/users", "Users", "users") : null}
                {can(user.role, "viewAudit") ? link("/audit", "Audit", "audit") : null}
                {link("/account", "Account", "account")}
              </nav>
              <span class="who">
                {user.email} <span class={`role role-${user.role}`}>{user.role}</span>
              </span>
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={csrfToken ?? ""} />
                <button type="submit" class="link">
                  Sign out
                </button>
              </form>
            </header>
          ) : null}
          <main>{children}</main>
          <dialog id="keys-help">
            <h2>Keyboard</h2>
            <dl class="keys">
              <dt>j / k</dt>
              <dd>next / previous mention</dd>
              <dt>o</dt>
              <dd>open</dd>
              <dt>x</dt>
              <dd>select for a bulk action</dd>
              <dt>a</dt>
              <dd>assign to me</dd>
              <dt>d</dt>
              <dd>dismiss</dd>
              <dt>e</dt>
              <dd>escalate</dd>
              <dt>r</dt>
              <dd>reply</dd>
              <dt>/</dt>
              <dd>search</dd>
              <dt>?</dt>
              <dd>this help</dd>
            </dl>
            <form method="dialog">
              <button type="submit">Close</button>
            </form>
          </dialog>
        </body>
      </html>
    </>
  );
}

/** Hidden CSRF field for every state-changing form. */
export function CsrfField({ token }: { token: string | null | undefined }) {
  return <input type="hidden" name="_csrf" value={token ?? ""} />;
}
