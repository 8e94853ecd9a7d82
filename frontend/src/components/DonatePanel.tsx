import { useState } from "react";
import { type Address, type Hex, zeroAddress } from "viem";
import { finalLockActive } from "@bascule/core/model";
import { useDonate, useMyDonations } from "../hooks/useDonations.ts";
import { useWalletBalance } from "../hooks/useWalletBalance.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { campaignPhase, chainNow } from "../lib/campaign.ts";
import { formatAmount, parseAmount, roundShown } from "../lib/format.ts";
import { Phase, type CampaignLive, type CampaignStatic } from "../lib/types.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { DonateGateWarning } from "./GateNote.tsx";
import { LevelSelect } from "./LevelSelect.tsx";
import { TxLink } from "./TxLink.tsx";
import { WalletButton } from "./WalletButton.tsx";

/** Donate with a wallet (ETH, or the campaign's token with an EIP-2612 permit), and my donations. */
export function DonatePanel({ s, live }: { s: CampaignStatic; live: CampaignLive }) {
  const { t, locale } = useI18n();
  const wallet = useDonate(s, live);
  const balance = useWalletBalance(s.token.address, wallet.address);
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const ladder = s.params.ladder;
  // Nothing preselected: a donor chooses the number their donation waits for, as a striker does.
  const [level, setLevel] = useState(0);
  const [amountText, setAmountText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [lastTx, setLastTx] = useState<Hex | undefined>();
  const open = campaignPhase(s, live) === "open";
  const amount = parseAmount(amountText, s.token.decimals);
  // Refused here before the wallet opens: more than the wallet holds (for ETH the network fee comes on top).
  const aboveBalance = !!amount && balance.data !== undefined && amount > balance.data;

  async function donate() {
    if (level === 0 || !amount || amount === 0n || aboveBalance) return;
    setError(null);
    setBusy(true);
    try {
      setLastTx(await wallet.donate(level, amount));
      setAmountText("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="donate-title">
      {/* Once pledges are closed nobody can give: no invitation to, only what comes back to donors. */}
      <h2 id="donate-title">{t(open ? "donate.donateTitle" : "donate.closedTitle")}</h2>
      <p data-testid="donate-explain">{t(open ? "donate.donateExplain" : "donate.closedExplain")}</p>
      {/* Before any wallet is connected or anything signed: a gate that may accept anyone, or a look-alike. */}
      {open && <DonateGateWarning s={s} />}
      {!wallet.isConnected ? (
        <WalletButton />
      ) : (
        <>
          <WalletButton />
          {balance.data !== undefined && (
            <p className="small" data-testid="donate-balance">
              {t("donate.balance", { amount: fmt(balance.data) })}
            </p>
          )}
          {open && (
            <form
              className="form-row"
              onSubmit={(e) => {
                e.preventDefault();
                void donate();
              }}
            >
              <label>
                {t("common.level")}
                <LevelSelect
                  ladder={ladder}
                  value={level}
                  onChange={setLevel}
                  placeholder={t("campaign.chooseThreshold")}
                  required
                  testId="donate-level"
                />
              </label>
              <label>
                {t("common.amount")} ({s.token.symbol})
                <input
                  inputMode="decimal"
                  value={amountText}
                  onChange={(e) => setAmountText(e.target.value)}
                  aria-invalid={(amountText !== "" && !amount) || aboveBalance}
                  aria-describedby={aboveBalance ? "donate-above" : undefined}
                  data-testid="donate-amount"
                />
              </label>
              <button
                type="submit"
                className="primary"
                disabled={busy || level === 0 || !amount || aboveBalance}
                data-testid="donate-submit"
              >
                {t("donate.donateButton")}
              </button>
            </form>
          )}
          {open && aboveBalance && (
            <p id="donate-above" className="error" data-testid="donate-above-balance">
              {t(s.token.address === zeroAddress ? "donate.aboveBalanceEth" : "donate.aboveBalance", {
                amount: fmt(balance.data!),
              })}
            </p>
          )}
          {lastTx && !busy && (
            <p role="status" data-testid="donated">
              {t("donate.thanks")} <TxLink hash={lastTx} />
            </p>
          )}
          <ErrorNote error={error} />
          <MyDonations s={s} live={live} donor={wallet.address!} />
        </>
      )}
    </section>
  );
}

function MyDonations({ s, live, donor }: { s: CampaignStatic; live: CampaignLive; donor: Address }) {
  const { t, locale } = useI18n();
  const { donations: list, act: run } = useMyDonations(s, live, donor);
  const [error, setError] = useState<unknown>(null);
  const phase = campaignPhase(s, live);
  // MECHANISM "The final lock": a donation can no longer be withdrawn once it has begun.
  const locked = finalLockActive(s.params, BigInt(chainNow(live)));
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  async function act(fn: "withdrawDonation" | "reclaimDonation", id: bigint) {
    setError(null);
    try {
      await run(fn, id);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <div className="my-donations">
      <h3>{t("donate.myDonations")}</h3>
      {list.length === 0 && <p>{t("donate.noDonations")}</p>}
      {phase === "open" && locked && list.some((d) => !d.withdrawn && d.amount > 0n) && (
        <p className="note" data-testid="donate-locked">
          {t("donate.lockedWithdraw")}
        </p>
      )}
      <ul>
        {list.map((d, i) => {
          // Numbered from 1 in the donor's own list (the campaign's donation ids start at 0).
          const label = t("donate.donationLine", {
            id: String(i + 1),
            amount: fmt(d.given),
            condition: t("common.peopleAtLeast", { count: s.params.ladder[d.level - 1] ?? 0 }),
          });
          let action: { text: string; fn: "withdrawDonation" | "reclaimDonation"; enabled: boolean } | null = null;
          if (d.withdrawn) {
            return (
              <li key={d.id.toString()} data-testid={`donation-${d.id}`}>
                {label} <span className="muted">{t("donate.withdrawnLine", { amount: fmt(d.given) })}</span>
              </li>
            );
          }
          if (phase === "open" && d.amount > 0n && !locked)
            action = { text: t("donate.withdraw"), fn: "withdrawDonation", enabled: true };
          else if (live.phase === Phase.Resolved) {
            const triggered = live.tippingLevel > 0 && d.level <= live.tippingLevel;
            const text = !triggered
              ? t("donate.refund")
              : !d.surplusTaken
                ? t("donate.takeSurplus")
                : t("donate.takeRemainder");
            // In cents for a euro token, rounded down (a share of a share has 6 decimals): never more than paid.
            const shown = roundShown(d.reclaimable, s.token.decimals, s.token.symbol, "down");
            action = {
              text:
                d.reclaimable > 0n ? `${text} (${fmt(shown > 0n ? shown : d.reclaimable)})` : t("donate.nothingNow"),
              fn: "reclaimDonation",
              enabled: d.reclaimable > 0n,
            };
          }
          return (
            <li key={d.id.toString()} data-testid={`donation-${d.id}`}>
              {label}{" "}
              {action && (
                <button type="button" disabled={!action.enabled} onClick={() => void act(action.fn, d.id)}>
                  {action.text}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorNote error={error} />
    </div>
  );
}
