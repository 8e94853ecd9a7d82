import { useEffect, useRef, useState } from "react";
import { type NextTippingPoint, cumulativeCounts } from "@bascule/core/model";
import type { CampaignPhase } from "../lib/types.ts";
import { useI18n } from "../i18n/i18n.tsx";

export interface ChartProps {
  ladder: readonly number[];
  counts: readonly bigint[];
  /** j*: levels at or below it are committed (provisionally, before resolution). */
  tippingLevel: number;
  /** The campaign's phase: present tense while open, past once resolved. */
  phase?: CampaignPhase;
  /**
   * P, when it is less than C(j*): with support conditions, pledges at or below the tipping point
   * whose condition the fund cannot meet do not count (MECHANISM "Resolution with conditions").
   */
  committed?: bigint;
  /**
   * The next tipping point (`nextTippingPoint`), marked on its line with the pledges it needs; null
   * or absent once pledges are closed or every line is reached.
   */
  next?: Pick<NextTippingPoint, "level" | "pledgesNeeded"> | null;
}

/**
 * The forming crowd, legible on a 360 px phone. First the crowd in one bar: who would strike now,
 * who waits for a higher count. Then one line per threshold L of the ladder: how many people accept
 * a strike of L or fewer (C(L)), against L. A line whose C(L) reaches L is self-consistent; the
 * highest such line is the tipping point, and everyone at or below it is committed. Every mark
 * carries its number; screen readers get the same data as a table. New pledges slide in, unless
 * the person asked for reduced motion (styles.css).
 */
export function Chart({ ladder, counts, tippingLevel, phase = "open", committed: bound, next: nextTip }: ChartProps) {
  const { t, intl } = useI18n();
  const closed = phase === "succeeded" || phase === "failed";
  const total = counts.reduce((a, b) => a + b, 0n);
  const previous = useRef({ total, counts });
  const [arrived, setArrived] = useState({ n: 0n, levels: [] as number[], pulse: 0 });
  useEffect(() => {
    const before = previous.current;
    if (total > before.total) {
      const levels = counts.flatMap((c, i) => (c > (before.counts[i] ?? 0n) ? [i] : []));
      setArrived((a) => ({ n: total - before.total, levels, pulse: a.pulse + 1 }));
    }
    previous.current = { total, counts };
  }, [total, counts]);

  const cumulative = cumulativeCounts(counts);
  const atOrBelow = tippingLevel > 0 ? cumulative[tippingLevel - 1] : 0n;
  const committed = bound !== undefined && bound < atOrBelow ? bound : atOrBelow;
  // at or below the tipping point but left out by their support condition
  const uncovered = atOrBelow - committed;
  const waiting = total - atOrBelow;
  const share = total === 0n ? 0 : Number((committed * 1000n) / total) / 10;
  const uncoveredShare = total === 0n ? 0 : Number((uncovered * 1000n) / total) / 10;
  // the line the next tipping point raises, -1 for none
  const next = !closed && nextTip ? nextTip.level - 1 : -1;

  return (
    <figure className="chart" aria-labelledby="chart-title">
      <figcaption id="chart-title">
        <h3>{t(closed ? "chart.titleClosed" : "chart.titleOpen")}</h3>
      </figcaption>
      <div aria-hidden="true" data-testid="chart-visual">
        <p className="crowd-total">
          {t("chart.declared", { count: Number(total) })}
          {arrived.n > 0n && (
            <span key={arrived.pulse} className="arrived-badge">
              +{t("chart.arrived", { count: Number(arrived.n) })}
            </span>
          )}
        </p>
        <div className="crowd-bar">
          <span className="fill committed" style={{ width: `${share}%` }} />
          {uncovered > 0n && <span className="fill uncovered" style={{ width: `${uncoveredShare}%` }} />}
        </div>
        <p className="crowd-legend">
          <span>
            <span className="swatch committed" />{" "}
            <span data-testid="crowd-committed">
              {t(closed ? "chart.actFinal" : "chart.actNow", { count: Number(committed) })}
            </span>
          </span>
          <span>
            <span className="swatch pending" />{" "}
            <span data-testid="crowd-waiting">
              {t(closed ? "chart.waitingFinal" : "chart.waiting", { count: Number(waiting) })}
            </span>
          </span>
          {uncovered > 0n && (
            <span>
              <span className="swatch uncovered" />{" "}
              <span data-testid="crowd-uncovered">
                {t(closed ? "chart.uncoveredFinal" : "chart.uncovered", { count: Number(uncovered) })}
              </span>
            </span>
          )}
          {next >= 0 && (
            <span>
              <span className="swatch next" /> {t("chart.nextLegend")}
            </span>
          )}
        </p>
        <ol
          className="ladder"
          style={{
            ["--thr-w" as string]: `${Math.max(...ladder.map((l) => t("chart.threshold", { count: l }).length)) + 1}ch`,
          }}
        >
          {ladder.map((l, i) => {
            const have = cumulative[i] ?? 0n;
            const inTip = i + 1 <= tippingLevel;
            // at or below the tipping point the crowd that strikes (C(j*) >= L(j*)) exceeds this threshold
            const reached = inTip || have >= BigInt(l);
            const width = reached ? 100 : Math.min(100, (Number(have) / l) * 100);
            const cls = inTip ? "committed" : i === next ? "next" : "pending";
            return (
              <li
                key={arrived.levels.includes(i) ? `${i}-${arrived.pulse}` : i}
                className={`rung ${cls}${arrived.levels.includes(i) ? " arrive" : ""}`}
                data-testid="rung"
              >
                <span className="rung-threshold">{t("chart.threshold", { count: l })}</span>
                <span className="track">
                  <span className={`fill ${cls}`} style={{ width: `${width}%` }} />
                </span>
                <span className="rung-value">
                  {t("chart.rowValue", { have: Number(have), need: l })}
                  {" · "}
                  {reached ? t("chart.rowReached") : t("chart.rowMissing", { count: l - Number(have) })}
                </span>
                {i === next && nextTip && (
                  <span className="rung-next" data-testid="rung-next">
                    {t("chart.nextMark", { count: Number(nextTip.pledgesNeeded) })}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
        <p className="small">{t("chart.explain")}</p>
      </div>
      <div className="sr-only">
        <table>
          <caption>{t("chart.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("chart.colThreshold")}</th>
              <th scope="col">{t("chart.colPledges")}</th>
              <th scope="col">{t("chart.colAccept")}</th>
              <th scope="col">{t("chart.colState")}</th>
            </tr>
          </thead>
          <tbody>
            {ladder.map((l, i) => {
              const have = cumulative[i] ?? 0n;
              return (
                <tr key={i}>
                  <th scope="row">{t("chart.threshold", { count: l })}</th>
                  <td>{intl.formatNumber(Number(counts[i] ?? 0n))}</td>
                  <td>{t("chart.rowValue", { have: Number(have), need: l })}</td>
                  <td>
                    {i + 1 <= tippingLevel || have >= BigInt(l)
                      ? t("chart.rowReached")
                      : t("chart.rowMissing", { count: l - Number(have) })}
                    {i === next && nextTip && <> · {t("chart.nextMark", { count: Number(nextTip.pledgesNeeded) })}</>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="sr-only" aria-live="polite" data-testid="arrived">
        {arrived.n > 0n ? t("chart.arrived", { count: Number(arrived.n) }) : ""}
      </p>
    </figure>
  );
}
