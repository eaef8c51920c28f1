// Accounts imported from the collections system, for managers and admins. Contact identifiers are not shown:
// they are stored only as keyed hashes.
import type { AuthUser } from "../../../auth/types.js";
import { Layout } from "../layout.js";

export interface AccountListRow {
  id: number;
  reference: string;
  displayName: string;
  client: string | null;
  state: string | null;
  statusList: string[];
  updatedAt: Date | null;
}

export function AccountsPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  accounts: AccountListRow[];
  q: string;
}) {
  return (
    <Layout title="Accounts" user={props.user} csrfToken={props.csrfToken}>
      <h1>Accounts</h1>
      <p class="muted">
        Imported with <code>npx rapport accounts import &lt;file.csv&gt;</code> or pushed to{" "}
        <code>POST /api/accounts</code>. Phones, e-mails and handles are stored only as keyed hashes.{" "}
        <a href="/accounts/rights-events.csv">Rights events (CSV)</a>
      </p>
      <form method="get" action="/accounts" class="filters">
        <label>
          Reference or name
          <input name="q" value={props.q} />
        </label>
        <button type="submit">Search</button>
      </form>
      <table class="data">
        <thead>
          <tr>
            <th>Reference</th>
            <th>Name</th>
            <th>Client</th>
            <th>State</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((a) => (
            <tr>
              <td>{a.reference}</td>
              <td>{a.displayName}</td>
              <td>{a.client ?? ""}</td>
              <td>{a.state ?? ""}</td>
              <td>
                {a.statusList.map((s) => (
                  <span class="flag">{s.replace(/_/g, " ")}</span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
