import { useMemo } from "react";
import { useBucketSlacks } from "../hooks/useBucketSlacks.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { conditionRows, formatCoverage } from "../lib/conditions.ts";
import { formatAmount, roundShown } from "../lib/format.ts";
import { type CampaignLive, type CampaignStatic, Phase } from "../lib/types.ts";
import { conditionValues } from "./ConditionPicker.tsx";

/** A key that changes when the tallies do (they are read again every few seconds, equal or not). */
function talliesKey(live: CampaignLive): string {
  const t = live.tallies;
  return [t.counts, t.requested, t.donated, ...(t.conditional ?? []).flatMap((c) => [c.counts, c.requested])]
    .map((xs) => xs.join(","))
    .join("|");
}

/**
 * The campaign page's support conditions (MECHANISM "Resolution with conditions"), from the chain's
 * tallies and the reference model: per condition how many pledges count now and of how many, the
 * coverage every counted request receives, and per group with a condition (a level's pledges with
 * one condition, which count or not together) whether it counts and its slack, "how much more
 * request it can take before it stops counting" (against a large request keeping a whole group out).
 */
export function ConditionsPanel({ s, live }: { s: CampaignStatic; live: CampaignLive }) {
  const { t, locale } = useI18n();
  const ladder = s.params.ladder;
  const conditions = s.params.conditions;
  const key = talliesKey(live);
  // `key` stands for live.tallies, a new object on every read even when nothing changed. The rows
  // take one resolution; the slacks, a binary search over resolutions per group, come from a worker.
  const summary = useMemo(() => conditionRows(ladder, live.tallies, conditions), [key, ladder, conditions]);
  const slacks = useBucketSlacks(ladder, live.tallies, conditions, key);
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const resolved = live.phase === Phase.Resolved;
  const open = !resolved && Date.now() / 1000 + live.chainOffset <= Number(s.params.pledgeDeadline);
  const r = summary.resolution;
  const name = (k: number) => t("conditions.name", conditionValues(conditions, k, locale));
  const buckets = summary.buckets.filter((b) => b.condition > 0);
  const slackWords = (slack: bigint) =>
    slack === 0n
      ? t("conditions.slackNone")
      : t("conditions.slack", { amount: fmt(roundShown(slack, s.token.decimals, s.token.symbol, "down")) });

  return (
    <section className="panel conditions-panel" aria-labelledby="conditions-title" data-testid="conditions-panel">
      <h2 id="conditions-title">{t("conditions.panelTitle")}</h2>
      <p className="small">{t("conditions.panelExplain")}</p>
      <p className="big" data-testid="conditions-coverage">
        {!r.succeeded
          ? t("campaign.provisionalNone")
          : r.requestedSupport === 0n
            ? t("conditions.coverageNoRequest")
            : t("conditions.coverageNow", { percent: formatCoverage(summary.conditions[0].coveredBp, locale) })}
      </p>
      <ul className="condition-rows">
        {summary.conditions.map((row) => (
          <li key={row.condition} data-testid={`condition-row-${row.condition}`}>
            <strong>{name(row.condition)}</strong>
            {" — "}
            {t(resolved ? "conditions.rowCountFinal" : "conditions.rowCount", {
              count: Number(row.count),
              pledged: Number(row.pledged),
            })}
          </li>
        ))}
      </ul>
      {buckets.length > 0 && (
        <>
          <h3>{t("conditions.bucketsTitle")}</h3>
          <ul className="buckets">
            {buckets.map((b) => (
              <li
                key={`${b.level}-${b.condition}`}
                data-testid={`bucket-${b.level}-${b.condition}`}
                data-binds={b.binds ? "yes" : "no"}
              >
                {t("conditions.bucket", {
                  name: name(b.condition),
                  threshold: ladder[b.level - 1],
                  count: Number(b.count),
                  amount: fmt(b.requested),
                })}{" "}
                {!b.binds ? (
                  <span className="muted">{t("conditions.bucketOut")}</span>
                ) : open && slacks?.[`${b.level}-${b.condition}`] !== undefined ? (
                  <span data-testid="bucket-slack">{slackWords(slacks[`${b.level}-${b.condition}`])}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
