import type { Resolution } from "../../../scripts/lib/model.ts";
import type { CampaignLive, CampaignStatic } from "../hooks/useCampaign.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatAmount, formatRatio } from "../lib/format.ts";

/** Escrowed, triggered, requested, coverage and surplus, provisional until resolution. */
export function FundsPanel({ s, live, result }: { s: CampaignStatic; live: CampaignLive; result: Resolution }) {
  const { t, locale } = useI18n();
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const rows: [string, string, string][] = [
    ["escrowed", t("funds.escrowed"), fmt(live.balance)],
    ["triggered", t("funds.triggered"), fmt(result.triggeredDonations)],
    ["requested", t("funds.requested"), fmt(result.requestedSupport)],
    ["coverage", t("funds.coverage"), formatRatio(result.triggeredDonations, result.requestedSupport, locale)],
    ["surplus", t("funds.surplus"), fmt(result.triggeredDonations - result.paid)],
  ];
  if (live.phase === 2) rows.push(["claimed", t("funds.claimed"), fmt(live.claimedTotal)]);
  return (
    <section className="panel" aria-labelledby="funds-title">
      <h2 id="funds-title">{t("funds.fundsTitle")}</h2>
      <dl className="funds">
        {rows.map(([id, label, value]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={`funds-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
