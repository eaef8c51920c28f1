// The digest e-mail: a subject, an HTML part that e-mail clients render (tables, inline styles, bars as cells
// with widths — no scripts, no external images, one column that reads on a phone), and a plain-text part.
// (Kept here because src/domain/digest had no renderer when the digest wiring was written.)
import type { DigestData, DigestPost } from "./load-digest.js";

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
}

/** Section titles, in order; the same words in both parts so a reader (and a test) finds each one. */
export const DIGEST_SECTIONS = [
  "Volume",
  "Top grievances",
  "Sources",
  "Spikes",
  "Response performance",
  "Rights events",
  "Compliance",
  "Recovery",
  "Notable posts",
] as const;

const words = (code: string) => code.replace(/_/g, " ");
const pct = (x: number | null) => (x === null ? "n/a" : `${Math.round(x * 100)}%`);
const signedPct = (x: number | null) => (x === null ? "new" : `${x >= 0 ? "+" : ""}${Math.round(x * 100)}%`);
const day = (d: Date) => d.toISOString().slice(0, 10);

export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return "n/a";
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

const oneLine = (text: string, max = 240) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function digestSubject(data: DigestData): string {
  const span = data.partial ? `${data.week} so far` : data.week;
  return `${data.brand.name} weekly digest ${span}: ${data.volume.relevant} complaints (${signedPct(data.volume.change)})`;
}

export function renderDigest(data: DigestData): RenderedDigest {
  return { subject: digestSubject(data), html: renderHtml(data), text: renderText(data) };
}

