// The weekly digest, assembled from plain data: subject, HTML for e-mail clients, and the plain-text part.
//
// E-mail HTML is its own dialect: tables for layout, inline styles only (clients strip <style> and classes),
// no scripts, charts as table cells with percentage widths, a 600px column that shrinks on a phone.
// Mention text is untrusted: every value is escaped, and post text is masked again in case PII slipped through.
import { maskFor } from "../masking.js";
import type { Category } from "../taxonomy.js";

export interface DigestPost {
  /** Masked text. */
  text: string;
  source: string;
  url?: string | null;
  author?: string | null;
  createdAt?: string | null;
  reach?: number | null;
  /** Why it is notable ("high reach", "regulator mentioned"). */
  note?: string | null;
}

export interface DigestSpike {
  /** What spiked ("payment service complaints on X"). */
  subject: string;
  /** Start of the first spike hour (ISO). */
  ts: string;
  count: number;
  expected: number;
  /** Over-represented terms, strongest first. */
  terms: string[];
  examples?: DigestPost[];
  feedUrl?: string | null;
}

export interface DigestData {
  brand: string;
  /** ISO week, YYYY-Www. */
  week: string;
  /** Human dates of the week ("16–22 Nov 2026"). */
  periodLabel: string;
  /** True when the week is not over yet (on-demand digest mid-week). */
  partial?: boolean;
  volume: {
    total: number;
    previousWeek: number;
    relevant: number;
    byDay: { label: string; count: number }[];
  };
  grievances: {
    category: Category;
    label: string;
    count: number;
    previousWeek?: number;
    examples: DigestPost[];
  }[];
  sources: { name: string; count: number }[];
  spikes: DigestSpike[];
  response: {
    /** Median minutes from a mention's arrival to the first public reply; null with no replies. */
    medianFirstReplyMinutes: number | null;
    /** Share of replies within the SLA (0–1); null with no replies. */
    withinSlaShare: number | null;
    slaLabel: string;
    replied: number;
    openBacklog: number;
    overdue: number;
  };
  rightsEvents: { label: string; count: number }[];
  complianceBlocks: { rule: string; label: string; count: number }[];
  /** Customers answered in public whose later posts turned neutral or positive. */
  recovery: { answered: number; recovered: number };
  notable: DigestPost[];
  dashboardUrl?: string | null;
}

export interface DigestMessage {
  subject: string;
  html: string;
  text: string;
}

// --- helpers -------------------------------------------------------------------------------------------------

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const mask = (text: string) => maskFor("email", text);
const clip = (text: string, max: number) => {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
};
/** Untrusted post text for HTML: masked, shortened, escaped. */
const postHtml = (text: string, max = 280) => escapeHtml(clip(mask(text), max));
const postText = (text: string, max = 280) => clip(mask(text), max);
const safeUrl = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

const number = (n: number) => n.toLocaleString("en-US");
const percent = (share: number) => `${Math.round(share * 100)}%`;

export function weekOverWeek(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? "no change" : "new this week";
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.005) return "no change";
  return `${change > 0 ? "+" : "−"}${Math.round(Math.abs(change) * 100)}% vs last week`;
}

