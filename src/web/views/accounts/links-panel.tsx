// Account link suggestions on a mention, for managers and admins only (the link is nonpublic personal
// information). Rendering it changes nothing; a decision stores the link and is audited with what it was based on.
import type { LinkView } from "../../../services/accounts/accounts.js";
import { CsrfField } from "../layout.js";

export function AccountLinksPanel({
  links,
  csrfToken,
  back,
}: {
  links: LinkView[];
  csrfToken: string | null;
  back: string;
}) {
  const confirmed = links.find((l) => l.status === "confirmed");
  return (
    <section class="panel account-links" data-testid="account-links">
      <h2>Account</h2>
      {confirmed?.account.notices.map((n) => (
        <p class="error" data-notice={n.status}>
          {n.notice}
        </p>
      ))}
      {links.length === 0 ? (
        <p class="muted">No account matches this mention well enough to suggest a link.</p>
      ) : null}
      <ul class="links">
        {links.map((l) => (
          <li
            data-link-id={l.id === null ? "" : String(l.id)}
            data-account-id={String(l.account.id)}
            data-link-status={l.status}
          >
            <b>{l.account.displayName || "(no name)"}</b>{" "}
            <span class="muted">{`ref ${l.account.reference}`}</span>
            {l.account.client ? <span class="muted">{` · ${l.account.client}`}</span> : null}
            {l.account.state ? <span class="muted">{` · ${l.account.state}`}</span> : null} · score {l.score}
            /100 · <span class={`status status-${l.status}`}>{l.status}</span>
            {l.account.status.map((s) => (
              <span class="flag">{s.replace(/_/g, " ")}</span>
            ))}
            <ul class="evidence">
              {l.evidence.map((e) => (
                <li>
                  <i>{e.kind}</i>: {e.detail}
                </li>
              ))}
            </ul>
            {l.decidedBy ? <div class="muted">{`${l.status} by ${l.decidedBy}`}</div> : null}
            {l.status !== "confirmed" && !confirmed ? (
              <form
                method="post"
                action={`/mentions/${l.mentionId}/account-links/${l.account.id}/confirm`}
                class="inline"
              >
                <CsrfField token={csrfToken} />
                <input type="hidden" name="back" value={back} />
                <button type="submit">Confirm link</button>
              </form>
            ) : null}{" "}
            {l.status !== "rejected" ? (
              <form
                method="post"
                action={`/mentions/${l.mentionId}/account-links/${l.account.id}/reject`}
                class="inline"
              >
                <CsrfField token={csrfToken} />
                <input type="hidden" name="back" value={back} />
                <button type="submit">{l.status === "confirmed" ? "Unlink" : "Not this account"}</button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <p class="muted">When in doubt, do not link: a wrong link is a disclosure.</p>
    </section>
  );
}
