import { useState } from "react";
import { type Hex, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signPledge } from "../../../scripts/lib/signing.ts";
import { campaignAbi } from "../generated.ts";
import { useApp } from "../hooks/app.tsx";
import type { CampaignStatic } from "../hooks/useCampaign.ts";
import { usePow } from "../hooks/usePow.ts";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { RelayerDownError } from "../lib/errors.ts";
import { receiptLink } from "../lib/receipt.ts";
import { navigate } from "../router.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { PowProgress } from "./PowProgress.tsx";
import { ReceiptCard } from "./ReceiptCard.tsx";
import { WalletButton } from "./WalletButton.tsx";

/**
 * A pledge without a wallet: a fresh pledge key made here, the receipt shown before anything is
 * sent, then the pledge signed by that key and handed to the relayer (or, if it is down, to the
 * person's wallet, which pays the gas).
 */
export function PledgeFlow({ s, level, support, onCancel }: { s: CampaignStatic; level: number; support: bigint; onCancel: () => void }) {
  const { t } = useI18n();
  const { config, relayer } = useApp();
  const wallet = useWalletWrite();
  const [key] = useState<Hex>(() => generatePrivateKey());
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState<"" | "sending" | "queued">("");
  const [error, setError] = useState<unknown>(null);
  const [fallback, setFallback] = useState(false);
  const pow = usePow();
  const receipt = { chainId: config.chainId, campaign: s.address, key };
  const link = receiptLink(window.location.href.split("#")[0], receipt);
  const route = `/r/${receipt.chainId}/${receipt.campaign}/${receipt.key}`;

  const sign = () =>
    signPledge(privateKeyToAccount(key), s.address, config.chainId, { level, support, nonce: 0 });

  async function submit() {
    setError(null);
    setBusy("sending");
    try {
      const signed = await sign();
      // An open campaign's relayer asks a proof of work on a key's first pledge (solved in a worker).
      let powNonce: number | undefined;
      if (s.params.attester === zeroAddress) {
        const { pow: asked } = await relayer.status();
        if (asked.bits > 0) {
          const pledgeKey = privateKeyToAccount(key).address;
          powNonce = await pow.solve({ chainId: config.chainId, campaign: s.address, pledgeKey, bits: asked.bits });
        }
      }
      const accepted = await relayer.pledge(s.address, signed, powNonce);
      setBusy("queued");
      await relayer.wait(accepted.id);
      navigate(route);
    } catch (e) {
      if (e instanceof RelayerDownError) setFallback(true);
      setError(e);
      setBusy("");
    }
  }

  async function submitWithWallet() {
    setError(null);
    setBusy("sending");
    try {
      const signed = await sign();
      await wallet.write({ address: s.address, abi: campaignAbi, functionName: "pledge", args: [signed] });
      navigate(route);
    } catch (e) {
      setError(e);
      setBusy("");
    }
  }

  return (
    <div className="pledge-flow">
      <ReceiptCard receipt={receipt} link={link} />
      <label className="check">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="saved-confirm" />
        {t("receipt.savedConfirm")}
      </label>
      <div className="row">
        <button type="button" className="primary" disabled={!saved || busy !== ""} onClick={() => void submit()} data-testid="submit-pledge">
          {busy === "" ? t("receipt.submitPledge") : t("receipt.submitting")}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          {t("common.back")}
        </button>
      </div>
      <PowProgress progress={pow.progress} />
      {busy === "queued" && <p role="status">{t("receipt.queued")}</p>}
      <ErrorNote error={error} />
      {fallback && (
        <div className="panel">
          <p>{t("receipt.viaWallet")}</p>
          {wallet.isConnected ? (
            <button type="button" disabled={!saved || busy !== ""} onClick={() => void submitWithWallet()} data-testid="submit-wallet">
              {t("receipt.submitPledge")}
            </button>
          ) : (
            <WalletButton />
          )}
        </div>
      )}
    </div>
  );
}
