// Served at /static/app.css. Kept in a module (not a file read at start) so the Workers build serves it too.
export const appCss = `
:root { --bg:#f6f7f9; --fg:#1b1f24; --muted:#5f6b7a; --line:#dde1e6; --accent:#2156a5; --crit:#b3261e; --high:#a84f00; --med:#765d00; --low:#4a6a4a; --ok:#1e7a3c; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--fg); }
a { color: var(--accent); }
.topbar { display:flex; gap:1.2rem; align-items:center; padding:.6rem 1.2rem; background:#fff; border-bottom:1px solid var(--line); }
.topbar .brand { font-weight:700; text-decoration:none; color:var(--fg); }
.topbar nav { display:flex; gap:.9rem; flex:1; }
.topbar nav a { text-decoration:none; color:var(--muted); }
.topbar nav a.active { color:var(--fg); font-weight:600; }
.who { color:var(--muted); }
.role { font-size:.75rem; padding:0 .35rem; border:1px solid var(--line); border-radius:3px; }
main { padding: 1rem 1.2rem; max-width: 1280px; margin: 0 auto; }
h1 { font-size: 1.35rem; margin: .2rem 0 .8rem; }
h2 { font-size: 1.05rem; }
.panel { background:#fff; border:1px solid var(--line); border-radius:6px; padding:1rem 1.2rem; margin-bottom:1rem; }
.narrow { max-width: 420px; margin: 3rem auto; }
.login label, .stack label { display:block; margin: .6rem 0; }
.login input, .stack input, .stack select, .stack textarea { display:block; width:100%; padding:.45rem; margin-top:.2rem; }
.muted { color: var(--muted); }
.stack fieldset { border:1px solid var(--line); border-radius:4px; }
.stack label.check { display:inline-flex; align-items:center; gap:.25rem; margin:.15rem .7rem .15rem 0; }
.stack label.check input { display:inline; width:auto; margin:0; }
.saved-views { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin-bottom:.6rem; }
.error { color: var(--crit); background:#fdecea; padding:.5rem .7rem; border-radius:4px; }
.notice { background:#e8f1fb; padding:.5rem .7rem; border-radius:4px; }
button, .button { font: inherit; padding:.35rem .8rem; border:1px solid var(--line); background:#fff; border-radius:4px; cursor:pointer; }
button.primary { background: var(--accent); color:#fff; border-color: var(--accent); }
button.link { border:none; background:none; color:var(--accent); padding:0; }
form.inline { display:inline; }
.filters { display:flex; flex-wrap:wrap; gap:.6rem; align-items:flex-end; background:#fff; border:1px solid var(--line); padding:.7rem; border-radius:6px; margin-bottom:.8rem; }
.filters label { display:flex; flex-direction:column; font-size:.8rem; color:var(--muted); }
.filters .search input { width: 18rem; max-width: 100%; }
.bulk { display:flex; gap:.5rem; align-items:center; margin:.5rem 0; }
ol.mentions { list-style:none; padding:0; margin:0; }
li.mention { display:flex; gap:.7rem; background:#fff; border:1px solid var(--line); border-left:4px solid var(--line); border-radius:4px; padding:.6rem .8rem; margin-bottom:.45rem; outline:none; }
li.mention.sev-critical { border-left-color: var(--crit); }
li.mention.sev-high { border-left-color: var(--high); }
li.mention.sev-medium { border-left-color: var(--med); }
li.mention.sev-low { border-left-color: var(--low); }
li.mention.current { box-shadow: 0 0 0 2px var(--accent); }
li.mention.overdue { background: #fff6f5; }
li.mention.arrived-overdue { background: #fbf7ee; }
.due { padding:0 .35rem; border-radius:3px; border:1px solid var(--line); white-space:nowrap; }
.due-overdue { color: var(--crit); border-color: var(--crit); }
.due-arrived_overdue { color: var(--high); border-color: var(--high); }
.queue-sort { display:flex; flex-wrap:wrap; gap:.6rem; align-items:center; margin:.3rem 0 .6rem; }
/* The queue: the due time leads each row, as a column. */
ol.queue .meta .due { order:-1; min-width: 12rem; font-weight:600; }
.queue-head { display:flex; gap:.7rem; margin:.2rem 0; font-size:.8rem; }
.queue-head span:first-child { min-width: 13.5rem; }
.digest-controls { margin:.4rem 0 .8rem; }
.digest-frame { display:block; width:100%; max-width:640px; height:2600px; border:1px solid var(--line); border-radius:6px; background:#f5f7fa; }
@media (max-width: 480px) { .due { white-space: normal; } }
/* A phone (390 px): the top bar wraps instead of pushing the page sideways. */
@media (max-width: 600px) { .topbar { flex-wrap: wrap; gap: .5rem; } .topbar nav { flex-wrap: wrap; flex-basis: 100%; gap: .6rem; } }
li.mention .body { flex:1; min-width:0; }
li.mention .text { margin:.3rem 0; white-space: pre-wrap; overflow-wrap:anywhere; }
.meta { display:flex; flex-wrap:wrap; gap:.45rem; font-size:.8rem; color:var(--muted); align-items:center; }
.meta .source { font-weight:600; color:var(--fg); }
.brand-tag, .cat, .flag, .status, .sev, .dups, .overdue-tag { padding:0 .35rem; border-radius:3px; border:1px solid var(--line); }
.flag { background:#fff4e0; }
.human-only { padding:0 .35rem; border-radius:3px; background:#5b2a86; color:#fff; font-weight:600; }
.human-only-guard { border-left:4px solid #5b2a86; }
.confirm-human-only { display:block; max-width:40rem; margin:.3rem 0; }
.config-field { margin:.6rem 0; }
.stack .config-field label { margin:0; }
.field-hint, .field-error { display:block; font-size:.8rem; margin-top:.15rem; }
.field-error { padding:.2rem .4rem; }
.sev-critical.sev, .overdue-tag { background: var(--crit); color:#fff; border-color: var(--crit); }
.sev-high.sev { background: var(--high); color:#fff; border-color: var(--high); }
.status-dismissed { text-decoration: line-through; }
.status-escalated { background:#fdecea; }
.counts { display:flex; flex-wrap:wrap; gap:.5rem; }
.count { background:#fff; border:1px solid var(--line); border-radius:4px; padding:.3rem .6rem; }
.count b { font-size:1.1rem; margin-right:.3rem; }
.count.alert b { color: var(--crit); }
.charts { display:grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 1rem; }
.chart > svg { width:100%; height:auto; background:#fff; border:1px solid var(--line); border-radius:4px; }
.chart figcaption { font-weight:600; margin-bottom:.3rem; }
figure.chart { margin:0 0 1rem; }
.chart text { font-size: 10px; fill: var(--muted); }
.legend { display:flex; flex-wrap:wrap; gap:.5rem; font-size:.75rem; }
.legend .swatch { display:inline-block; width:.7rem; height:.7rem; margin-right:.2rem; vertical-align:middle; }
table.data { border-collapse: collapse; width:100%; background:#fff; }
table.data th, table.data td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
table.data td.wrap { white-space: pre-wrap; overflow-wrap:anywhere; max-width: 28rem; }
.health-ok { color: var(--ok); } .health-failing, .health-auth_error { color: var(--crit); }
.grid2 { display:grid; grid-template-columns: 2fr 1fr; gap:1rem; }
.pager { margin: .8rem 0; }
dl.keys { display:grid; grid-template-columns: 5rem 1fr; gap:.2rem .6rem; }
dl.keys dt { font-family: monospace; font-weight: 700; }
dialog { border:1px solid var(--line); border-radius:6px; }
.fullText { white-space: pre-wrap; overflow-wrap:anywhere; font-size: 1rem; }
.toast { position: fixed; bottom: 1rem; right: 1rem; background: var(--fg); color: #fff; padding: .5rem .8rem; border-radius: 4px; }
/* The reply editor's character count sits under the box, not over the last line of text (reply-editor.css). */
.reply-editor .editor .counter { position: static; display: block; text-align: right; }
.reply-editor .editor textarea { width: 100%; }
/* Read by screen readers, not shown (column headers of button columns, labels the layout makes obvious). */
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.mention-title { font-size: 1.1rem; margin: 0 0 .4rem; overflow-wrap: anywhere; }
.grid2 > * { min-width: 0; }
/* Phones and narrow windows (checked at 390 px by test/e2e/screens.test.ts): nothing may push the page sideways. */
img, svg, video, iframe, pre, code { max-width: 100%; }
pre, code { white-space: pre-wrap; overflow-wrap: anywhere; }
input, select, textarea { max-width: 100%; }
@media (max-width: 800px) {
  .grid2 { grid-template-columns: 1fr; }
  main { padding: .8rem .7rem; }
  .panel { padding: .8rem .8rem; }
}
@media (max-width: 600px) {
  .who { overflow-wrap: anywhere; }
  .filters > * { max-width: 100%; }
  .filters .search, .filters .search input { width: 100%; }
  .bulk { flex-wrap: wrap; }
  li.mention { flex-wrap: wrap; }
  /* Tables become stacked rows: one card per row, each cell on its own line, labelled from its column (data-label,
     set by the page or by app.js from the header); the header row stays for screen readers only. */
  table.data, table.data tbody, table.data tr, table.data td, table.data th { display: block; width: 100%; max-width: 100%; }
  table.data thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  table.data tr { border-bottom: 1px solid var(--line); padding: .35rem 0; }
  table.data td, table.data tbody th { border: none; padding: .15rem .6rem; overflow-wrap: anywhere; }
  table.data td.wrap { max-width: none; }
  table.data td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .8rem; }
  table.data td:empty { display: none; }
  ol.queue .meta .due { min-width: 0; }
  .queue-head span:first-child { min-width: 0; }
  .toast { left: 1rem; }
}
/* Issue 15, the day (H15b): My work, the feed's rows and count, toasts with Undo, the in-page question. */
.my-work h3 { font-size: .95rem; margin: .8rem 0 .3rem; }
.my-work .approvals { margin: 0; padding-left: 1.1rem; }
ol.mentions.compact li.mention { margin-bottom: .3rem; }
.nav-badge { display:inline-block; min-width:1.2rem; padding:0 .3rem; margin-left:.15rem; border-radius:.6rem; background:var(--accent); color:#fff; font-size:.72rem; font-weight:700; text-align:center; line-height:1.2rem; }
.nav-badge.alert { background: var(--crit); }
.nav-badge[hidden] { display:none; }
/* Two lines per row until "Show more" (only with app.js, which offers the button). */
.js li.mention .text:not(.expanded) { display:-webkit-box; -webkit-box-orient:vertical; -webkit-line-clamp:2; line-clamp:2; overflow:hidden; }
li.mention button.more { font-size:.8rem; margin-right:.8rem; }
li.mention .open { margin-right:.8rem; }
mark { background:#fff0a8; color:inherit; padding:0 .05rem; border-radius:2px; }
.assignee.unassigned { color: var(--muted); font-style: italic; }
.result-count { margin:.3rem 0 .5rem; }
.queue-sort a.current-sort { color: var(--fg); font-weight:700; text-decoration:none; }
.list-nav { display:flex; flex-wrap:wrap; gap:.8rem; align-items:center; margin:0 0 .6rem; }
.action-notice { display:flex; flex-wrap:wrap; gap:.6rem; align-items:center; background:#e8f1fb; padding:.5rem .7rem; border-radius:4px; margin-bottom:.6rem; }
.toasts { position: fixed; bottom: 1rem; right: 1rem; display:flex; flex-direction:column; gap:.4rem; z-index: 10; max-width: calc(100vw - 2rem); }
.toasts .toast, .toasts .action-notice { position: static; display:flex; flex-wrap:wrap; gap:.6rem; align-items:center; background: var(--fg); color:#fff; padding:.5rem .8rem; border-radius:4px; margin:0; }
.toast button.undo, .action-notice button.undo { background:#fff; color: var(--fg); border-color:#fff; font-weight:600; }
dialog.ask { max-width: 34rem; width: calc(100vw - 2rem); padding: 1rem 1.2rem; }
dialog.ask::backdrop { background: rgba(0,0,0,.35); }
dialog.ask h2 { margin-top: 0; }
.ask-buttons { display:flex; flex-wrap:wrap; gap:.6rem; margin-top: .8rem; }
`;
