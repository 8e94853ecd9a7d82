import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { encodePledge, signPledge } from "@bascule/core/signing";
import { campaignAbi } from "@bascule/core/generated/abis";
import { useApp } from "../hooks/app.tsx";
import type { CampaignStatic } from "../lib/types.ts";
import { useUnion } from "../hooks/useUnion.ts";
import { relayerMayHaveIt, useRelayPledge } from "../hooks/useRelayPledge.ts";
import { signedTerms } from "../hooks/usePledge.ts";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { messages } from "../i18n/index.ts";
import { AppError, RelayerDownError, RelayerError } from "../lib/errors.ts";
import { receiptLink } from "../lib/receipt.ts";
import { VoucherCheckError, fetchBlindVoucher } from "../lib/union.ts";
import { keepReceipt } from "../lib/receiptStore.ts";
import { navigate } from "../router.ts";
import { keptReceiptPath } from "@bascule/core/routes";
import { ErrorNote } from "./ErrorNote.tsx";
import { PowProgress } from "./PowProgress.tsx";
import { ReceiptCard } from "./ReceiptCard.tsx";
import { WalletButton } from "./WalletButton.tsx";

/** A refusal shown in the reader's language (same shape as a service's FR/EN error). */
const localized = (id: "union.noAttester" | "union.inviteMissing" | "union.voucherBad" | "union.lookAlike") =>
  new RelayerError(id, { en: messages.en[id], fr: messages.fr[id] }, 0);

/** How long the page waits for a pledge the relayer took before it says so and offers the wallet. */
export const RECORD_WAIT_MS = 30_000;

/**
 * A pledge without a wallet: a fresh pledge key made here, the receipt shown before anything is
 * sent, then the pledge signed by that key and handed to the relayer (or, if it is down, to the
 * person's wallet, which pays the gas).
 */
