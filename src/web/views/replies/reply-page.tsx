// The Reply panel of a mention: guards (flags that need a manager, linked-account notices), account link
// suggestions (managers and admins only), the draft editor with in-place lint highlights, approval and posting.

import type { AuthUser } from "../../../auth/types.js";
import type { Violation } from "../../../domain/compliance/lint.js";
import { ruleLabel } from "../../../domain/compliance/rules.js";
import { can } from "../../../domain/permissions.js";
import { type ReplyAction, replyTransition, STATUS_WORDS } from "../../../domain/replies/transitions.js";
import type { ReplyPanel } from "../../../services/replies/panel.js";
import type { PostingMode } from "../../../services/replies/post.js";
import { AccountLinksPanel } from "../accounts/links-panel.js";
import { CsrfField, Layout } from "../layout.js";
import { HighlightedText, splitHits, ViolationList } from "./highlight.js";

export interface ReplyPageProps {
  user: AuthUser;
  csrfToken: string | null;
  panel: ReplyPanel;
  claudeAvailable: boolean;
  message?: { kind: "error" | "notice"; text: string } | null;
  assetPath: string;
}

const words = (code: string) => code.replace(/_/g, " ");

const MODE_TEXT: Record<PostingMode, string> = {
  api: "Posting sends the reply through the platform's API.",
  dry_run:
    "Dry run: posting records what would be sent, and sends nothing (turn dry run off on the source to post for real).",
  manual: "This source cannot post by API: copy the approved text to the platform, then mark it posted.",
};

/** Where a reply's words came from, as people say it. */
const ORIGIN_WORDS: Record<string, string> = {
  template: "from a template",
  claude: "drafted with Claude",
  manual: "written by hand",
};

/** A lint run as the evidence list shows it, rules by code and plain name. */
function lintVerdict(run: { ok: boolean; violations: unknown; warnings: unknown }): string {
  const { violations, warnings } = splitHits(run);
  const names = (hits: Violation[]) => [...new Set(hits.map((h) => ruleLabel(h.rule)))].join("; ");
  if (!run.ok) return `blocked (${names([...violations, ...warnings])})`;
  return warnings.length > 0 ? `passed with warnings (${names(warnings)})` : "passed";
}

function when(date: Date | null | undefined): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) : "";
}

