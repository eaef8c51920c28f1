// The digest preview: pick a brand and a week, see the e-mail exactly as a director gets it (the same HTML,
// framed from /digest/preview/email), and send yourself a test copy. Readable at 390 px: the controls wrap and
// the e-mail is the fluid 600 px column it is in an inbox.
import type { AuthUser } from "../../auth/types.js";
import { CsrfField, Layout } from "./layout.js";

export interface DigestPreviewPageProps {
  user: AuthUser;
  csrfToken: string | null;
  brands: { slug: string; name: string }[];
  brand: string;
  week: string;
  subject: string;
  /** Set after "send me a test copy". */
  sentTo?: string | null;
}

export function DigestPreviewPage(props: DigestPreviewPageProps) {
  const query = new URLSearchParams({ brand: props.brand, week: props.week }).toString();
  return (
    <Layout title="Digest preview" user={props.user} csrfToken={props.csrfToken} active="digest">
      <h1>
        Weekly digest <span class="muted">exactly as directors receive it</span>
      </h1>
      <form class="filters digest-controls" method="get" action="/digest/preview">
        <label>
          Brand
          <select name="brand">
            {props.brands.map((b) => (
              <option value={b.slug} selected={b.slug === props.brand}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Week
          <input type="week" name="week" value={props.week} pattern="\d{4}-W\d{2}" placeholder="2026-W07" />
        </label>
        <button type="submit">Show</button>
      </form>
      <form method="post" action="/digest/test-copy" class="digest-controls">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="brand" value={props.brand} />
        <input type="hidden" name="week" value={props.week} />
        <button type="submit" class="primary">
          Send me a test copy
        </button>{" "}
        <span class="muted">{`to ${props.user.email}, through the outbox (recorded in the audit log)`}</span>
      </form>
      {props.sentTo ? (
        <p class="notice" role="status">
          {`A test copy of ${props.week} is queued for ${props.sentTo}; it leaves with the next delivery run.`}
        </p>
      ) : null}
      <p>
        <b>Subject:</b> {props.subject}
      </p>
      <iframe
        class="digest-frame"
        title={`Digest e-mail: ${props.subject}`}
        src={`/digest/preview/email?${query}`}
        sandbox=""
      />
      <p>
        <a href={`/digest/preview/email?${query}`} target="_blank" rel="noopener">
          Open the e-mail on its own
        </a>
      </p>
    </Layout>
  );
}
