// The weekly digest e-mail: subject, HTML for e-mail clients, and the plain-text part, from DigestData.
//
// Rendered with hono/jsx: every value is escaped by construction, there is no hand-written escaper to forget.
// E-mail HTML is its own dialect: tables for layout, inline styles only (clients strip <style> and classes), no
// scripts, charts as table cells with percentage widths, a 600px column that shrinks to a phone (read at 390 px).
// Post text is untrusted: masked again for e-mail (src/domain/masking.ts) and shortened; only http(s) links.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import {
  cfpbLine,
  complianceLine,
  type DigestData,
  type DigestPost,
  grievanceLine,
  headline,
  NO_GRIEVANCES,
  NO_RIGHTS_EVENTS,
  NO_SOURCES,
  NO_SPIKES,
  NOTHING_NOTABLE,
  number,
  recoveryLine,
  relevantLine,
  responseLines,
  rightsLine,
  spikeFeedbackLine,
  spikeLine,
  subject,
  supervisionLines,
  DIGEST_SECTION_TITLES as TITLES,
} from "../../../domain/digest/digest-data.js";
import { maskFor } from "../../../domain/masking.js";

export interface DigestMessage {
  subject: string;
  html: string;
  text: string;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const COLORS = {
  ink: "#1f2933",
  muted: "#616e7c",
  line: "#e4e7eb",
  bar: "#3f6fd8",
  alert: "#c2410c",
  bg: "#f5f7fa",
};

const clip = (text: string, max: number) => {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
};
/** Untrusted post text for an inbox: masked for e-mail, shortened. JSX escapes it. */
const postText = (text: string, max = 280) => clip(maskFor("email", text), max);
const safeUrl = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

function Section(props: { title: string; id: string; children?: Child }) {
  return (
    <tr>
      <td id={props.id} style={`padding:20px 24px 4px 24px;${FONT}`}>
        <h2 style={`margin:0 0 10px 0;font-size:17px;line-height:1.3;color:${COLORS.ink};${FONT}`}>
          {props.title}
        </h2>
        {props.children}
      </td>
    </tr>
  );
}

function P(props: { muted?: boolean; children?: Child }) {
  return (
    <p
      style={`margin:0 0 10px 0;font-size:14px;line-height:1.5;color:${props.muted ? COLORS.muted : COLORS.ink};word-break:break-word;overflow-wrap:anywhere;`}
    >
      {props.children}
    </p>
  );
}

/** A labelled horizontal bar: a two-cell table whose first cell's width is the share. Renders in every client. */
function Bar(props: { label: string; value: number; max: number; valueLabel?: string }) {
  const width = props.max > 0 ? Math.max(1, Math.round((props.value / props.max) * 100)) : 0;
  const cell = "height:10px;line-height:10px;font-size:0;";
  return (
    <table
      role="presentation"
      width="100%"
      cellpadding={0}
      cellspacing={0}
      border={0}
      style="margin:0 0 8px 0;"
    >
      <tr>
        <td
          style={`font-size:13px;line-height:1.4;color:${COLORS.ink};padding:0 0 3px 0;word-break:break-word;${FONT}`}
        >
          {props.label}{" "}
          <span style={`color:${COLORS.muted};`}>{props.valueLabel ?? number(props.value)}</span>
        </td>
      </tr>
      <tr>
        <td style="padding:0;">
          <table role="presentation" width="100%" cellpadding={0} cellspacing={0} border={0}>
            <tr>
              {width > 0 ? (
                <td width={`${width}%`} style={`background:${COLORS.bar};border-radius:2px;${cell}`}>
                  {raw("&nbsp;")}
                </td>
              ) : null}
              {width < 100 ? <td style={`background:${COLORS.bg};${cell}`}>{raw("&nbsp;")}</td> : null}
            </tr>
          </table>
        </td>
      </tr>
    </table>
  );
}

function Post({ post }: { post: DigestPost }) {
  const url = safeUrl(post.url);
  const meta = [
    post.source,
    post.author ? maskFor("email", post.author) : null,
    post.note ?? null,
    post.reach ? `reach ${number(post.reach)}` : null,
  ].filter((x): x is string => Boolean(x));
  return (
    <table
      role="presentation"
      width="100%"
      cellpadding={0}
      cellspacing={0}
      border={0}
      style="margin:0 0 10px 0;"
    >
      <tr>
        <td
          style={`border-left:3px solid ${COLORS.line};padding:2px 0 2px 10px;font-size:13px;line-height:1.5;color:${COLORS.ink};word-break:break-word;overflow-wrap:anywhere;${FONT}`}
        >
          {`“${postText(post.text)}”`}
          <br />
          <span style={`color:${COLORS.muted};font-size:12px;`}>
            {meta.join(" · ")}
            {url ? (
              <>
                {" · "}
                <a href={url} style={`color:${COLORS.bar};`}>
                  open
                </a>
              </>
            ) : null}
          </span>
        </td>
      </tr>
    </table>
  );
}

/** Big numbers with their labels; wraps on a phone. */
function Stats({ stats }: { stats: [string, string][] }) {
  return (
    <table role="presentation" width="100%" cellpadding={0} cellspacing={0} border={0}>
      <tr>
        {stats.map(([value, label]) => (
          <td valign="top" style={`padding:0 8px 10px 0;${FONT}`}>
            <div style={`font-size:22px;font-weight:700;color:${COLORS.ink};line-height:1.2;`}>{value}</div>
            <div style={`font-size:12px;color:${COLORS.muted};line-height:1.4;`}>{label}</div>
          </td>
        ))}
      </tr>
    </table>
  );
}

export function DigestEmail({ data }: { data: DigestData }) {
  const maxDay = Math.max(0, ...data.volume.byDay.map((d) => d.count));
  const maxGrievance = Math.max(0, ...data.grievances.map((g) => g.count));
  const maxSource = Math.max(0, ...data.sources.map((s) => s.count));
  const r = data.response;
  const decided = r.inTime + r.late + r.missed;
  const dashboard = safeUrl(data.dashboardUrl);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="x-apple-disable-message-reformatting" />
        <title>{`${data.brand} — week ${data.week}`}</title>
      </head>
      <body style={`margin:0;padding:0;background:${COLORS.bg};-webkit-text-size-adjust:100%;`}>
        <table
          role="presentation"
          width="100%"
          cellpadding={0}
          cellspacing={0}
          border={0}
          style={`background:${COLORS.bg};`}
        >
          <tr>
            <td align="center" style="padding:16px 8px;">
              <table
                role="presentation"
                width="100%"
                cellpadding={0}
                cellspacing={0}
                border={0}
                style={`max-width:600px;width:100%;background:#ffffff;border:1px solid ${COLORS.line};border-radius:6px;`}
              >
                <tr>
                  <td style={`padding:24px 24px 8px 24px;${FONT}`}>
                    <div
                      style={`font-size:12px;letter-spacing:.04em;text-transform:uppercase;color:${COLORS.muted};`}
                    >
                      {`Rapport weekly digest${data.partial ? " · week so far" : ""}`}
                    </div>
                    <h1 style={`margin:4px 0 0 0;font-size:22px;line-height:1.3;color:${COLORS.ink};${FONT}`}>
                      {data.brand}
                    </h1>
                    <div
                      style={`font-size:14px;color:${COLORS.muted};`}
                    >{`${data.week} · ${data.periodLabel}`}</div>
                  </td>
                </tr>

                <Section title={TITLES.volume} id="volume">
                  <Stats
                    stats={[
                      [
                        number(data.volume.total),
                        data.partial ? "mentions so far this week" : "mentions this week",
                      ],
                      [
                        number(data.volume.previousWeek),
                        data.partial ? "by this time last week" : "last week",
                      ],
                      [number(data.volume.relevant), "about collections"],
                    ]}
                  />
                  <P>{headline(data)}.</P>
                  <P muted>{relevantLine(data)}</P>
                  {data.volume.byDay.map((d) => (
                    <Bar label={d.label} value={d.count} max={maxDay} />
                  ))}
                </Section>

                <Section title={TITLES.grievances} id="grievances">
                  {data.grievances.length === 0 ? <P muted>{NO_GRIEVANCES}</P> : null}
                  {data.grievances.map((g) => (
                    <>
                      <Bar label={grievanceLine(g)} value={g.count} max={maxGrievance} valueLabel="" />
                      {g.examples.slice(0, 2).map((e) => (
                        <Post post={e} />
                      ))}
                    </>
                  ))}
                  {data.grievances.length > 0 ? (
                    <P muted>Examples are posts the model was sure of, or that a person confirmed.</P>
                  ) : null}
                </Section>

                <Section title={TITLES.sources} id="sources">
                  {data.sources.length === 0 ? <P muted>{NO_SOURCES}</P> : null}
                  {data.sources.map((s) => (
                    <Bar label={s.name} value={s.count} max={maxSource} />
                  ))}
                </Section>

                <Section title={TITLES.spikes} id="spikes">
                  {data.spikes.length === 0 ? <P muted>{NO_SPIKES}</P> : null}
                  {data.spikeFeedback ? <P muted>{spikeFeedbackLine(data.spikeFeedback)}</P> : null}
                  {data.spikes.map((s) => {
                    const feed = safeUrl(s.feedUrl);
                    return (
                      <>
                        <P>
                          <strong style={`color:${COLORS.alert};`}>{spikeLine(s)}</strong>
                          {s.terms.length
                            ? ` People were talking about ${s.terms
                                .slice(0, 5)
                                .map((t) => `“${clip(maskFor("email", t), 60)}”`)
                                .join(", ")}.`
                            : ""}
                          {feed ? (
                            <>
                              {" "}
                              <a href={feed} style={`color:${COLORS.bar};`}>
                                See the posts
                              </a>
                            </>
                          ) : null}
                        </P>
                        {(s.examples ?? []).slice(0, 1).map((e) => (
                          <Post post={e} />
                        ))}
                      </>
                    );
                  })}
                </Section>

                <Section title={TITLES.response} id="response">
                  <Stats
                    stats={[
                      [decided > 0 ? `${number(r.inTime)} of ${number(decided)}` : "—", "answered in time"],
                      [number(r.openBacklog), "still open"],
                      [number(r.overdue), "overdue"],
                    ]}
                  />
                  {decided > 0 ? (
                    <Bar
                      label="Answered in time"
                      value={r.inTime}
                      max={decided}
                      valueLabel={`${number(r.inTime)} of ${number(decided)}`}
                    />
                  ) : null}
                  {responseLines(data).map((line) => (
                    <P>{line}</P>
                  ))}
                </Section>

                <Section title={TITLES.rights} id="rights">
                  {data.rightsEvents.length === 0 ? <P muted>{NO_RIGHTS_EVENTS}</P> : null}
                  {data.rightsEvents.map((e) => (
                    <P>{`${rightsLine(e)}.`}</P>
                  ))}
                </Section>

                <Section title={TITLES.compliance} id="compliance">
                  <P muted={data.compliance.repliesStopped === 0}>{complianceLine(data.compliance)}</P>
                </Section>

                <Section title={TITLES.cfpb} id="cfpb">
                  <P muted={!data.cfpb || data.cfpb.open === 0}>{cfpbLine(data)}</P>
                </Section>

                <Section title={TITLES.supervision} id="supervision">
                  {supervisionLines(data).map((line, i) => (
                    <P muted={i === 0 && !data.supervision?.stops}>{line}</P>
                  ))}
                </Section>

                <Section title={TITLES.recovery} id="recovery">
                  {data.recovery.judged > 0 ? (
                    <Bar
                      label="Came back neutral or positive"
                      value={data.recovery.recovered}
                      max={data.recovery.judged}
                      valueLabel={`${number(data.recovery.recovered)} of ${number(data.recovery.judged)}`}
                    />
                  ) : null}
                  <P>{recoveryLine(data)}</P>
                </Section>

                <Section title={TITLES.notable} id="notable">
                  {data.notable.length === 0 ? <P muted>{NOTHING_NOTABLE}</P> : null}
                  {data.notable.map((p) => (
                    <Post post={p} />
                  ))}
                </Section>

                <tr>
                  <td
                    style={`padding:16px 24px 24px 24px;font-size:12px;line-height:1.5;color:${COLORS.muted};${FONT}`}
                  >
                    {dashboard ? (
                      <>
                        <a href={dashboard} style={`color:${COLORS.bar};`}>
                          Open the dashboard
                        </a>
                        {" · "}
                      </>
                    ) : null}
                    Post text is shown with personal data masked. Sent by Rapport.
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

/** The plain-text part: the same sentences as the HTML. */
export function digestText(data: DigestData): string {
  const section = (title: string, lines: string[]) => `${title.toUpperCase()}\n${lines.join("\n")}`;
  const post = (p: DigestPost, prefix: string, indent: string) =>
    `${prefix}"${postText(p.text, 200)}" (${[p.source, p.note].filter(Boolean).join(", ")})${safeUrl(p.url) ? `\n${indent}${p.url}` : ""}`;
  const parts = [
    section(TITLES.volume, [
      `${headline(data)}.`,
      relevantLine(data),
      ...data.volume.byDay.map((d) => `  ${d.label}: ${number(d.count)}`),
    ]),
    section(
      TITLES.grievances,
      data.grievances.length === 0
        ? [NO_GRIEVANCES]
        : data.grievances.flatMap((g) => [
            `- ${grievanceLine(g)}`,
            ...g.examples.slice(0, 2).map((e) => post(e, "    ", "      ")),
          ]),
    ),
    section(
      TITLES.sources,
      data.sources.length ? data.sources.map((s) => `- ${s.name}: ${number(s.count)}`) : [NO_SOURCES],
    ),
    section(
      TITLES.spikes,
      (data.spikes.length
        ? data.spikes.map(
            (s) =>
              `- ${spikeLine(s)}${
                s.terms.length
                  ? ` About ${s.terms
                      .slice(0, 5)
                      .map((t) => `"${clip(maskFor("email", t), 60)}"`)
                      .join(", ")}.`
                  : ""
              }${safeUrl(s.feedUrl) ? `\n    ${s.feedUrl}` : ""}`,
          )
        : [NO_SPIKES]
      ).concat(data.spikeFeedback ? [spikeFeedbackLine(data.spikeFeedback)] : []),
    ),
    section(TITLES.response, responseLines(data)),
    section(
      TITLES.rights,
      data.rightsEvents.length ? data.rightsEvents.map((e) => `- ${rightsLine(e)}.`) : [NO_RIGHTS_EVENTS],
    ),
    section(TITLES.compliance, [complianceLine(data.compliance)]),
    section(TITLES.cfpb, [cfpbLine(data)]),
    section(TITLES.supervision, supervisionLines(data)),
    section(TITLES.recovery, [recoveryLine(data)]),
    section(
      TITLES.notable,
      data.notable.length ? data.notable.map((p) => post(p, "- ", "    ")) : [NOTHING_NOTABLE],
    ),
  ];
  const dashboard = safeUrl(data.dashboardUrl);
  return `${[
    `RAPPORT WEEKLY DIGEST: ${data.brand}`,
    `${data.week} (${data.periodLabel})${data.partial ? ", week so far" : ""}`,
    "",
    parts.join("\n\n"),
    "",
    ...(dashboard ? [`Dashboard: ${dashboard}`] : []),
    "Post text is shown with personal data masked.",
  ].join("\n")}\n`;
}

export function renderDigest(data: DigestData): DigestMessage {
  return {
    subject: subject(data),
    html: `<!DOCTYPE html>\n${String(<DigestEmail data={data} />)}`,
    text: digestText(data),
  };
}
