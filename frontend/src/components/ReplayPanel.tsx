import type { HistoryEvent } from "@bascule/core/model";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { useReplay } from "../hooks/useReplay.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatCount } from "../lib/format.ts";

function describe(e: HistoryEvent): string {
  switch (e.kind) {
    case "Pledged":
    case "PledgeChanged":
      return `pledgeKey=${e.pledgeKey} level=${e.level} support=${e.support.toString()} condition=${e.condition ?? 0}`;
    case "PledgeWithdrawn":
      return `pledgeKey=${e.pledgeKey}`;
    case "Donated":
      return `donationId=${e.donationId.toString()} donor=${e.donor} level=${e.level} amount=${e.amount.toString()}`;
    case "DonationWithdrawn":
      return `donationId=${e.donationId.toString()}`;
  }
}

/**
 * The full replay of the campaign's event log, in a Web Worker: progress bar, stop, verdict, and
 * the latest events. A verdict is shown only for a complete replay.
 */
export function ReplayPanel({ s, live, explorer }: { s: CampaignStatic; live: CampaignLive; explorer?: string }) {
  const { locale, t } = useI18n();
  const n = (v: bigint | number) => formatCount(v, locale);
  const version = [...live.tallies.counts, ...live.tallies.requested, ...live.tallies.donated].join(",");
  const conditional = (live.tallies.conditional ?? []).flatMap((c) => [...c.counts, ...c.requested]);
  const replay = useReplay(
    s.address,
    s.createdAt,
    s.params.ladder.length,
    [version, ...conditional].join(","),
    s.params.conditions.length,
  );
  const { progress, result, error, status } = replay;
  const fieldName = {
    counts: t("replay.fieldCounts"),
    requested: t("replay.fieldRequested"),
    donated: t("replay.fieldDonated"),
    conditional: t("replay.fieldConditional"),
  };
  return (
    <section className="panel" data-testid="replay-panel" aria-busy={status === "running"}>
      <h2>{t("replay.title")}</h2>
      <p>{t("replay.explain")}</p>
      {status === "running" && (
        <div data-testid="replay-progress">
          <progress max={1} value={replay.fraction} aria-label={t("replay.progressLabel")} />{" "}
          <span role="status">
            {progress
              ? t("replay.running", {
                  block: Number(progress.block),
                  toBlock: Number(progress.toBlock),
                  events: progress.events,
                })
              : t("replay.starting")}
          </span>{" "}
          <button type="button" onClick={replay.cancel} data-testid="replay-cancel">
            {t("replay.cancel")}
          </button>
        </div>
      )}
      {status === "done" && result && (
        <p
          className={`big ${result.match ? "ok" : "error"}`}
          data-testid="verify-result"
          data-state={result.match ? "match" : "mismatch"}
          role="status"
        >
          {result.match
            ? `✔ ${t("replay.match", { events: result.events, block: Number(result.block) })}`
            : !result.historyMatches
              ? `✘ ${t("replay.historyMismatch", {
                  block: Number(result.block),
                  expected: Number(result.onChainHistory.count),
                  seen: Number(result.replayedHistory.count),
                  missing: Math.max(0, Number(result.onChainHistory.count - result.replayedHistory.count)),
                })}`
              : `✘ ${t("replay.mismatch", {
                  level: result.difference?.level ?? 0,
                  field: fieldName[result.difference?.field ?? "counts"],
                  left: n(result.difference?.left ?? 0n),
                  right: n(result.difference?.right ?? 0n),
                })}`}
        </p>
      )}
      {status === "done" && result && (
        <p data-testid="replay-cost">
          {t("replay.cost", {
            seconds: (result.ms / 1000).toLocaleString(locale, { maximumFractionDigits: 1 }),
            pages: result.pages,
          })}
        </p>
      )}
      {status === "cancelled" && (
        <p role="status" data-testid="verify-result" data-state="cancelled">
          {t("replay.cancelled")}
        </p>
      )}
      {status === "error" && error && (
        <p className="error" role="alert" data-testid="verify-result" data-state="error">
          {error.code === "RPC_INCONSISTENT" ? t("replay.inconsistent") : t("replay.failed", { code: error.code })}{" "}
          <small className="detail">{error.message}</small>
        </p>
      )}
      {(status === "done" || status === "cancelled" || status === "error") && (
        <button type="button" onClick={replay.restart} data-testid="replay-restart">
          {t("replay.restart")}
        </button>
      )}
      {result && result.recent.length > 0 && (
        <details data-testid="replay-recent">
          <summary>{t("replay.recent")}</summary>
          <div className="table-wrap">
            <table className="events">
              <thead>
                <tr>
                  <th scope="col">{t("replay.colBlock")}</th>
                  <th scope="col">{t("replay.colEvent")}</th>
                  <th scope="col">{t("replay.colArgs")}</th>
                </tr>
              </thead>
              <tbody>
                {[...result.recent].reverse().map((e) => (
                  <tr key={`${e.blockNumber}-${e.logIndex}`}>
                    <td>
                      {explorer && e.txHash ? (
                        <a href={`${explorer}/tx/${e.txHash}`} rel="noreferrer noopener" target="_blank">
                          {e.blockNumber.toString()}
                        </a>
                      ) : (
                        e.blockNumber.toString()
                      )}
                    </td>
                    <td>{e.event.kind}</td>
                    <td>
                      <code>{describe(e.event)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}
