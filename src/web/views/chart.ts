// Server-rendered stacked daily bar charts: plain SVG, no script, no chart CDN.
import { raw } from "hono/html";
import { escapeToBuffer } from "hono/utils/html";
import type { DailySeries } from "../../services/today/today.js";

const PALETTE = [
  "#2156a5",
  "#c25e00",
  "#1e7a3c",
  "#b3261e",
  "#7b3fa0",
  "#8a6d00",
  "#0f7c86",
  "#a33c6b",
  "#5f6b7a",
  "#3d5a80",
  "#999999",
];
const MAX_SERIES = 8;

/** Keeps the biggest series and folds the rest into "other", so the legend stays readable. */
export function topSeries(data: DailySeries): DailySeries["series"] {
  if (data.series.length <= MAX_SERIES) return data.series;
  const kept = data.series.slice(0, MAX_SERIES - 1);
  const other = new Array<number>(data.days.length).fill(0);
  for (const s of data.series.slice(MAX_SERIES - 1)) {
    s.counts.forEach((v, i) => {
      other[i] = (other[i] ?? 0) + v;
    });
  }
  return [...kept, { key: "other", counts: other }];
}

/** Text escaped by hono's own escaper (the one JSX and `html` use). */
function escaped(text: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}

/**
 * Built as one string rather than JSX or an `html` template per element: two charts are up to 500 bars, and
 * building and walking that many elements was a fifth of Today's server time. Every text in it (series keys are
 * category codes and source names, which a person typed; the title) is escaped once with hono's escaper; the
 * rest is numbers and constants.
 */
export function StackedBarChart({ title, data }: { title: string; data: DailySeries }) {
  const width = 600;
  const height = 180;
  const left = 30;
  const bottom = 20;
  const plotHeight = height - bottom - 10;
  const series = topSeries(data);
  const keys = series.map((s) => escaped(s.key));
  const totals = data.days.map((_, i) => series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const barWidth = (width - left) / data.days.length;
  const y = (v: number) => (v / max) * plotHeight;
  const safeTitle = escaped(title);
  let out = `<figure class="chart"><figcaption>${safeTitle}</figcaption><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${safeTitle}" xmlns="http://www.w3.org/2000/svg"><line x1="${left}" y1="10" x2="${left}" y2="${10 + plotHeight}" stroke="#dde1e6"></line><line x1="${left}" y1="${10 + plotHeight}" x2="${width}" y2="${10 + plotHeight}" stroke="#dde1e6"></line><text x="${left - 4}" y="14" text-anchor="end">${max}</text><text x="${left - 4}" y="${10 + plotHeight}" text-anchor="end">0</text>`;
  data.days.forEach((day, i) => {
    const safeDay = escaped(day);
    let base = 10 + plotHeight;
    out += "<g>";
    series.forEach((s, k) => {
      const value = s.counts[i] ?? 0;
      if (value === 0) return;
      const h = y(value);
      base -= h;
      out += `<rect x="${left + i * barWidth + 1}" y="${base}" width="${Math.max(1, barWidth - 2)}" height="${h}" fill="${PALETTE[k % PALETTE.length]}"><title>${safeDay} ${keys[k]}: ${value}</title></rect>`;
    });
    if (i % 7 === 0)
      out += `<text x="${left + i * barWidth}" y="${height - 4}">${escaped(day.slice(5))}</text>`;
    out += "</g>";
  });
  out += `</svg><div class="legend">`;
  series.forEach((s, k) => {
    out += `<span><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="${PALETTE[k % PALETTE.length]}"></rect></svg>${escaped(s.key.replace(/_/g, " "))} (${s.counts.reduce((a, b) => a + b, 0)})</span>`;
  });
  return raw(`${out}</div></figure>`);
}
