// "My work" on Today (what is mine to do, before everything else) and its badge on the navigation's Today link.
import type { ApprovalItem, MyWork, MyWorkCounts } from "../../services/today/my-work.js";
import { formatTime, mentionRow } from "./mention-row.js";

/** The badge's words: what the number counts. */
export function myWorkLabel(counts: MyWorkCounts): string {
  const parts = [`${counts.assigned} assigned to you`];
  if (counts.awaitingApproval !== null) parts.push(`${counts.awaitingApproval} awaiting your approval`);
  if (counts.overdue > 0) parts.push(`${counts.overdue} of yours overdue`);
  // The badge's number counts each mention once, even one both assigned to you and awaiting your approval.
  return `${parts.join(", ")}; ${counts.total} ${counts.total === 1 ? "mention" : "mentions"} in all`;
}

/**
 * On the Today link: the distinct mentions assigned to the viewer or awaiting their approval, red when something of theirs is overdue. Pages that have the
 * counts pass them; on the others app.js fills the empty badge from /api/my-work/counts.
 */
export function MyWorkBadge({ counts }: { counts?: MyWorkCounts | null }) {
  if (!counts)
    return (
      <span class="nav-badge" data-my-work="pending" hidden>
        <b aria-hidden="true" />
        <span class="sr-only" />
      </span>
    );
  const total = counts.total;
  const label = myWorkLabel(counts);
  return (
    <span
      class={`nav-badge${counts.overdue > 0 ? " alert" : ""}`}
      data-my-work="filled"
      title={label}
      hidden={total === 0}
    >
      <b aria-hidden="true">{String(total)}</b>
      <span class="sr-only">{` (${label})`}</span>
    </span>
  );
}

function ApprovalRow({ item }: { item: ApprovalItem }) {
  return (
    <li>
      <a
        href={`/mentions/${item.mentionId}/reply`}
      >{`Reply to ${item.mentionAuthor ?? "a post"} on ${item.source}`}</a>{" "}
      <span class="muted">
        {`by ${item.authorEmail ?? "someone"}`}
        {item.submittedAt ? `, submitted ${formatTime(item.submittedAt)} UTC` : ""}
      </span>
      {item.slaDueAt ? (
        <>
          {" "}
          <span class="muted">
            · respond by{" "}
            <time datetime={item.slaDueAt} data-local="due">{`${formatTime(item.slaDueAt)} UTC`}</time>
          </span>
        </>
      ) : null}
    </li>
  );
}

function Figure({
  n,
  label,
  href,
  id,
  alert,
}: {
  n: number;
  label: string;
  href: string;
  id: string;
  alert?: boolean;
}) {
  return (
    <a class={`count${alert && n > 0 ? " alert" : ""}`} href={href} id={id}>
      <b>{n.toLocaleString("en-US")}</b> {label}
    </a>
  );
}

/** Today's first section. Each figure says what it counts and links to the full list. */
export function MyWorkSection({
  work,
  now,
  slack,
}: {
  work: MyWork;
  now: Date;
  /** For those who manage alerts: whether approvers are told in Slack too, and the form's token. */
  slack?: { on: boolean; csrfToken: string | null } | null;
}) {
  const { counts } = work;
  // The feed lists exactly what each figure counts (work=: src/services/mentions/my-work-scope.ts).
  const mineUrl = "/feed?work=mine";
  const nothing = counts.assigned === 0 && !counts.awaitingApproval;
  return (
    <section class="panel my-work" aria-labelledby="my-work-title" data-testid="my-work">
      <h2 id="my-work-title">My work</h2>
      <div class="counts">
        <Figure
          n={counts.assigned}
          label="assigned to me, open (near-duplicates counted once)"
          href={mineUrl}
          id="my-assigned"
        />
        <Figure n={counts.overdue} label="of mine overdue" href={mineUrl} id="my-overdue" alert={true} />
        {counts.awaitingApproval !== null ? (
          <Figure
            n={counts.awaitingApproval}
            label="mentions with a reply awaiting my approval"
            href="/feed?work=approvals"
            id="my-approvals"
            alert={true}
          />
        ) : null}
      </div>
      {nothing ? (
        <p class="muted">
          Nothing is assigned to you
          {counts.awaitingApproval === 0 ? " and no reply waits for your approval" : ""}. Pick up something
          from the queue below.
        </p>
      ) : null}
      {slack ? (
        <form method="post" action="/my-work/slack" class="inline slack-approvals">
          <input type="hidden" name="_csrf" value={slack.csrfToken ?? ""} />
          <input type="hidden" name="on" value={slack.on ? "0" : "1"} />
          <span class="muted">
            {slack.on
              ? "Approvers are also told in Slack when a reply waits. "
              : "Approvers see waiting replies here; Slack is not told. "}
          </span>
          <button type="submit" class="link">
            {slack.on ? "Stop telling Slack" : "Tell Slack too"}
          </button>
        </form>
      ) : null}
      {work.awaitingApproval && work.awaitingApproval.length > 0 ? (
        <>
          <h3>Awaiting my approval</h3>
          <ul class="approvals">
            {work.awaitingApproval.map((item) => (
              <ApprovalRow item={item} />
            ))}
          </ul>
        </>
      ) : null}
      {work.overdue.length > 0 ? (
        <>
          <h3>Overdue</h3>
          <ol class="mentions compact">
            {work.overdue.map((item) => mentionRow(item, now, false, { idPrefix: "my-overdue-" }))}
          </ol>
        </>
      ) : null}
      {work.assigned.length > 0 ? (
        <>
          <h3>Assigned to me, soonest due first</h3>
          <ol class="mentions compact">
            {work.assigned
              .filter((item) => !work.overdue.some((o) => o.id === item.id))
              .map((item) => mentionRow(item, now, false, { idPrefix: "my-assigned-" }))}
          </ol>
          {counts.assigned > work.assigned.length ? (
            <p>
              <a href={mineUrl}>{`All ${counts.assigned} assigned to me →`}</a>
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
