import type { Address } from "viem";
import { resolve } from "@bascule/core/model";
import { CodeFacts } from "../components/CodeFacts.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { ReplayPanel } from "../components/ReplayPanel.tsx";
import { useApp } from "../hooks/app.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { EXPLORERS } from "../lib/config.ts";
import { formatAmount } from "../lib/format.ts";
import { GateNote } from "../components/GateNote.tsx";
import { campaignPath, href } from "@bascule/core/routes";
import { Phase } from "../lib/types.ts";

function AddressLine({ label, address, explorer }: { label: string; address: string; explorer?: string }) {
  const { t } = useI18n();
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <code>{address}</code>
        {explorer && (
          <>
            {" "}
            <a href={`${explorer}/address/${address}`} rel="noreferrer noopener" target="_blank">
              {t("common.explorer")}
            </a>
          </>
        )}
      </dd>
    </div>
  );
}

/**
 * Verify: at once, the result checked from the contract's own per-level tallies by the reference
 * model (any size); then the full replay of the event log in a Web Worker (ReplayPanel), held
 * against the contract's tallies at the same block; the addresses.
 */
export function VerifyPage({ address }: { address: Address }) {
  const { t, locale } = useI18n();
  const { config } = useApp();
  const { static: s, live, error } = useCampaign(address);
  if (error) return <ErrorNote error={error} />;
  if (!s || !live) return <p role="status">{t("common.loading")}</p>;

  const explorer = EXPLORERS[config.chainId];
  const model = resolve(s.params.ladder, live.tallies, s.params.conditions);
  const resolved = live.phase === Phase.Resolved;
  const resultMatch =
    !resolved ||
    (model.tippingLevel === live.tippingLevel &&
      model.committed === live.committed &&
      model.triggeredDonations === live.triggeredDonations &&
      model.requestedSupport === live.requestedSupport &&
      model.boundCondition === live.boundCondition &&
      model.boundConditionLevel === live.boundConditionLevel);
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const sum = (xs: readonly bigint[]) => xs.reduce((x, y) => x + y, 0n);

  return (
    <article>
      <h1>{t("verify.verifyTitle")}</h1>
      <p>
        <a href={href(campaignPath(address))}>{s.metadata?.title ?? t("common.untitled")}</a>
      </p>
      <section className="panel">
        <h2>{t("replay.tallyTitle")}</h2>
        <p
          className={`big ${resultMatch ? "ok" : "error"}`}
          data-testid="tally-verdict"
          data-state={resultMatch ? "match" : "mismatch"}
        >
          {resultMatch
            ? `✔ ${resolved ? t("replay.tallyOk") : t("replay.tallyProvisional")}`
            : `✘ ${t("replay.tallyBad")}`}
        </p>
        <p>
          {model.succeeded
            ? t("campaign.provisional", { count: Number(model.committed) })
            : t("campaign.provisionalNone")}
        </p>
        <h3>{t("verify.totals")}</h3>
        <ul data-testid="verify-totals">
          <li>{t("verify.totalPledges", { count: Number(sum(live.tallies.counts)) })}</li>
          {/* Only what the result releases goes to the strikers; the rest goes back to the donors. */}
          <li data-testid="verify-released">
            {t(resolved ? "verify.totalDonations" : "verify.totalDonationsProvisional", {
              amount: fmt(model.triggeredDonations),
            })}
          </li>
          <li data-testid="verify-refundable">
            {t("verify.totalRefundable", { amount: fmt(sum(live.tallies.donated) - model.triggeredDonations) })}
          </li>
          <li>{t("verify.totalRequested", { amount: fmt(model.requestedSupport) })}</li>
        </ul>
        <p data-testid="metadata-check">
          {s.metadataCheck === "ok"
            ? t("verify.metadataOk")
            : s.metadataCheck === "bad"
              ? t("verify.metadataBad")
              : t("verify.metadataUnknown")}
        </p>
      </section>
      <GateNote s={s} />
      <ReplayPanel s={s} live={live} explorer={explorer} />
      <section className="panel">
        <h2>{t("verify.addresses")}</h2>
        <dl>
          <AddressLine label={t("verify.campaignAddress")} address={address} explorer={explorer} />
          <AddressLine label={t("verify.factoryAddress")} address={config.factory} explorer={explorer} />
          <AddressLine label={t("verify.organiser")} address={s.organiser} explorer={explorer} />
          {s.token.symbol !== "ETH" && (
            <AddressLine label={t("common.token")} address={s.token.address} explorer={explorer} />
          )}
        </dl>
      </section>
      <CodeFacts address={address} token={s.token} />
    </article>
  );
}
