// The second look before a link that is not strong is confirmed: the post, the account, the evidence, what a wrong
// link does, and the confirm button. A page of its own (not a browser confirm()), reached from the links panel.
import type { AuthUser } from "../../../auth/types.js";
import { STRONG_LINK_SCORE } from "../../../domain/accounts/match.js";
import type { LinkView } from "../../../services/accounts/accounts.js";
import { CsrfField, Layout } from "../layout.js";
import { AccountSummary, Evidence } from "./links-panel.js";

export function ConfirmLinkPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  link: LinkView;
  mention: { id: number; text: string; author: string | null; source: string };
  back: string;
}) {
  const { link, mention } = props;
  return (
    <Layout title="Confirm an account link" user={props.user} csrfToken={props.csrfToken} active="feed">
      <p>
        <a href={props.back}>← Back</a>
      </p>
      <h1>Is this post about this account?</h1>
      <section class="panel" data-testid="confirm-link">
        <p class="error">
          {`This suggestion scores ${link.score}/100, under the ${Math.round(STRONG_LINK_SCORE * 100)} that counts as strong. Check the evidence against the post before you link: a wrong link is a disclosure of someone's debt, and rights events (dispute, cease contact…) would go to the wrong account.`}
        </p>
        <h2>The post</h2>
        <p class="muted">{`${mention.source}${mention.author ? ` · ${mention.author}` : ""}`}</p>
        <p class="fullText">{mention.text}</p>
        <h2>The account</h2>
        <p>
          <AccountSummary link={link} />
        </p>
        <h2>Why it was suggested</h2>
        <Evidence link={link} />
        <form
          method="post"
          action={`/mentions/${mention.id}/account-links/${link.account.id}/confirm`}
          class="inline"
        >
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="back" value={props.back} />
          <input type="hidden" name="reviewed" value="1" />
          <button type="submit" class="primary">
            Yes, link this account
          </button>
        </form>{" "}
        <form
          method="post"
          action={`/mentions/${mention.id}/account-links/${link.account.id}/reject`}
          class="inline"
        >
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="back" value={props.back} />
          <button type="submit">Not this account</button>
        </form>{" "}
        <a href={props.back}>Decide later</a>
      </section>
    </Layout>
  );
}
