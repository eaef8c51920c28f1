// The evidence bundles as one page an examiner can read and print. Every value goes through hono's `html`
// template, which escapes it: mention text and reply drafts are written by strangers and by staff.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { EvidenceBundle } from "./evidence.js";

const when = (d: Date | null | undefined) =>
  d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "—";
const list = (items: unknown) =>
  Array.isArray(items) && items.length > 0
    ? (items as { rule?: string; message?: string }[])
        .map((i) => `${i.rule ?? ""} ${i.message ?? ""}`.trim())
        .join("; ")
    : "none";

function bundle(b: EvidenceBundle): HtmlEscapedString | Promise<HtmlEscapedString> {
  const m = b.mention;
  return html`<section>
    <h2>Mention ${m.id} · ${m.source}</h2>
    <p class="meta">Posted ${when(m.postedAt)} by ${m.author ?? "unknown"}; stored ${when(m.storedAt)}; ${m.category ?? "unclassified"}, ${m.severity ?? "—"}${m.flags.length ? `, flags: ${m.flags.join(", ")}` : ""}; now ${m.status}.${m.url ? html` <a href="${m.url.startsWith("http") ? m.url : "#"}">${m.url}</a>` : ""}</p>
    <blockquote>${m.text}</blockquote>
    ${b.replies.map(
      (r) => html`<h3>Reply ${r.id} (${r.origin}) — ${r.status}</h3>
        <p class="meta">Written by ${r.author ?? "—"} ${when(r.createdAt)}; approved by ${r.approvedBy ?? "—"} ${when(r.approvedAt)}; posted by ${r.postedBy ?? "—"} ${when(r.postedAt)} (${r.postedVia ?? "not posted"})${r.postedExternalId ? `, post id ${r.postedExternalId}` : ""}${r.postedUrl ? `, ${r.postedUrl}` : ""}.</p>
        <blockquote>${r.postedText ?? r.text}</blockquote>
        <table><thead><tr><th scope="col">Linted</th><th scope="col">By</th><th scope="col">Verdict</th><th scope="col">Blocking</th><th scope="col">Warnings</th></tr></thead><tbody>
        ${r.lintRuns.map(
          (l) =>
            html`<tr><td>${when(l.at)}</td><td>${l.by ?? "—"}</td><td>${l.ok ? "passed" : "stopped"}</td><td>${list(l.violations)}</td><td>${list(l.warnings)}</td></tr>`,
        )}
        </tbody></table>`,
    )}
    <h3>Audit trail</h3>
    <table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Chain hash</th></tr></thead><tbody>
    ${b.audit.map(
      (a) =>
        html`<tr><td>${when(a.at)}</td><td>${a.actor ?? "—"}</td><td>${a.action} (${a.entity})</td><td><code>${a.hash ? a.hash.slice(0, 16) : "not sealed yet"}</code></td></tr>`,
    )}
    </tbody></table>
  </section>`;
}

export async function evidenceHtml(bundles: EvidenceBundle[], generatedAt: Date): Promise<string> {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport evidence export</title>
<style>${raw("body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}blockquote{white-space:pre-wrap;border-left:3px solid #888;margin:.5rem 0;padding:.25rem .75rem;background:#f6f6f6}table{border-collapse:collapse;width:100%;font-size:13px;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}.meta{color:#444}section{border-top:2px solid #333;margin-top:1.5rem}")}</style>
</head><body>
<h1>Evidence export</h1>
<p>${bundles.length} mention(s) with public replies, generated ${when(generatedAt)}. Post text is shown as stored, with personal data masked. Each audit entry's chain hash can be checked with <code>npx rapport audit verify</code>.</p>
${bundles.map(bundle)}
</body></html>`;
  return (await page).toString();
}
