// Server-rendered stacked daily bar charts: plain SVG, no script, no chart CDN.
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

export function StackedBarChart({ title, data }: { title: string; data: DailySeries }) {
  const width = 600;
  const height = 180;
  const left = 30;
  const bottom = 20;
  const plotHeight = height - bottom - 10;
  const series = topSeries(data);
  const totals = data.days.map((_, i) => series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const barWidth = (width - left) / data.days.length;
  const y = (v: number) => (v / max) * plotHeight;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={title}
        xmlns="http://www.w3.org/2000/svg"
      >
        <line x1={left} y1={10} x2={left} y2={10 + plotHeight} stroke="#dde1e6" />
        <line x1={left} y1={10 + plotHeight} x2={width} y2={10 + plotHeight} stroke="#dde1e6" />
        <text x={left - 4} y={14} text-anchor="end">
          {String(max)}
        </text>
        <text x={left - 4} y={10 + plotHeight} text-anchor="end">
          0
        </text>
        {data.days.map((day, i) => {
          let base = 10 + plotHeight;
          return (
            <g>
              {series.map((s, k) => {
                const value = s.counts[i] ?? 0;
                if (value === 0) return null;
                const h = y(value);
                base -= h;
                return (
                  <rect
                    x={left + i * barWidth + 1}
                    y={base}
                    width={Math.max(1, barWidth - 2)}
                    height={h}
                    fill={PALETTE[k % PALETTE.length]}
                  >
                    <title>{`${day} ${s.key}: ${value}`}</title>
                  </rect>
                );
              })}
              {i % 7 === 0 ? (
                <text x={left + i * barWidth} y={height - 4}>
                  {day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <div class="legend">
        {series.map((s, k) => (
          <span>
            <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">
              <rect width="10" height="10" fill={PALETTE[k % PALETTE.length]} />
            </svg>
            {`${s.key.replace(/_/g, " ")} (${s.counts.reduce((a, b) => a + b, 0)})`}
          </span>
        ))}
      </div>
    </figure>
  );
}
