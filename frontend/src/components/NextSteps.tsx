import { type Resolution } from "@bascule/core/model";
import { zeroAddress } from "viem";
import { useI18n } from "../i18n/i18n.tsx";
import { formatDate, formatDateTime } from "../lib/format.ts";
import type { CampaignPhase, CampaignStatic } from "../lib/types.ts";

/**
 * Once pledges are closed, what happens next, from the campaign's parameters and description: where
 * and when the action is, whether there is a check-in, how support is paid (and by which payout
 * desks), and what donors do. Nothing to act on that no longer applies: the pledge form, the
 * donation form and the poster's "scan to pledge" are gone by then.
 */
export function NextSteps({
  s,
  phase,
  result,
  claimEnd,
  oracleEnd,
}: {
  s: CampaignStatic;
  phase: CampaignPhase;
  result: Pick<Resolution, "succeeded" | "committed" | "paid">;
  claimEnd: bigint;
  oracleEnd: bigint;
}) {
  const { t, locale } = useI18n();
  if (phase === "open") return null;
  const date = formatDate(s.params.actionDate, locale);
  const place = s.metadata?.place || "none";
  const hasOracle = s.params.oracle !== zeroAddress;
  const desks = (s.union.payoutDesks ?? []).map((d) => d.name);
  const steps: [string, string][] = [];
  if (phase === "failed") {
    steps.push(["next-action", t("campaign.nextFailed", { date })]);
    steps.push(["next-donors", t("campaign.nextDonorsRefund")]);
  } else {
    const key = phase === "awaiting" ? "campaign.nextActionAwaiting" : "campaign.nextAction";
    steps.push(["next-action", t(key, { date, place, count: Number(result.committed) })]);
    if (hasOracle) steps.push(["next-checkin", t("campaign.nextCheckin", { date })]);
    if (phase === "succeeded" && result.paid > 0n) {
      steps.push([
        "next-support",
        t(hasOracle ? "campaign.nextSupportOracle" : "campaign.nextSupport", {
          oracleEnd: formatDateTime(oracleEnd, locale),
          claimEnd: formatDateTime(claimEnd, locale),
        }),
      ]);
      if (desks.length > 0) steps.push(["next-desks", t("campaign.nextDesks", { desks: desks.join(", ") })]);
    } else if (phase === "succeeded") {
      steps.push(["next-support", t("campaign.nextNoSupport")]);
    }
    if (phase === "succeeded") steps.push(["next-donors", t("campaign.nextDonorsSurplus")]);
  }
  return (
    <section className="panel" aria-labelledby="next-steps-title" data-testid="next-steps">
      <h2 id="next-steps-title">{t("campaign.nextTitle")}</h2>
      <ul>
        {steps.map(([id, text]) => (
          <li key={id} data-testid={id}>
            {text}
          </li>
        ))}
      </ul>
    </section>
  );
}
