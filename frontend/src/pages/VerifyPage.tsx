import type { Address } from "viem";
import { replay, resolve, tallies } from "../../../scripts/lib/model.ts";
import { CodeFacts } from "../components/CodeFacts.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { useApp } from "../hooks/app.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { toHistory, useCampaignEvents } from "../hooks/useCampaignEvents.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { EXPLORERS } from "../lib/config.ts";
import { formatCount } from "../lib/format.ts";

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
 * Verify: the addresses, the event log, and the result recomputed here from the events by the
 * reference model, held against what the contract says.
 */
export function VerifyPage({ address }: { address: Address }) {
  const { t, locale } = useI18n();
  const { config } = useApp();
  const { static: s, live, error } = useCampaign(address);
  const events = useCampaignEvents(address);
  if (error || events.error) return <ErrorNote error={error ?? events.error} />;
  if (!s || !live || !events.data) return <p role="status">{t("common.loading")}</p>;

  const explorer = EXPLORERS[config.chainId];
  const ladder = s.params.ladder;
  const state = replay(toHistory(events.data));
  const recomputedTallies = tallies(ladder.length, state);
  const recomputed = resolve(ladder, recomputedTallies);
  const talliesMatch =
    recomputedTallies.counts.every((c, i) => c === live.tallies.counts[i]) &&
    recomputedTallies.requested.every((c, i) => c === live.tallies.requested[i]) &&
    recomputedTallies.donated.every((c, i) => c === live.tallies.donated[i]);
  const resolutionMatch =
    live.phase !== 2 ||
    (recomputed.tippingLevel === live.tippingLevel &&
      recomputed.committed === live.committed &&
      recomputed.triggeredDonations === live.triggeredDonations &&
      recomputed.requestedSupport === live.requestedSupport);
  const match = talliesMatch && resolutionMatch;
  const shown = events.data.slice(-200).reverse();

  return (
    <article>
      <h1>{t("verify.verifyTitle")}</h1>
      <p>
        <a href={`#/c/${address}`}>{s.metadata?.title ?? t("common.untitled")}</a>
      </p>
      <section className="panel">
        <h2>{t("verify.recomputed")}</h2>
        <p className={`big ${match ? "ok" : "error"}`} data-testid="verify-result" role="status">
          {match ? `✔ ${t("verify.matches")}` : `✘ ${t("verify.mismatch")}`}
        </p>
        <p>
          {recomputed.succeeded ? t("campaign.provisional", { count: Number(recomputed.committed) }) : t("campaign.provisionalNone")}
        </p>
        <p data-testid="metadata-check">
          {s.metadataCheck === "ok" ? t("verify.metadataOk") : s.metadataCheck === "bad" ? t("verify.metadataBad") : t("verify.metadataUnknown")}
        </p>
      </section>
      <section className="panel">
        <h2>{t("verify.addresses")}</h2>
        <dl>
          <AddressLine label={t("verify.campaignAddress")} address={address} explorer={explorer} />
          <AddressLine label={t("verify.factoryAddress")} address={config.factory} explorer={explorer} />
          <AddressLine label={t("verify.organiser")} address={s.organiser} explorer={explorer} />
          {s.token.symbol !== "ETH" && <AddressLine label={t("common.token")} address={s.token.address} explorer={explorer} />}
        </dl>
      </section>
      <CodeFacts address={address} />
      <section className="panel">
        <h2>
          {t("verify.eventLog")} ({formatCount(events.data.length, locale)})
        </h2>
        <div className="table-wrap">
          <table className="events">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">event</th>
                <th scope="col">args</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={`${e.txHash}-${e.logIndex}`}>
                  <td>
                    {explorer ? (
                      <a href={`${explorer}/tx/${e.txHash}`} rel="noreferrer noopener" target="_blank">
                        {e.blockNumber.toString()}
                      </a>
                    ) : (
                      e.blockNumber.toString()
                    )}
                  </td>
                  <td>{e.name}</td>
                  <td>
                    <code>
                      {Object.entries(e.args)
                        .map(([k, v]) => `${k}=${typeof v === "bigint" ? v.toString() : String(v)}`)
                        .join(" ")}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </article>
  );
}
