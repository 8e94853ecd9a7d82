import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { participationTypedData } from "@bascule/core/participation";
import { useApp } from "../hooks/app.tsx";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatDateTime } from "../lib/format.ts";
import { AccountName } from "./AccountName.tsx";
import { ErrorNote } from "./ErrorNote.tsx";
import { WalletButton } from "./WalletButton.tsx";

/**
 * The check-in's last step (issue 19, item 9): the organiser's wallet signs the list of pledge keys
 * checked in (no transaction) and the page sends it to the relayer, which keeps it for the keeper,
 * the campaign's participation oracle, to publish from the action day
 * (packages/core/src/participation.ts). Says what the service holds and when the set is published.
 */
export function PublishPanel(p: {
  campaign: Address;
  organiser: Address;
  organiserName?: string | null;
  /** The root published on chain, if any (zero bytes: not yet). */
  published: boolean;
  pledgeKeys: readonly Address[];
}) {
  const { t, locale } = useI18n();
  const { config, relayer } = useApp();
  const wallet = useWalletWrite();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const kept = useQuery({
    queryKey: ["participation-kept", p.campaign],
    queryFn: () => relayer.keptParticipation(p.campaign),
    enabled: !!config.relayerUrl,
  });
  const isOrganiser = wallet.address?.toLowerCase() === p.organiser.toLowerCase();

  async function send() {
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const issuedAt = Math.floor(Date.now() / 1000);
      const typed = participationTypedData({
        chainId: config.chainId,
        campaign: p.campaign,
        keys: p.pledgeKeys,
        issuedAt,
      });
      const signature = await wallet.signTyped(typed);
      const answer = await relayer.sendParticipation(p.campaign, {
        pledgeKeys: [...p.pledgeKeys],
        issuedAt,
        signature,
      });
      setSent(answer.count);
      await queryClient.invalidateQueries({ queryKey: ["participation-kept", p.campaign] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (p.published)
    return (
      <section className="panel" data-testid="publish-panel">
        <p className="ok" role="status" data-testid="publish-done">
          {t("officer.published")}
        </p>
      </section>
    );
  return (
    <section className="panel" aria-labelledby="publish-title" data-testid="publish-panel">
      <h2 id="publish-title">{t("officer.send")}</h2>
      {!config.relayerUrl ? (
        <p className="warning">{t("officer.noRelayer")}</p>
      ) : (
        <>
          <p className="small">{t("officer.sendHelp")}</p>
          {kept.data && (
            <p className="note" data-testid="publish-kept">
              {t("officer.kept", { count: kept.data.count, when: formatDateTime(kept.data.issuedAt, locale) })}
            </p>
          )}
          {!wallet.isConnected ? (
            <WalletButton />
          ) : !isOrganiser ? (
            <p className="warning" data-testid="publish-not-organiser">
              {t("officer.notOrganiser", { name: p.organiserName || t("officer.organiser") })}{" "}
              <AccountName address={p.organiser} name={p.organiserName} />
            </p>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void send()}
              data-testid="publish-send"
            >
              {busy ? t("officer.sending") : t("officer.send")}
            </button>
          )}
          {sent !== null && (
            <p className="ok" role="status" data-testid="publish-sent">
              {t("officer.sent", { count: sent })}
            </p>
          )}
          <ErrorNote error={error} />
        </>
      )}
    </section>
  );
}