export function ReplyPage(props: ReplyPageProps) {
  const { user, csrfToken, panel } = props;
  const { mention, guard, history, current } = panel;
  const blocked = guard.blocks.length > 0;
  const takenOverByMe = guard.takenOverBy?.id === user.id;
  const mayWrite = can(user.role, "triage") && (!blocked || takenOverByMe);
  const showText = can(user.role, "viewPii") ? mention.text : mention.textMasked;
  // Which steps the reply's status allows: the transition table decides, as it does in the services.
  const opens = (action: ReplyAction) => (current ? replyTransition(current.status, action) !== null : false);
  const writers = new Set<number>(panel.currentWriters);
  const mayApprove = opens("approve") && can(user.role, "approveReplies") && !writers.has(user.id);
  const { violations, warnings } = splitHits(current?.lint);
  const warnedRules = [...new Set(warnings.map((w) => w.rule))];
  return (
    <Layout title={`Reply to mention ${mention.id}`} user={user} csrfToken={csrfToken} active="feed">
      <link rel="stylesheet" href={`${props.assetPath}/reply-editor.css`} />
      <script src={`${props.assetPath}/reply-editor.js`} defer />
      <p>
        <a href={`/mentions/${mention.id}`}>← Mention {mention.id}</a> ·{" "}
        <a href="/templates">Template library</a>
      </p>
      <h1>Public reply</h1>
      {can(user.role, "approveReplies") ? (
        // "Done, next" for approvers: the next reply waiting for them (src/services/today/my-work.ts).
        <p class="list-nav">
          <a href={`/mentions/${mention.id}/next?list=approvals`} id="next-approval">
            Next reply awaiting my approval →
          </a>
        </p>
      ) : null}
      {props.message ? (
        <p
          class={props.message.kind}
          role={props.message.kind === "error" ? "alert" : "status"}
          data-testid="flash"
        >
          {props.message.text}
        </p>
      ) : null}

      <section class="panel">
        <div class="meta">
          <span class="source">{mention.sourceName}</span>
          <span>{panel.platform}</span>
          <span class={`status status-${mention.status}`}>{words(mention.status)}</span>
          {mention.flags.map((f) => (
            <span class="flag">{words(f)}</span>
          ))}
        </div>
        <p class="fullText">{showText}</p>
      </section>

      {blocked ? (
        <section class="panel reply-blocked" data-testid="reply-blocked">
          <h2>A person must handle this mention</h2>
          <p>
            No template or draft may be used here{guard.takenOverBy ? "" : " until a manager takes it over"}:
          </p>
          <ul>
            {guard.blocks.map((b) => (
              <li data-block={b.code}>
                <b>{words(b.code)}</b> — {b.why}
                <div>
                  <i>Instead:</i> {b.instead}
                </div>
              </li>
            ))}
          </ul>
          {guard.takenOverBy ? (
            <p class="notice">{`Taken over by ${guard.takenOverBy.email} on ${when(guard.takenOverBy.at)}; only they may write a reply, in their own words, and a second manager must approve it.`}</p>
          ) : can(user.role, "approveReplies") ? (
            <form method="post" action={`/mentions/${mention.id}/reply/takeover`}>
              <CsrfField token={csrfToken} />
              <button type="submit">Take over as manager</button>
            </form>
          ) : (
            <p class="muted">Ask a manager to take it over.</p>
          )}
        </section>
      ) : null}

      {panel.links ? (
        <AccountLinksPanel links={panel.links} csrfToken={csrfToken} back={`/mentions/${mention.id}/reply`} />
      ) : null}

      {!current && mayWrite && !panel.threadAnswered ? (
        <section class="panel" data-testid="start-reply">
          <h2>Start a reply</h2>
          {panel.sentBack ? (
            <div class="notice" data-testid="sent-back">
              <p>
                {`Sent back by ${panel.sentBack.by ?? "an approver"} on ${when(panel.sentBack.at)}`}
                {panel.sentBack.reason ? `: “${panel.sentBack.reason}”` : " (no comment)."}
              </p>
              <p class="muted">The text that was sent back is in the box below, to revise.</p>
            </div>
          ) : null}
          {!blocked ? (
            <>
              <form method="post" action={`/mentions/${mention.id}/reply/draft`} class="inline">
                <CsrfField token={csrfToken} />
                <input type="hidden" name="origin" value="template" />
                <select name="templateId" aria-label="template">
                  <option value="">Best template for this mention</option>
                  {panel.templates.map((t) => (
                    <option value={t.id}>{t.label}</option>
                  ))}
                </select>{" "}
                <button type="submit" name="go" value="template">
                  Draft from template
                </button>
              </form>{" "}
              <form method="post" action={`/mentions/${mention.id}/reply/draft`} class="inline">
                <CsrfField token={csrfToken} />
                <input type="hidden" name="origin" value="claude" />
                <button
                  type="submit"
                  disabled={!props.claudeAvailable}
                  title={props.claudeAvailable ? "" : "No Claude key configured: templates only"}
                >
                  Draft with Claude
                </button>
              </form>
            </>
          ) : null}
          <form method="post" action={`/mentions/${mention.id}/reply/draft`} class="stack">
            <CsrfField token={csrfToken} />
            <input type="hidden" name="origin" value="manual" />
            <label>
              Or write it yourself
              <textarea name="text" rows={4} aria-label="new reply">
                {panel.sentBack?.text ?? ""}
              </textarea>
            </label>
            <button type="submit">Save draft</button>
          </form>
        </section>
      ) : null}
      {!current && panel.threadAnswered ? (
        <p class="notice">
          The thread already has a public reply: one public reply per thread. Continue privately.
        </p>
      ) : null}

      {current ? (
        <section
          class="panel reply-editor"
          data-testid="reply"
          data-reply-id={String(current.id)}
          data-status={current.status}
        >
          <h2>
            Reply{" "}
            <span class={`status status-${current.status}`} data-testid="reply-status">
              {STATUS_WORDS[current.status]}
            </span>{" "}
            <span class="muted">{`${ORIGIN_WORDS[current.origin] ?? current.origin} · by ${current.authorEmail ?? "?"}`}</span>
          </h2>
          {opens("edit") && mayApprove ? (
            // The approver reads what they approve; editing it would make them a writer, who may not approve.
            <>
              <p class="fullText" data-testid="review-text">
                {current.text}
              </p>
              <details class="edit-instead">
                <summary>Edit it yourself instead</summary>
                <p class="muted">
                  If you change the text you become one of its writers, and a second manager must approve it.
                </p>
                <form method="post" action={`/replies/${current.id}/edit`} class="stack">
                  <CsrfField token={csrfToken} />
                  <textarea name="text" rows={6} aria-label="reply text (editing it gives up your approval)">
                    {current.text}
                  </textarea>
                  <button type="submit">Save my edit</button>
                </form>
              </details>
            </>
          ) : opens("edit") ? (
            mayWrite ? (
              <form method="post" action={`/replies/${current.id}/edit`} class="stack" id="reply-form">
                <CsrfField token={csrfToken} />
                <div
                  class="editor"
                  data-lint-url="/api/replies/lint"
                  data-platform={panel.platform}
                  data-mention-id={String(mention.id)}
                >
                  <textarea name="text" id="reply-text" rows={6} aria-label="reply text">
                    {current.text}
                  </textarea>
                  <span class="counter" id="reply-counter" />
                </div>
                <button type="submit" id="save-reply">
                  Save
                </button>
              </form>
            ) : (
              <p class="fullText">{current.text}</p>
            )
          ) : (
            <p class="fullText" data-testid="final-text">
              {current.postedText ?? current.text}
            </p>
          )}
          <div id="lint-result">
            <HighlightedText text={current.text} violations={[...violations, ...warnings]} />
            <ViolationList violations={violations} warnings={warnings} />
          </div>

          {opens("submit") && mayWrite ? (
            <form method="post" action={`/replies/${current.id}/submit`} class="inline">
              <CsrfField token={csrfToken} />
              <button type="submit" class="primary" id="submit-reply" disabled={violations.length > 0}>
                Submit for approval
              </button>
            </form>
          ) : null}
          {opens("approve") ? (
            mayApprove ? (
              <div>
                <form
                  method="post"
                  action={`/replies/${current.id}/approve`}
                  class={warnedRules.length > 0 ? "stack" : "inline"}
                >
                  <CsrfField token={csrfToken} />
                  {warnedRules.length > 0 && violations.length === 0 ? (
                    <fieldset class="accept-warnings" data-testid="accept-warnings">
                      <legend>Accept the warnings to approve (recorded with your name and reason)</legend>
                      {warnedRules.map((rule) => (
                        <label class="check">
                          <input type="checkbox" name="accept" value={rule} required /> {ruleLabel(rule)}
                        </label>
                      ))}
                      <label>
                        Why this reply may go out as it is
                        <textarea name="acceptReason" rows={2} required aria-label="reason for accepting" />
                      </label>
                    </fieldset>
                  ) : null}
                  <button type="submit" class="primary" id="approve-reply" disabled={violations.length > 0}>
                    {warnedRules.length > 0 ? "Approve, accepting the warnings" : "Approve"}
                  </button>
                </form>{" "}
                <form method="post" action={`/replies/${current.id}/reject`} class="stack" id="send-back">
                  <CsrfField token={csrfToken} />
                  <label>
                    Comment for the writer
                    <textarea
                      name="reason"
                      rows={2}
                      required
                      maxlength={1000}
                      placeholder="What should change before you approve it"
                    />
                  </label>
                  <button type="submit">Send back with a comment</button>
                </form>
              </div>
            ) : (
              <p class="muted" data-testid="awaiting">
                Waiting for a second manager (not the author or an editor) to approve.
              </p>
            )
          ) : null}
          {current.status === "posting" ? (
            <div data-testid="posting-panel" class="stack">
              <p class="notice" role="status">
                {`Posting — check the platform. A post to ${mention.sourceName} started at ${when(current.updatedAt)} and its result was never recorded, so the reply may already be public. Rapport will not send it again by itself. Look for it on ${mention.sourceName}:`}
              </p>
              {can(user.role, "triage") ? (
                <>
                  <form method="post" action={`/replies/${current.id}/post`} class="stack">
                    <CsrfField token={csrfToken} />
                    <input type="hidden" name="confirmManual" value="1" />
                    <label>
                      Link to the reply on the platform (optional)
                      <input type="url" name="postedUrl" />
                    </label>
                    <button type="submit" class="primary">
                      It is there: mark posted
                    </button>
                  </form>
                  <form method="post" action={`/replies/${current.id}/not-posted`} class="inline">
                    <CsrfField token={csrfToken} />
                    <button type="submit">It is not there: mark not posted</button>
                  </form>
                </>
              ) : null}
            </div>
          ) : opens("post") ? (
            <div data-testid="post-panel">
              <p class="muted">{`Approved by ${current.approverEmail ?? "?"} at ${when(current.approvedAt)}. ${MODE_TEXT[panel.postingMode]}`}</p>
              {panel.acceptance ? (
                <p class="muted" data-testid="accepted-warnings">
                  {`Warnings accepted by ${panel.acceptance.by ?? "?"}: ${panel.acceptance.rules.map(ruleLabel).join("; ")} — “${panel.acceptance.reason}”`}
                </p>
              ) : null}
              {can(user.role, "triage") ? (
                <form method="post" action={`/replies/${current.id}/post`} class="stack">
                  <CsrfField token={csrfToken} />
                  {panel.postingMode === "manual" ? (
                    <>
                      <button type="button" class="copy-reply" data-copy={current.text}>
                        Copy text
                      </button>
                      <label class="check">
                        <input type="checkbox" name="confirmManual" value="1" required /> I pasted this exact
                        text on the platform
                      </label>
                      <label>
                        Link to the posted reply (optional)
                        <input type="url" name="postedUrl" />
                      </label>
                    </>
                  ) : null}
                  <button type="submit" class="primary" id="post-reply">
                    {panel.postingMode === "manual"
                      ? "Mark posted"
                      : panel.postingMode === "dry_run"
                        ? "Post (dry run)"
                        : "Post reply"}
                  </button>
                </form>
              ) : null}
            </div>
          ) : null}
          {current.status === "posted" ? (
            <p class="notice" data-testid="posted">
              {`Posted ${current.postedVia === "dry_run" ? "(dry run, nothing sent) " : current.postedVia === "manual" ? "by hand " : "via the API "}at ${when(current.postedAt)}; approved by ${current.approverEmail ?? "?"}.`}
              {current.postedUrl ? (
                <>
                  {" "}
                  <a href={current.postedUrl} rel="noopener noreferrer nofollow" target="_blank">
                    View
                  </a>
                </>
              ) : null}
            </p>
          ) : null}
        </section>
      ) : null}

      {history.length > 0 ? (
        <section class="panel">
          <h2>Evidence</h2>
          {history.map((r) => (
            <details>
              <summary>{`Reply ${r.id} · ${STATUS_WORDS[r.status]} · ${ORIGIN_WORDS[r.origin] ?? r.origin} · checked ${r.lints.length === 1 ? "once" : `${r.lints.length} times`}`}</summary>
              <ol>
                {r.lints.map((l) => (
                  <li>
                    {`${when(l.createdAt)} ${lintVerdict(l)}`}
                    <div class="muted">{l.text}</div>
                  </li>
                ))}
              </ol>
            </details>
          ))}
        </section>
      ) : null}
    </Layout>
  );
}