export function formatDuration(minutes: number | null): string {
  if (minutes === null) return "no replies";
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(minutes < 600 ? 1 : 0)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

// --- HTML pieces (inline styles only) -------------------------------------------------------------------------

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const COLORS = {
  ink: "#1f2933",
  muted: "#616e7c",
  line: "#e4e7eb",
  bar: "#3f6fd8",
  alert: "#c2410c",
  bg: "#f5f7fa",
};

function section(title: string, id: string, body: string): string {
  return `<tr><td id="${id}" style="padding:20px 24px 4px 24px;${FONT}">
<h2 style="margin:0 0 10px 0;font-size:17px;line-height:1.3;color:${COLORS.ink};${FONT}">${escapeHtml(title)}</h2>
${body}
</td></tr>`;
}

function paragraph(html: string, muted = false): string {
  return `<p style="margin:0 0 10px 0;font-size:14px;line-height:1.5;color:${muted ? COLORS.muted : COLORS.ink};word-break:break-word;overflow-wrap:anywhere;">${html}</p>`;
}

/** A labelled horizontal bar: a two-cell table whose first cell's width is the share. Renders in every client. */
function bar(label: string, value: number, max: number, valueLabel = number(value)): string {
  const width = max > 0 ? Math.max(1, Math.round((value / max) * 100)) : 0;
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px 0;">
<tr><td style="font-size:13px;line-height:1.4;color:${COLORS.ink};padding:0 0 3px 0;${FONT}">${escapeHtml(label)} <span style="color:${COLORS.muted};">${escapeHtml(valueLabel)}</span></td></tr>
<tr><td style="padding:0;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
${width > 0 ? `<td width="${width}%" style="background:${COLORS.bar};height:10px;line-height:10px;font-size:0;border-radius:2px;">&nbsp;</td>` : ""}
${width < 100 ? `<td style="background:${COLORS.bg};height:10px;line-height:10px;font-size:0;">&nbsp;</td>` : ""}
</tr></table></td></tr></table>`;
}

function postBlock(post: DigestPost): string {
  const url = safeUrl(post.url);
  const meta = [
    post.source,
    post.author ? mask(post.author) : null,
    post.note ?? null,
    post.reach ? `reach ${number(post.reach)}` : null,
  ]
    .filter((x): x is string => Boolean(x))
    .map(escapeHtml)
    .join(" · ");
  const link = url ? ` · <a href="${escapeHtml(url)}" style="color:${COLORS.bar};">open</a>` : "";
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 10px 0;"><tr>
<td style="border-left:3px solid ${COLORS.line};padding:2px 0 2px 10px;font-size:13px;line-height:1.5;color:${COLORS.ink};word-break:break-word;overflow-wrap:anywhere;${FONT}">
“${postHtml(post.text)}”<br><span style="color:${COLORS.muted};font-size:12px;">${meta}${link}</span></td></tr></table>`;
}

function statRow(stats: [string, string][]): string {
  const cells = stats
    .map(
      ([value, label]) =>
        `<td class="stat" valign="top" style="padding:0 8px 10px 0;${FONT}"><div style="font-size:22px;font-weight:700;color:${COLORS.ink};line-height:1.2;">${escapeHtml(value)}</div><div style="font-size:12px;color:${COLORS.muted};line-height:1.4;">${escapeHtml(label)}</div></td>`,
    )
    .join("");
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>${cells}</tr></table>`;
}

// --- assembly ---------------------------------------------------------------------------------------------------

export const DIGEST_SECTIONS = [
  "Volume",
  "Top grievances",
  "Sources",
  "Spikes",
  "Response performance",
  "Rights events",
  "Compliance blocks",
  "Recovery",
  "Notable posts",
] as const;

export function digestSubject(data: DigestData): string {
  const partial = data.partial ? " (so far)" : "";
  return `${data.brand} weekly digest, ${data.week}${partial}: ${number(data.volume.total)} mentions, ${weekOverWeek(data.volume.total, data.volume.previousWeek)}`;
}

export function assembleDigest(data: DigestData): DigestMessage {
  const subject = digestSubject(data);
  const [volumeT, grievancesT, sourcesT, spikesT, responseT, rightsT, complianceT, recoveryT, notableT] =
    DIGEST_SECTIONS;
  const r = data.response;
  const recoveryRate = data.recovery.answered > 0 ? data.recovery.recovered / data.recovery.answered : null;
  const html: string[] = [];
  const text: string[] = [];

  // Volume
  const maxDay = Math.max(0, ...data.volume.byDay.map((d) => d.count));
  html.push(
    section(
      volumeT,
      "volume",
      statRow([
        [number(data.volume.total), "mentions"],
        [
          weekOverWeek(data.volume.total, data.volume.previousWeek).replace(" vs last week", ""),
          `vs last week (${number(data.volume.previousWeek)})`,
        ],
        [number(data.volume.relevant), "about collections"],
      ]) + data.volume.byDay.map((d) => bar(d.label, d.count, maxDay)).join(""),
    ),
  );
  text.push(
    `${volumeT.toUpperCase()}\n${number(data.volume.total)} mentions (${weekOverWeek(data.volume.total, data.volume.previousWeek)}; last week ${number(data.volume.previousWeek)}), ${number(data.volume.relevant)} about collections.\n${data.volume.byDay.map((d) => `  ${d.label}: ${number(d.count)}`).join("\n")}`,
  );

  // Grievances
  const maxGrievance = Math.max(0, ...data.grievances.map((g) => g.count));
  html.push(
    section(
      grievancesT,
      "grievances",
      data.grievances.length === 0
        ? paragraph("No complaints this week.", true)
        : data.grievances
            .map(
              (g) =>
                bar(
                  g.label,
                  g.count,
                  maxGrievance,
                  `${number(g.count)}${g.previousWeek !== undefined ? ` (${weekOverWeek(g.count, g.previousWeek)})` : ""}`,
                ) + g.examples.slice(0, 2).map(postBlock).join(""),
            )
            .join(""),
    ),
  );
  text.push(
    `${grievancesT.toUpperCase()}\n${
      data.grievances.length === 0
        ? "No complaints this week."
        : data.grievances
            .map(
              (g) =>
                `- ${g.label}: ${number(g.count)}${g.previousWeek !== undefined ? ` (${weekOverWeek(g.count, g.previousWeek)})` : ""}${g.examples
                  .slice(0, 2)
                  .map((e) => `\n    "${postText(e.text, 200)}" (${e.source})`)
                  .join("")}`,
            )
            .join("\n")
    }`,
  );

  // Sources
  const maxSource = Math.max(0, ...data.sources.map((s) => s.count));
  html.push(
    section(
      sourcesT,
      "sources",
      data.sources.length
        ? data.sources.map((s) => bar(s.name, s.count, maxSource)).join("")
        : paragraph("No mentions.", true),
    ),
  );
  text.push(
    `${sourcesT.toUpperCase()}\n${data.sources.map((s) => `- ${s.name}: ${number(s.count)}`).join("\n") || "No mentions."}`,
  );

  // Spikes
  const spikeHtml = data.spikes.map((s) => {
    const feed = safeUrl(s.feedUrl);
    const ratio = s.expected > 0 ? `${(s.count / s.expected).toFixed(1)}× normal` : "far above normal";
    return (
      paragraph(
        `<strong style="color:${COLORS.alert};">${escapeHtml(s.subject)}</strong> — ${escapeHtml(new Date(s.ts).toUTCString().replace(":00 GMT", " UTC"))}: ${number(s.count)} mentions in an hour, about ${number(Math.round(s.expected))} expected (${ratio}).${
          s.terms.length
            ? ` People were talking about ${s.terms
                .slice(0, 5)
                .map((t) => `“${escapeHtml(clip(mask(t), 60))}”`)
                .join(", ")}.`
            : ""
        }${feed ? ` <a href="${escapeHtml(feed)}" style="color:${COLORS.bar};">See the posts</a>` : ""}`,
      ) + (s.examples ?? []).slice(0, 1).map(postBlock).join("")
    );
  });
  html.push(section(spikesT, "spikes", spikeHtml.join("") || paragraph("No spikes this week.", true)));
  text.push(
    `${spikesT.toUpperCase()}\n${
      data.spikes
        .map(
          (s) =>
            `- ${s.subject}, ${new Date(s.ts).toISOString().slice(0, 16).replace("T", " ")} UTC: ${number(s.count)} vs ~${number(Math.round(s.expected))} expected${
              s.terms.length
                ? `; about ${s.terms
                    .slice(0, 5)
                    .map((t) => `"${clip(mask(t), 60)}"`)
                    .join(", ")}`
                : ""
            }${safeUrl(s.feedUrl) ? `\n    ${s.feedUrl}` : ""}`,
        )
        .join("\n") || "No spikes this week."
    }`,
  );

  // Response performance
  html.push(
    section(
      responseT,
      "response",
      statRow([
        [formatDuration(r.medianFirstReplyMinutes), "median time to first reply"],
        [r.withinSlaShare === null ? "—" : percent(r.withinSlaShare), `within SLA (${r.slaLabel})`],
      ]) +
        statRow([
          [number(r.openBacklog), "open backlog"],
          [number(r.overdue), "overdue"],
        ]) +
        (r.withinSlaShare !== null
          ? bar("Replies within SLA", Math.round(r.withinSlaShare * 100), 100, percent(r.withinSlaShare))
          : ""),
    ),
  );
  text.push(
    `${responseT.toUpperCase()}\nMedian time to first reply: ${formatDuration(r.medianFirstReplyMinutes)} (${number(r.replied)} replies)\nWithin SLA (${r.slaLabel}): ${r.withinSlaShare === null ? "—" : percent(r.withinSlaShare)}\nOpen backlog: ${number(r.openBacklog)}; overdue: ${number(r.overdue)}`,
  );

  // Rights events
  html.push(
    section(
      rightsT,
      "rights",
      data.rightsEvents.length
        ? paragraph(
            data.rightsEvents
              .map((e) => `${escapeHtml(e.label)}: <strong>${number(e.count)}</strong>`)
              .join(" · "),
          ) +
            paragraph(
              "Each was sent to the collections system as a dated event once the post was linked to an account.",
              true,
            )
        : paragraph("None this week.", true),
    ),
  );
  text.push(
    `${rightsT.toUpperCase()}\n${data.rightsEvents.map((e) => `- ${e.label}: ${number(e.count)}`).join("\n") || "None this week."}`,
  );

  // Compliance blocks
  html.push(
    section(
      complianceT,
      "compliance",
      data.complianceBlocks.length
        ? paragraph(
            `${number(data.complianceBlocks.reduce((a, b) => a + b.count, 0))} draft replies were stopped before posting: ${data.complianceBlocks
              .map((b) => `${escapeHtml(b.rule)} ${escapeHtml(b.label)} (${number(b.count)})`)
              .join(", ")}.`,
          )
        : paragraph("No reply was blocked.", true),
    ),
  );
  text.push(
    `${complianceT.toUpperCase()}\n${data.complianceBlocks.map((b) => `- ${b.rule} ${b.label}: ${number(b.count)}`).join("\n") || "No reply was blocked."}`,
  );

  // Recovery
  html.push(
    section(
      recoveryT,
      "recovery",
      recoveryRate === null
        ? paragraph("No customer was answered in public this week.", true)
        : statRow([
            [
              percent(recoveryRate),
              `of ${number(data.recovery.answered)} answered customers came back neutral or positive`,
            ],
          ]) +
            bar(
              "Recovered",
              data.recovery.recovered,
              data.recovery.answered,
              `${number(data.recovery.recovered)} of ${number(data.recovery.answered)}`,
            ),
    ),
  );
  text.push(
    `${recoveryT.toUpperCase()}\n${recoveryRate === null ? "No customer was answered in public this week." : `${percent(recoveryRate)} (${number(data.recovery.recovered)} of ${number(data.recovery.answered)} answered customers came back neutral or positive)`}`,
  );

  // Notable posts
  html.push(
    section(
      notableT,
      "notable",
      data.notable.length ? data.notable.map(postBlock).join("") : paragraph("Nothing stood out.", true),
    ),
  );
  text.push(
    `${notableT.toUpperCase()}\n${
      data.notable
        .map(
          (p) =>
            `- "${postText(p.text)}" (${[p.source, p.note].filter(Boolean).join(", ")})${safeUrl(p.url) ? `\n    ${p.url}` : ""}`,
        )
        .join("\n") || "Nothing stood out."
    }`,
  );

  const dashboard = safeUrl(data.dashboardUrl);
  const title = `${data.brand} — week ${data.week}`;
  const htmlDocument = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:0;background:${COLORS.bg};-webkit-text-size-adjust:100%;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${COLORS.bg};"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background:#ffffff;border:1px solid ${COLORS.line};border-radius:6px;">
<tr><td style="padding:24px 24px 8px 24px;${FONT}">
<div style="font-size:12px;letter-spacing:.04em;text-transform:uppercase;color:${COLORS.muted};">Rapport weekly digest${data.partial ? " · week so far" : ""}</div>
<h1 style="margin:4px 0 0 0;font-size:22px;line-height:1.3;color:${COLORS.ink};${FONT}">${escapeHtml(data.brand)}</h1>
<div style="font-size:14px;color:${COLORS.muted};">${escapeHtml(data.week)} · ${escapeHtml(data.periodLabel)}</div>
</td></tr>
${html.join("\n")}
<tr><td style="padding:16px 24px 24px 24px;font-size:12px;line-height:1.5;color:${COLORS.muted};${FONT}">
${dashboard ? `<a href="${escapeHtml(dashboard)}" style="color:${COLORS.bar};">Open the dashboard</a> · ` : ""}Post text is shown with personal data masked. Sent by Rapport.
</td></tr>
</table></td></tr></table>
</body></html>`;

  const plain = [
    `RAPPORT WEEKLY DIGEST: ${data.brand}`,
    `${data.week} (${data.periodLabel})${data.partial ? ", week so far" : ""}`,
    "",
    text.join("\n\n"),
    "",
    dashboard ? `Dashboard: ${dashboard}` : "",
    "Post text is shown with personal data masked.",
  ]
    .filter((line, i, all) => line !== "" || all[i - 1] !== "")
    .join("\n");

  return { subject, html: htmlDocument, text: `${plain.trim()}\n` };
}