function renderText(d: DigestData): string {
  const lines: string[] = [];
  const section = (title: (typeof DIGEST_SECTIONS)[number]) =>
    lines.push("", title.toUpperCase(), "-".repeat(title.length));
  lines.push(
    `${d.brand.name} — weekly digest ${d.week}${d.partial ? " (so far)" : ""}`,
    `${day(d.start)} to ${day(new Date(d.end.getTime() - 1))} (UTC). Personal data masked.`,
  );
  section("Volume");
  lines.push(
    `${d.volume.relevant} collections mentions (${signedPct(d.volume.change)} vs ${d.volume.previousRelevant} last week), ${d.volume.total} mentions in all.`,
  );
  const maxDay = Math.max(1, ...d.volume.byDay.map((x) => x.relevant));
  for (const x of d.volume.byDay)
    lines.push(`  ${x.date}  ${"#".repeat(Math.round((x.relevant / maxDay) * 20)).padEnd(20)} ${x.relevant}`);
  section("Top grievances");
  if (d.categories.length === 0) lines.push("None this week.");
  for (const c of d.categories) {
    lines.push(`- ${words(c.category)}: ${c.count} (${pct(c.share)})`);
    for (const e of c.examples) lines.push(`    "${oneLine(e.textMasked, 160)}" ${e.link}`);
  }
  section("Sources");
  if (d.sources.length === 0) lines.push("None this week.");
  for (const s of d.sources) lines.push(`- ${s.name} (${s.type}): ${s.count}`);
  section("Spikes");
  if (d.spikes.length === 0) lines.push("No spikes this week.");
  for (const s of d.spikes) {
    lines.push(
      `- ${s.subject}: ${s.count} in an hour vs ${s.expected.toFixed(1)} usual, from ${s.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC for ${s.hours} h`,
    );
    for (const h of s.highlights) lines.push(`    ${h}`);
    lines.push(`    ${s.feedUrl}`);
  }
  section("Response performance");
  const r = d.response;
  lines.push(
    `Median time to first reply: ${formatMinutes(r.medianFirstResponseMinutes)} (${r.answered} answered)`,
    `Within SLA: ${pct(r.withinSla)} of ${r.slaDecided}`,
    `Open backlog: ${r.openBacklog}, overdue: ${r.overdue}`,
  );
  section("Rights events");
  if (d.rightsEvents.length === 0) lines.push("None this week.");
  for (const e of d.rightsEvents) lines.push(`- ${words(e.flag)}: ${e.count}`);
  section("Compliance");
  lines.push(
    `${d.compliance.blocked} of ${d.compliance.lintRuns} reply drafts blocked by the compliance check.`,
  );
  for (const rule of d.compliance.rules) lines.push(`- ${rule.rule}: ${rule.count}`);
  section("Recovery");
  lines.push(
    d.recovery.rate === null
      ? "No answered customers posted again yet."
      : `${pct(d.recovery.rate)} of answered customers who posted again sounded better (${d.recovery.recovered} of ${d.recovery.judged}).`,
  );
  section("Notable posts");
  if (d.notable.length === 0) lines.push("None this week.");
  for (const p of d.notable)
    lines.push(`- [${p.severity ?? "?"}] ${p.sourceName}: "${oneLine(p.textMasked, 200)}" ${p.link}`);
  lines.push("", `Open the feed: ${d.links.feed}`);
  return `${lines.join("\n")}\n`;
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const FONT = "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;";
const MUTED = "color:#5f6b7a;";

function bar(label: string, value: number, max: number, note = ""): string {
  const width = max > 0 ? Math.max(1, Math.round((value / max) * 100)) : 0;
  return `<tr><td style="${FONT}font-size:13px;padding:3px 8px 3px 0;width:38%;word-break:break-word;overflow-wrap:anywhere;">${esc(label)}</td>
<td style="width:50%;padding:3px 0;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
<td width="${width}%" style="background:#2f6fed;height:12px;font-size:0;line-height:0;">&nbsp;</td><td style="font-size:0;line-height:0;">&nbsp;</td></tr></table></td>
<td style="${FONT}font-size:13px;padding:3px 0 3px 8px;white-space:nowrap;text-align:right;">${value}${note ? ` <span style="${MUTED}">${esc(note)}</span>` : ""}</td></tr>`;
}

function quote(p: DigestPost): string {
  return `<p style="${FONT}font-size:14px;margin:6px 0 10px;padding:8px 10px;border-left:3px solid #c9d3e0;background:#f6f8fb;word-break:break-word;overflow-wrap:anywhere;">
${esc(oneLine(p.textMasked, 280))}<br><span style="${MUTED}font-size:12px;">${esc(p.sourceName)}${p.severity ? ` · ${esc(p.severity)}` : ""} · <a href="${esc(p.link)}" style="color:#2f6fed;">open</a></span></p>`;
}

function renderHtml(d: DigestData): string {
  const parts: string[] = [];
  const h2 = (title: (typeof DIGEST_SECTIONS)[number]) =>
    parts.push(
      `<h2 style="${FONT}font-size:17px;margin:26px 0 8px;border-bottom:1px solid #e3e8ef;padding-bottom:4px;">${title}</h2>`,
    );
  const p = (html: string) =>
    parts.push(`<p style="${FONT}font-size:14px;margin:6px 0;overflow-wrap:anywhere;">${html}</p>`);
  const table = (rows: string) =>
    parts.push(`<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows}</table>`);

  h2("Volume");
  p(
    `<strong style="font-size:22px;">${d.volume.relevant}</strong> collections mentions <span style="${MUTED}">(${signedPct(d.volume.change)} vs ${d.volume.previousRelevant} last week; ${d.volume.total} in all)</span>`,
  );
  const maxDay = Math.max(0, ...d.volume.byDay.map((x) => x.relevant));
  table(
    d.volume.byDay
      .map((x) => bar(new Date(`${x.date}T00:00:00Z`).toUTCString().slice(0, 11), x.relevant, maxDay))
      .join(""),
  );

  h2("Top grievances");
  if (d.categories.length === 0) p("None this week.");
  const maxCat = Math.max(0, ...d.categories.map((c) => c.count));
  // One table, examples as full-width rows, so the bars line up.
  table(
    d.categories
      .map(
        (c) =>
          bar(words(c.category), c.count, maxCat, pct(c.share)) +
          c.examples.map((e) => `<tr><td colspan="3">${quote(e)}</td></tr>`).join(""),
      )
      .join(""),
  );

  h2("Sources");
  if (d.sources.length === 0) p("None this week.");
  const maxSource = Math.max(0, ...d.sources.map((s) => s.count));
  table(d.sources.map((s) => bar(s.name, s.count, maxSource)).join(""));

  h2("Spikes");
  if (d.spikes.length === 0) p("No spikes this week.");
  for (const s of d.spikes) {
    p(
      `<strong>${esc(s.subject)}</strong>: ${s.count} in an hour vs ${s.expected.toFixed(1)} usual, ${esc(s.startedAt.toISOString().slice(0, 16).replace("T", " "))} UTC, ${s.hours} h · <a href="${esc(s.feedUrl)}" style="color:#2f6fed;">feed</a>`,
    );
    if (s.highlights.length)
      parts.push(
        `<ul style="${FONT}font-size:13px;margin:0 0 8px;padding-left:18px;overflow-wrap:anywhere;">${s.highlights.map((h) => `<li>${esc(h)}</li>`).join("")}</ul>`,
      );
  }

  h2("Response performance");
  const r = d.response;
  table(
    [
      [
        "Median time to first reply",
        `${formatMinutes(r.medianFirstResponseMinutes)} (${r.answered} answered)`,
      ],
      ["Within SLA", `${pct(r.withinSla)} of ${r.slaDecided}`],
      ["Open backlog", String(r.openBacklog)],
      ["Overdue", String(r.overdue)],
    ]
      .map(
        ([k, v]) =>
          `<tr><td style="${FONT}font-size:14px;padding:4px 0;${MUTED}">${esc(k!)}</td><td style="${FONT}font-size:14px;padding:4px 0;text-align:right;font-weight:600;">${esc(v!)}</td></tr>`,
      )
      .join(""),
  );

  h2("Rights events");
  if (d.rightsEvents.length === 0) p("None this week.");
  else p(d.rightsEvents.map((e) => `${esc(words(e.flag))}: <strong>${e.count}</strong>`).join(" · "));

  h2("Compliance");
  p(`${d.compliance.blocked} of ${d.compliance.lintRuns} reply drafts blocked by the compliance check.`);
  if (d.compliance.rules.length)
    p(d.compliance.rules.map((rule) => `${esc(rule.rule)}: ${rule.count}`).join(" · "));

  h2("Recovery");
  p(
    d.recovery.rate === null
      ? "No answered customers posted again yet."
      : `<strong>${pct(d.recovery.rate)}</strong> of answered customers who posted again sounded better (${d.recovery.recovered} of ${d.recovery.judged}).`,
  );

  h2("Notable posts");
  if (d.notable.length === 0) p("None this week.");
  for (const n of d.notable) parts.push(quote(n));

  const title = `${d.brand.name} — weekly digest ${d.week}${d.partial ? " (so far)" : ""}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title></head>
<body style="margin:0;padding:0;background:#eef1f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#eef1f5;"><tr><td align="center" style="padding:12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:6px;"><tr><td style="padding:18px 16px;">
<h1 style="${FONT}font-size:20px;margin:0 0 4px;">${esc(title)}</h1>
<p style="${FONT}font-size:13px;margin:0;${MUTED}">${day(d.start)} to ${day(new Date(d.end.getTime() - 1))} (UTC). Personal data masked.</p>
${parts.join("\n")}
<p style="${FONT}font-size:14px;margin:24px 0 0;"><a href="${esc(d.links.feed)}" style="color:#2f6fed;">Open the feed in Rapport</a></p>
</td></tr></table></td></tr></table></body></html>`;
}
