import { useEffect, useRef, useState } from "react";
import { cumulativeCounts } from "../../../scripts/lib/model.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatCount } from "../lib/format.ts";

export interface ChartProps {
  ladder: readonly number[];
  counts: readonly bigint[];
  /** j*: levels at or below it are committed (provisionally, before resolution). */
  tippingLevel: number;
}

const H = 220;

/** The drawing's width: narrower on phones so that its text stays legible once scaled down. */
function useChartWidth(): number {
  const query = "(max-width: 560px)";
  const [narrow, setNarrow] = useState(() => typeof window !== "undefined" && !!window.matchMedia?.(query).matches);
  useEffect(() => {
    const m = window.matchMedia?.(query);
    if (!m) return;
    const on = () => setNarrow(m.matches);
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, []);
  return narrow ? 360 : 640;
}
const PAD = { l: 44, r: 12, t: 16, b: 40 };

/**
 * The dynamic, readable: bars of pledges per level (committed or pending), and the cumulative
 * curve C(j) against the diagonal C = L. Where the curve stands on or above the diagonal the
 * level is self-consistent; the highest such level is the tipping point. Both axes of the curve
 * use a square-root scale so a 1-2-5 ladder stays readable; the diagonal stays straight.
 */
export function Chart({ ladder, counts, tippingLevel }: ChartProps) {
  const { t, locale } = useI18n();
  const W = useChartWidth();
  const total = counts.reduce((a, b) => a + b, 0n);
  const previous = useRef(total);
  const [arrived, setArrived] = useState(0n);
  useEffect(() => {
    if (total > previous.current) setArrived(total - previous.current);
    previous.current = total;
  }, [total]);

  const m = ladder.length;
  const maxCount = counts.reduce((a, b) => (b > a ? b : a), 1n);
  const plotW = W - PAD.l - PAD.r;
  const plotH = H - PAD.t - PAD.b;
  const slot = plotW / m;
  const barW = Math.max(4, Math.min(48, slot * 0.7));

  const cumulative = cumulativeCounts(counts);
  const maxAxis = Math.max(ladder[m - 1] ?? 1, Number(cumulative[m - 1] ?? 0n), 1);
  const sx = (v: number) => PAD.l + (Math.sqrt(v) / Math.sqrt(maxAxis)) * plotW;
  const sy = (v: number) => PAD.t + plotH - (Math.sqrt(v) / Math.sqrt(maxAxis)) * plotH;
  const curve = ladder.map((l, i) => `${sx(l).toFixed(1)},${sy(Number(cumulative[i])).toFixed(1)}`).join(" ");
  const ticks = ladder.length <= 12 ? ladder : ladder.filter((_, i) => i % Math.ceil(ladder.length / 12) === 0);

  return (
    <figure className="chart" aria-labelledby="chart-title">
      <figcaption id="chart-title">
        <strong>{t("chart.chartTitle")}</strong>
        <span className="legend">
          <span className="swatch committed" aria-hidden="true" /> {t("chart.committed")}
          <span className="swatch pending" aria-hidden="true" /> {t("chart.pending")}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="bars-title bars-desc" data-testid="chart-bars">
        <title id="bars-title">{t("chart.chartTitle")}</title>
        <desc id="bars-desc">{t("chart.chartDesc")}</desc>
        <line x1={PAD.l} y1={PAD.t + plotH} x2={W - PAD.r} y2={PAD.t + plotH} className="axis" />
        {ladder.map((l, i) => {
          const c = counts[i] ?? 0n;
          const h = (Number(c) / Number(maxCount)) * plotH;
          const x = PAD.l + i * slot + (slot - barW) / 2;
          const committed = i + 1 <= tippingLevel;
          return (
            <g key={i}>
              <rect
                className={committed ? "bar committed" : "bar pending"}
                x={x}
                width={barW}
                style={{ y: PAD.t + plotH - h, height: h }}
              />
              {m <= (W < 640 ? 8 : 24) && (
                <text x={x + barW / 2} y={PAD.t + plotH - h - 3} textAnchor="middle" className="value">
                  {formatCount(c, locale)}
                </text>
              )}
              {(m <= (W < 640 ? 8 : 12) || i % Math.ceil(m / (W < 640 ? 6 : 12)) === 0) && (
                <text x={x + barW / 2} y={H - PAD.b + 14} textAnchor="middle" className="tick">
                  {formatCount(l, locale)}
                </text>
              )}
            </g>
          );
        })}
        <text x={W / 2} y={H - 6} textAnchor="middle" className="axis-label">
          {t("chart.axisLevel")}
        </text>
      </svg>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="curve-title" data-testid="chart-curve">
        <title id="curve-title">
          {t("chart.cumulative")} / {t("chart.diagonal")}
        </title>
        <line x1={sx(0)} y1={sy(0)} x2={sx(maxAxis)} y2={sy(maxAxis)} className="diagonal" />
        <polyline points={curve} className="curve" fill="none" />
        {ladder.map((l, i) => {
          const c = Number(cumulative[i]);
          const ok = c >= l;
          return (
            <circle
              key={i}
              cx={sx(l)}
              cy={sy(c)}
              r={i + 1 === tippingLevel ? 7 : 4}
              className={ok ? (i + 1 === tippingLevel ? "point tip" : "point ok") : "point short"}
            />
          );
        })}
        {ticks
          .filter((l, i) => i === ticks.length - 1 || sx(ticks[i + 1]) - sx(l) >= 26)
          .map((l) => (
            <text key={l} x={sx(l)} y={H - PAD.b + 14} textAnchor="middle" className="tick">
              {formatCount(l, locale)}
            </text>
          ))}
      </svg>
      <p className="legend curve-legend">
        <span className="swatch line" aria-hidden="true" /> {t("chart.cumulative")}
        <span className="swatch dashed" aria-hidden="true" /> {t("chart.diagonal")}
      </p>
      <div className="sr-only">
      <table>
        <caption>{t("chart.chartTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("common.level")}</th>
            <th scope="col">{t("chart.pledgesColumn")}</th>
            <th scope="col">{t("chart.cumulative")}</th>
          </tr>
        </thead>
        <tbody>
          {ladder.map((l, i) => (
            <tr key={i}>
              <th scope="row">{t("chart.levelLabel", { count: l })}</th>
              <td>{formatCount(counts[i] ?? 0n, locale)}</td>
              <td>{formatCount(cumulative[i] ?? 0n, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <p className="sr-only" aria-live="polite">
        {arrived > 0n ? `+${formatCount(arrived, locale)}` : ""}
      </p>
    </figure>
  );
}
