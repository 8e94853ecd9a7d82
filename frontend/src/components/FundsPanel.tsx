import { zeroAddress, zeroHash } from "viem";
import type { Resolution } from "@bascule/core/model";
import { campaignPhase, chainNow } from "../lib/campaign.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatAmount, formatRatio, isEuroToken } from "../lib/format.ts";

/**
 * The strike fund in plain words and the token's own unit, following the phase: while open, what
 * would be released if the strike happened now; once succeeded, what was released, asked, paid and
 * still held for the donors; where nobody asked for support, that the donations go back; once
 * failed, that every donation goes back.
 */
export function FundsPanel({ s, live, result }: { s: CampaignStatic; live: CampaignLive; result: Resolution }) {
  const { t, locale } = useI18n();
  const phase = campaignPhase(s, live);
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const coverage = formatRatio(result.paid, result.requestedSupport, locale);
  // What is still held for the donors (MECHANISM "Surplus", "Unclaimed support"): the escrow less the
  // support still owed to strikers, all of it once claims are closed. It falls as donors take theirs.
  const now = chainNow(live);
  const claimsClosed =
    now > Number(live.claimEnd) ||
    (s.params.oracle !== zeroAddress && now > Number(live.oracleEnd) && live.participationRoot === zeroHash);
  const owed = claimsClosed || live.claimedTotal >= result.paid ? 0n : result.paid - live.claimedTotal;
  const forDonors = live.balance > owed ? live.balance - owed : 0n;
  const noSupportAsked = phase === "succeeded" && result.requestedSupport === 0n;
  let rows: [string, string, string][];
  if (noSupportAsked) {
    rows = [
      ["surplus", t("funds.surplus"), fmt(forDonors)],
      ["escrowed", t("funds.escrowed"), fmt(live.balance)],
    ];
  } else if (phase === "succeeded") {
    rows = [
      ["triggered", t("funds.triggered"), fmt(result.triggeredDonations)],
      ["requested", t("funds.requested"), fmt(result.requestedSupport)],
      ["coverage", t("funds.coverage"), coverage],
      ["claimed", t("funds.claimed"), fmt(live.claimedTotal)],
      ["surplus", t("funds.surplus"), fmt(forDonors)],
      ["escrowed", t("funds.escrowed"), fmt(live.balance)],
    ];
  } else if (phase === "failed") {
    rows = [["escrowed", t("funds.escrowed"), fmt(live.balance)]];
  } else {
    rows = [
      ["escrowed", t("funds.escrowed"), fmt(live.balance)],
      ["triggered", t("funds.triggeredOpen"), fmt(result.triggeredDonations)],
      ["requested", t("funds.requestedOpen"), fmt(result.requestedSupport)],
      ["coverage", t("funds.coverageOpen"), coverage],
    ];
  }
  return (
    <section className="panel" aria-labelledby="funds-title">
      <h2 id="funds-title">{t("funds.title")}</h2>
      {phase === "failed" && <p data-testid="funds-failed">{t("funds.failed", { amount: fmt(live.balance) })}</p>}
      {noSupportAsked && <p data-testid="funds-no-support">{t("funds.noSupportAsked")}</p>}
      <dl className="funds">
        {rows.map(([id, label, value]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={`funds-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="small">
        {t("funds.unit", { symbol: s.token.symbol, euro: isEuroToken(s.token.symbol) ? "yes" : "no" })}
      </p>
    </section>
  );
}
