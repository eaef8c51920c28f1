// The confirm step before dismissing mentions that need a person, for a bulk dismissal sent without the
// dashboard's script (with it, the browser asks first). Re-posts the same selection with the confirmation.
import type { AuthUser } from "../../auth/types.js";
import { CsrfField, Layout } from "./layout.js";

export function ConfirmDismissPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  ids: number[];
  back: string;
  needPerson: { id: number; warning: string }[];
}) {
  return (
    <Layout title="Confirm dismissal" user={props.user} csrfToken={props.csrfToken} active="feed">
      <h1>Confirm dismissal</h1>
      <section class="panel human-only-guard" data-testid="confirm-dismiss">
        <ul>
          {props.needPerson.map((m) => (
            <li>
              <a href={`/mentions/${m.id}`}>{`Mention ${m.id}`}</a>: {m.warning}
            </li>
          ))}
        </ul>
        <form method="post" action="/mentions/bulk" class="stack">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="action" value="status:dismissed" />
          <input type="hidden" name="back" value={props.back} />
          {props.ids.map((id) => (
            <input type="hidden" name="ids" value={String(id)} />
          ))}
          <label class="check">
            <input type="checkbox" name="confirmHumanOnly" value="1" required /> I have read why, and dismiss
            anyway
          </label>
          <button type="submit">Dismiss</button> <a href={props.back}>Cancel</a>
        </form>
      </section>
    </Layout>
  );
}
