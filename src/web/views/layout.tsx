// The page frame. Scripts and styles are served from /static (no inline script: the CSP forbids it).
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { AuthUser } from "../../auth/types.js";
import { can } from "../../domain/permissions.js";
import type { MyWorkCounts } from "../../services/today/my-work.js";
import { ASSET_VERSION } from "../static/assets.js";
import { allowedKeys, shortcutsFor } from "./keys.js";
import { MyWorkBadge } from "./my-work.js";

export interface LayoutProps {
  title: string;
  user: AuthUser | null;
  csrfToken?: string | null;
  active?: string;
  children?: Child;
  /** The person's My work counts for the Today link's badge; without them app.js fetches them. */
  myWork?: MyWorkCounts | null;
}

export function Layout({ title, user, csrfToken, active, children, myWork }: LayoutProps) {
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
          <link rel="icon" href="/favicon.ico" sizes="32x32" />
          <link rel="stylesheet" href={`/static/app.css?v=${ASSET_VERSION}`} />
          <script src={`/static/app.js?v=${ASSET_VERSION}`} defer />
        </head>
        <body data-keys={user ? allowedKeys(user.role) : undefined}>
          {user ? (
            <header class="topbar">
              <a class="brand" href="/">
                Rapport
              </a>
              <nav>
                <a
                  href="/"
                  class={active === "today" ? "active" : undefined}
                  aria-current={active === "today" ? "page" : undefined}
                >
                  Today <MyWorkBadge counts={myWork} />
                </a>
                {link("/feed", "Feed", "feed")}
                {link("/sources", "Sources", "sources")}
                {can(user.role, "triage") ? link("/templates", "Templates", "templates") : null}
                {can(user.role, "triage") ? link("/labels", "Needs a label", "labels") : null}
                {can(user.role, "manageAccounts") ? link("/accounts", "Accounts", "accounts") : null}
                {can(user.role, "manageAlerts") ? link("/alerts", "Alerts", "alerts") : null}
                {can(user.role, "manageAlerts") ? link("/digest/preview", "Digest", "digest") : null}
                {can(user.role, "viewComplaints") ? link("/complaints", "Complaints", "complaints") : null}
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
              {(user ? shortcutsFor(user.role) : []).map((s) => (
                <>
                  <dt>{s.label}</dt>
                  <dd>{s.does}</dd>
                </>
              ))}
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
