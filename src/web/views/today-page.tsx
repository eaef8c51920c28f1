import type { AuthUser } from "../../auth/types.js";
import { type CfpbTally, cfpbTallyLine } from "../../domain/compliance/cfpb-clock.js";
import { can } from "../../domain/permissions.js";
import type { CfpbRowBadge } from "../../services/compliance/cfpb-complaints.js";
import type { FilterOptions } from "../../services/mentions/filter-options.js";
import type { UndoNotice } from "../../services/mentions/undo.js";
import type { MyWork } from "../../services/today/my-work.js";
import type { TodayView } from "../../services/today/today.js";
import { StackedBarChart } from "./chart.js";
import { BulkBar } from "./feed-page.js";
import { FilterBar, type FilterValues } from "./filter-bar.js";
import { ActionNotice } from "./flow.js";
import { CsrfField, Layout } from "./layout.js";
import { formatTime, mentionRow } from "./mention-row.js";
import { MyWorkSection } from "./my-work.js";

const count = (n: number, capped: boolean) => `${n.toLocaleString("en-US")}${capped ? "+" : ""}`;

export function TodayPage(props: {
  user: AuthUser;
  csrfToken: string | null;
  view: TodayView;
  values: FilterValues;
  options: FilterOptions;
  now: Date;
  back: string;
  /** What is mine to do (src/services/today/my-work.ts): the page's first section, and the nav badge. */
  myWork?: MyWork;
  notice?: UndoNotice | null;
  /** Whether approvers are told in Slack (null for those who may not change it). */
  approvalsToSlack?: boolean | null;
  /** The workspace's CFPB complaints (src/services/compliance/cfpb-complaints.ts), and the listed ones' clocks. */
  cfpb?: { tally: CfpbTally; rows: ReadonlyMap<number, CfpbRowBadge> };
}) {
  const { view } = props;
  const canTriage = can(props.user.role, "triage");
  return (
    <Layout
      title="Today"
      user={props.user}
      csrfToken={props.csrfToken}
      active="today"
      myWork={props.myWork?.counts ?? null}
    >
      <h1>
        Today{" "}
        <span class="muted">
          new since <time datetime={view.since} data-local="since">{`${formatTime(view.since)} UTC`}</time>
        </span>
      </h1>
      <ActionNotice notice={props.notice ?? null} csrfToken={props.csrfToken} back={props.back} />
      {props.myWork ? (
        <MyWorkSection
          work={props.myWork}
          now={props.now}
          slack={
            props.approvalsToSlack === null || props.approvalsToSlack === undefined
              ? null
              : { on: props.approvalsToSlack, csrfToken: props.csrfToken }
          }
        />
      ) : null}
      <div class="counts">
        <span class="count">
          <b>{String(view.total)}</b> new
        </span>
        <a
          class={`count${view.overdue > 0 ? " alert" : ""}`}
          href="/feed?sort=sla"
          id="overdue-count"
          title="Open mentions past their SLA that were due after Rapport received them"
        >
          <b>{count(view.overdue, view.capped)}</b> overdue
        </a>
        {view.arrivedOverdue > 0 ? (
          <a
            class="count"
            href="/feed?sort=sla"
            id="arrived-overdue-count"
            title="Posts already past their SLA when Rapport found them (a backfill or an outage): not counted as overdue"
          >
            <b>{count(view.arrivedOverdue, view.capped)}</b> arrived overdue
          </a>
        ) : null}
        <a class="count" href="/feed?sort=sla" id="open-count">
          <b>{count(view.open, view.capped)}</b> open in the queue
        </a>
        {view.byCategory.map((c) => (
          <a class="count" href={`/feed?category=${encodeURIComponent(c.key)}`}>
            <b>{String(c.count)}</b> {c.key.replace(/_/g, " ")}
          </a>
        ))}
        {view.bySource.map((s) => (
          <a class="count" href={`/feed?source=${encodeURIComponent(s.key)}`}>
            <b>{String(s.count)}</b> {s.key}
          </a>
        ))}
        <form method="post" action="/today/seen" class="inline">
          <CsrfField token={props.csrfToken} />
          <button type="submit">Mark all as seen</button>
        </form>
      </div>
      {props.cfpb && (props.cfpb.tally.open > 0 || props.cfpb.tally.pastResponse > 0) ? (
        <p
          id="cfpb-count"
          class={`cfpb-tally${props.cfpb.tally.pastResponse + props.cfpb.tally.pastFinal > 0 ? " alert" : ""}`}
        >
          {can(props.user.role, "viewComplaints") ? (
            <a href="/complaints?clock=running">{cfpbTallyLine(props.cfpb.tally)}</a>
          ) : (
            cfpbTallyLine(props.cfpb.tally)
          )}
        </p>
      ) : null}
      <div class="charts">
        <StackedBarChart title="Last 30 days by category" data={view.charts.byCategory} />
        <StackedBarChart title="Last 30 days by source" data={view.charts.bySource} />
      </div>
      <FilterBar action="/" values={props.values} options={props.options} />
      {canTriage ? <BulkBar csrfToken={props.csrfToken} back={props.back} user={props.user} /> : null}
      {view.items.length === 0 ? <p class="muted">Nothing new. The full history is in the Feed.</p> : null}
      <ol class="mentions" data-keyboard="true">
        {view.items.map((item) =>
          mentionRow(item, props.now, canTriage, props.cfpb ? { cfpb: props.cfpb.rows } : {}),
        )}
      </ol>
      {view.total > view.items.length ? (
        <p class="muted" id="today-more">
          {`Showing the ${view.items.length} most urgent of ${view.total} new mentions. `}
          <a href={`/feed?since=${encodeURIComponent(view.since)}&sort=sla`}>See all of them in the Feed</a>
        </p>
      ) : null}
    </Layout>
  );
}
