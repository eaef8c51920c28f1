// Account link suggestions on a mention (its page and its Reply panel), for managers and admins only (the link is
// nonpublic personal information). Rendering it changes nothing; a decision stores the link and is audited with
// what it was based on. A suggestion below a strong score is confirmed in two steps: its evidence is shown again
// on its own page (ConfirmLinkPage) and the person confirms there.
import { isStrongLinkScore, STRONG_LINK_SCORE } from "../../../domain/accounts/match.js";
import type { LinkView } from "../../../services/accounts/accounts.js";
import { CsrfField } from "../layout.js";

const EVIDENCE_WORDS: Record<string, string> = {
  handle: "Handle",
  phone: "Phone",
  email: "E-mail",
  reference: "Reference",
  name: "Name",
  state: "State",
};

export function Evidence({ link }: { link: Pick<LinkView, "evidence"> }) {
  return (
    <ul class="evidence">
      {link.evidence.map((e) => (
        <li>
          <i>{EVIDENCE_WORDS[e.kind] ?? e.kind}</i>: {e.detail}
        </li>
      ))}
    </ul>
  );
}

export function AccountSummary({ link }: { link: LinkView }) {
  return (
    <>
      <b>{link.account.displayName || "(no name)"}</b>{" "}
      <span class="muted">{`ref ${link.account.reference}`}</span>
      {link.account.client ? <span class="muted">{` · ${link.account.client}`}</span> : null}
      {link.account.state ? <span class="muted">{` · ${link.account.state}`}</span> : null}
      {` · score ${link.score}/100`}
      {isStrongLinkScore(link.score) ? null : <span class="muted"> (not strong)</span>}
    </>
  );
}

export function AccountLinksPanel({
  links,
  csrfToken,
  back,
  flash,
}: {
  links: LinkView[];
  csrfToken: string | null;
  back: string;
  /** What the last decision did, shown here where it was made. */
  flash?: { kind: "notice" | "error"; text: string } | null | undefined;
}) {
  const confirmed = links.find((l) => l.status === "confirmed");
  return (
    <section class="panel account-links" data-testid="account-links" id="account-links">
      <h2>Account</h2>
      {flash ? (
        <p class={flash.kind} role={flash.kind === "error" ? "alert" : "status"}>
          {flash.text}
        </p>
      ) : null}
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
            data-strong={String(isStrongLinkScore(l.score))}
          >
            <AccountSummary link={l} /> · <span class={`status status-${l.status}`}>{l.status}</span>
            {l.account.status.map((s) => (
              <span class="flag">{s.replace(/_/g, " ")}</span>
            ))}
            <Evidence link={l} />
            {l.decidedBy ? <div class="muted">{`${l.status} by ${l.decidedBy}`}</div> : null}
            {l.status !== "confirmed" && !confirmed ? (
              isStrongLinkScore(l.score) ? (
                <form
                  method="post"
                  action={`/mentions/${l.mentionId}/account-links/${l.account.id}/confirm`}
                  class="inline"
                >
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="back" value={back} />
                  <button type="submit">Confirm link</button>
                </form>
              ) : (
                <a
                  class="button"
                  href={`/mentions/${l.mentionId}/account-links/${l.account.id}/review?back=${encodeURIComponent(back)}`}
                >
                  Review and confirm…
                </a>
              )
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
      <p class="muted">
        {`When in doubt, do not link: a wrong link is a disclosure. A suggestion scoring under ${Math.round(STRONG_LINK_SCORE * 100)}/100 is confirmed in two steps.`}
      </p>
    </section>
  );
}
