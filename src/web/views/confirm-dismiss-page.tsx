// The confirm step before dismissing mentions that need a person, for a bulk dismissal sent without the
// dashboard's script (with it, the browser asks first). Re-posts the same selection with the confirmation.
import type { AuthUser } from "../../auth/types.js";
import { CsrfField, Layout } from "./layout.js";

export function ConfirmDismissPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  ids: number[];
  /** What the selection was going to become: dismissed, or resolved with no public reply. */
  status: "dismissed" | "resolved";
  back: string;
  needPerson: { id: number; warning: string }[];
}) {
  const verb = props.status === "resolved" ? "Resolve" : "Dismiss";
  return (
    <Layout
      title={`Confirm: ${verb.toLowerCase()}`}
      user={props.user}
      csrfToken={props.csrfToken}
      active="feed"
    >
      <h1>{`Confirm: ${verb.toLowerCase()} without a reply`}</h1>
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
          <input type="hidden" name="action" value={`status:${props.status}`} />
          <input type="hidden" name="back" value={props.back} />
          {props.ids.map((id) => (
            <input type="hidden" name="ids" value={String(id)} />
          ))}
          <label class="check">
            <input type="checkbox" name="confirmHumanOnly" value="1" required />{" "}
            {`I have read why, and ${verb.toLowerCase()} anyway`}
          </label>
          <button type="submit">{verb}</button> <a href={props.back}>Cancel</a>
        </form>
      </section>
    </Layout>
  );
}
