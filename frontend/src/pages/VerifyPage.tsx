import type { Address } from "viem";
import { replay, resolve, tallies } from "../../../scripts/lib/model.ts";
import { CodeFacts } from "../components/CodeFacts.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { useApp } from "../hooks/app.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { toHistory, useCampaignEvents } from "../hooks/useCampaignEvents.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { EXPLORERS } from "../lib/config.ts";
import { formatAmount } from "../lib/format.ts";
import { useState } from "react";
import { GateNote } from "../components/GateNote.tsx";

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
  const donated = recomputedTallies.donated.reduce((x, y) => x + y, 0n);
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);

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
        <h3>{t("verify.totals")}</h3>
        <ul data-testid="verify-totals">
          <li>{t("verify.totalPledges", { count: Number(recomputedTallies.counts.reduce((x, y) => x + y, 0n)) })}</li>
          <li>{recomputed.succeeded ? t("campaign.provisional", { count: Number(recomputed.committed) }) : t("campaign.provisionalNone")}</li>
          <li>{t("verify.totalDonations", { amount: fmt(donated) })}</li>
          <li>{t("verify.totalRequested", { amount: fmt(recomputed.requestedSupport) })}</li>
        </ul>
        <p data-testid="metadata-check">
          {s.metadataCheck === "ok" ? t("verify.metadataOk") : s.metadataCheck === "bad" ? t("verify.metadataBad") : t("verify.metadataUnknown")}
        </p>
      </section>
      <GateNote s={s} />
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
      <EventLog events={events.data} explorer={explorer} />
    </article>
  );
}

const PAGE = 50;

/** The event log, collapsed, newest first, 50 a page. */
function EventLog({ events, explorer }: { events: ReturnType<typeof useCampaignEvents>["data"] & object; explorer?: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(0);
  const newest = [...events].reverse();
  const pages = Math.max(1, Math.ceil(newest.length / PAGE));
  const shown = newest.slice(page * PAGE, (page + 1) * PAGE);
  return (
    <details className="panel" data-testid="event-log">
      <summary>{t("verify.showLog", { count: events.length })}</summary>
      {newest.length > 0 && (
        <p className="small" aria-live="polite">
          {t("verify.page", { from: page * PAGE + 1, to: page * PAGE + shown.length, total: newest.length })}
        </p>
      )}
      <div className="table-wrap">
        <table className="events">
          <thead>
            <tr>
              <th scope="col">{t("verify.colBlock")}</th>
              <th scope="col">{t("verify.colEvent")}</th>
              <th scope="col">{t("verify.colArgs")}</th>
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
      {pages > 1 && (
        <div className="row">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="log-newer">
            {t("verify.newer")}
          </button>
          <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} data-testid="log-older">
            {t("verify.older")}
          </button>
        </div>
      )}
    </details>
  );
}