export function PledgeFlow({
  s,
  level,
  support,
  condition,
  inviteCode,
  onCancel,
}: {
  s: CampaignStatic;
  level: number;
  support: bigint;
  /** The coverage condition k (0: none), kept only with a support request. */
  condition: number;
  /** From an invite card's link, for a campaign gated by blind vouchers. */
  inviteCode?: string;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { config, client } = useApp();
  const wallet = useWalletWrite();
  const [key] = useState<Hex>(() => generatePrivateKey());
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState<"" | "sending" | "queued">("");
  const [error, setError] = useState<unknown>(null);
  const [fallback, setFallback] = useState(false);
  // Set when the pledge may have reached the chain although the relayer's answer did not reach us:
  // the key's record is then read until it shows, and the receipt page opened.
  const [watching, setWatching] = useState<null | "accepted" | "unknown">(null);
  const { relay, powProgress } = useRelayPledge(s);
  const pledgeKey = privateKeyToAccount(key).address;
  const recorded = useQuery({
    queryKey: ["first-pledge", s.address, pledgeKey],
    enabled: watching !== null,
    refetchInterval: 1500,
    queryFn: async () => {
      const r = await client.readContract({
        address: s.address,
        abi: campaignAbi,
        functionName: "pledgeOf",
        args: [pledgeKey],
      });
      return r.nonce > 0;
    },
  });
  const receipt = { chainId: config.chainId, campaign: s.address, key };
  const link = receiptLink(window.location.href.split("#")[0], receipt);
  // Kept on this device from the start; the receipt page's address is then an opaque local id.
  const [localId] = useState(() => keepReceipt(receipt, support));
  const route = keptReceiptPath(localId);
  const queryClient = useQueryClient();
  /**
   * Opens the receipt page once the pledge is recorded, with the campaign read again first: else the
   * page would show the new record against the tallies from before it (a wrong standing, for a moment).
   */
  const openReceipt = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ["campaign-live", s.address] });
    navigate(route);
  }, [queryClient, s.address, route]);
  useEffect(() => {
    if (recorded.data) void openReceipt();
  }, [recorded.data, openReceipt]);
  // Taken by the relayer but still not seen on the chain: say so, and offer the wallet.
  useEffect(() => {
    if (watching !== "accepted") return;
    const timer = setTimeout(() => {
      setError(new AppError("pledgeNotSeen"));
      setFallback(true);
    }, RECORD_WAIT_MS);
    return () => clearTimeout(timer);
  }, [watching]);

  const union = useUnion(s);
  const blindGate = union.data?.key ?? null;
  // The union's verifier, but bound to another campaign: a code spent here would be lost for the real one.
  const lookAlike = union.data?.gate.kind === "look-alike";
  const [code, setCode] = useState(inviteCode ?? "");
  // Kept once obtained: a retry after a relayer failure must not spend another invite code.
  const [voucher, setVoucher] = useState<Hex | null>(null);
  const [gettingVoucher, setGettingVoucher] = useState(false);

  /** The union's blind voucher for this pledge key (blinded here: the union never sees the key). */
  async function blindVoucher(): Promise<Hex> {
    // Checked before the attester is contacted: the binding is read from the chain (useUnion).
    if (lookAlike) throw localized("union.lookAlike");
    if (!blindGate) return "0x";
    if (voucher) return voucher;
    if (!union.data?.attesterUrl) throw localized("union.noAttester");
    if (code.trim() === "") throw localized("union.inviteMissing");
    setGettingVoucher(true);
    try {
      const v = await fetchBlindVoucher({
        attesterUrl: union.data.attesterUrl,
        keyId: blindGate.keyId,
        key: blindGate,
        campaign: s.address,
        chainId: config.chainId,
        pledgeKey: privateKeyToAccount(key).address,
        code: code.trim(),
      });
      setVoucher(v);
      return v;
    } catch (e) {
      if (e instanceof VoucherCheckError) throw localized("union.voucherBad");
      throw e;
    } finally {
      setGettingVoucher(false);
    }
  }

  const sign = async () =>
    signPledge(
      privateKeyToAccount(key),
      s.address,
      config.chainId,
      { ...signedTerms({ level, support, condition }), nonce: 0 },
      await blindVoucher(),
    );

  async function submit() {
    setError(null);
    setFallback(false);
    setWatching(null);
    setBusy("sending");
    let accepted = false;
    try {
      const signed = await sign();
      await relay(signed, pledgeKey, () => {
        accepted = true;
        setBusy("queued");
      });
      await openReceipt();
    } catch (e) {
      const maybe = relayerMayHaveIt(e, accepted);
      setWatching(maybe);
      setBusy("");
      // Taken by the relayer: not a failure; the chain tells (and the page says so if it never does).
      if (maybe === "accepted") return;
      if (e instanceof RelayerDownError) setFallback(true);
      setError(e);
    }
  }

  async function submitWithWallet() {
    setError(null);
    setBusy("sending");
    try {
      const signed = await sign();
      await wallet.write({
        address: s.address,
        abi: campaignAbi,
        functionName: "pledge",
        args: [encodePledge(signed)],
      });
      await openReceipt();
    } catch (e) {
      // The relayer may have recorded it first (the wallet's copy then fails): the chain tells.
      setWatching((w) => w ?? "unknown");
      setError(e);
      setBusy("");
    }
  }

  return (
    <div className="pledge-flow">
      <ReceiptCard receipt={receipt} link={link} />
      {lookAlike && (
        <div className="panel" data-testid="invite-panel">
          <h3>{t("union.inviteTitle")}</h3>
          <p role="alert" className="warning" data-testid="invite-look-alike">
            {t("union.lookAlike")}
          </p>
        </div>
      )}
      {blindGate && (
        <div className="panel" data-testid="invite-panel">
          <h3>{t("union.inviteTitle")}</h3>
          <p className="small">{t("union.inviteHelp")}</p>
          {!union.data?.attesterUrl && <p role="alert">{t("union.noAttester")}</p>}
          <div className="field">
            <label htmlFor="invite-code">{t("union.inviteLabel")}</label>
            <input
              id="invite-code"
              className="code-input"
              data-testid="invite-code-input"
              autoComplete="off"
              autoCapitalize="characters"
              value={code}
              disabled={voucher !== null}
              onChange={(e) => setCode(e.target.value)}
            />
          </div>
          {gettingVoucher && <p role="status">{t("union.gettingVoucher")}</p>}
        </div>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={saved}
          onChange={(e) => setSaved(e.target.checked)}
          data-testid="saved-confirm"
        />
        {t("receipt.savedConfirm")}
      </label>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!saved || busy !== ""}
          onClick={() => void submit()}
          data-testid="submit-pledge"
        >
          {busy === "" ? t("receipt.submitPledge") : t("receipt.submitting")}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          {t("common.back")}
        </button>
      </div>
      <PowProgress progress={powProgress} />
      {busy === "queued" && <p role="status">{t("receipt.queued")}</p>}
      {watching === "accepted" && !error && (
        <p role="status" data-testid="pledge-checking">
          {t("receipt.checkingChain")}
        </p>
      )}
      <ErrorNote error={error} />
      {fallback && (
        <div className="panel">
          <p>{t("receipt.viaWallet")}</p>
          {wallet.isConnected ? (
            <button
              type="button"
              disabled={!saved || busy !== ""}
              onClick={() => void submitWithWallet()}
              data-testid="submit-wallet"
            >
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
