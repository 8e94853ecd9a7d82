import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type Address, decodeEventLog, getAbiItem, type Hex, pad, parseSignature, toEventSelector, zeroAddress } from "viem";
import { readLogs, sizerFor } from "@bascule/core/logs";
import { campaignAbi, erc20PermitAbi } from "@bascule/core/generated/abis";
import { permitTypedData } from "@bascule/core/signing";
import { useApp } from "../hooks/app.tsx";
import { type CampaignLive, type CampaignStatic, campaignPhase } from "../hooks/useCampaign.ts";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatAmount, parseAmount } from "../lib/format.ts";
import { AppError } from "../lib/errors.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { TxLink } from "./TxLink.tsx";
import { WalletButton } from "./WalletButton.tsx";

/** Donate with a wallet (ETH, or the campaign's token with an EIP-2612 permit), and my donations. */
export function DonatePanel({ s, live }: { s: CampaignStatic; live: CampaignLive }) {
  const { t } = useI18n();
  const { client, config } = useApp();
  const wallet = useWalletWrite();
  const ladder = s.params.ladder;
  const [level, setLevel] = useState(1);
  const [amountText, setAmountText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [lastTx, setLastTx] = useState<Hex | undefined>();
  const open = campaignPhase(s, live) === "open";
  const amount = parseAmount(amountText, s.token.decimals);
  const isToken = s.token.address !== zeroAddress;

  async function donate() {
    if (!amount || amount === 0n) return;
    setError(null);
    setBusy(true);
    try {
      if (!isToken) {
        setLastTx(await wallet.write({ address: s.address, abi: campaignAbi, functionName: "donate", args: [BigInt(level), amount], value: amount }));
      } else {
        const owner = wallet.address!;
        // The token's EIP-712 domain (EIP-5267), or its name and version "1" for older permit tokens.
        const [domainRead, nonceRead, nameRead] = await client.multicall({
          contracts: [
            { address: s.token.address, abi: erc20PermitAbi, functionName: "eip712Domain" },
            { address: s.token.address, abi: erc20PermitAbi, functionName: "nonces", args: [owner] },
            { address: s.token.address, abi: erc20PermitAbi, functionName: "name" },
          ],
          allowFailure: true,
          deployless: true,
        });
        if (nonceRead.status !== "success") throw new AppError("noPermit");
        const nonce = nonceRead.result;
        const domain =
          domainRead.status === "success"
            ? domainRead.result
            : (["0x0f", nameRead.result ?? "", "1", BigInt(config.chainId), s.token.address] as const);
        const deadline = BigInt(Math.floor(Date.now() / 1000) + live.chainOffset + 3600);
        const signature = await wallet.signTyped(
          permitTypedData(
            { name: domain[1], version: domain[2], chainId: domain[3], verifyingContract: domain[4] },
            { owner, spender: s.address, value: amount, nonce, deadline },
          ),
        );
        const sig = parseSignature(signature);
        setLastTx(await wallet.write({
          address: s.address,
          abi: campaignAbi,
          functionName: "donateWithPermit",
          args: [BigInt(level), amount, deadline, Number(sig.v ?? 27n), sig.r, sig.s],
        }));
      }
      setAmountText("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="donate-title">
      <h2 id="donate-title">{t("donate.donateTitle")}</h2>
      <p>{t("donate.donateExplain")}</p>
      {!wallet.isConnected ? (
        <WalletButton />
      ) : (
        <>
          <WalletButton />
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
                <select value={level} onChange={(e) => setLevel(Number(e.target.value))} data-testid="donate-level">
                  {ladder.map((l, i) => (
                    <option key={i} value={i + 1}>
                      {t("common.peopleAtLeast", { count: l })}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("common.amount")} ({s.token.symbol})
                <input
                  inputMode="decimal"
                  value={amountText}
                  onChange={(e) => setAmountText(e.target.value)}
                  aria-invalid={amountText !== "" && !amount}
                  data-testid="donate-amount"
                />
              </label>
              <button type="submit" className="primary" disabled={busy || !amount} data-testid="donate-submit">
                {t("donate.donateButton")}
              </button>
            </form>
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

const DONATED = toEventSelector(getAbiItem({ abi: campaignAbi, name: "Donated" }));
const WITHDRAWN = toEventSelector(getAbiItem({ abi: campaignAbi, name: "DonationWithdrawn" }));

function MyDonations({ s, live, donor }: { s: CampaignStatic; live: CampaignLive; donor: Address }) {
  const { t, locale } = useI18n();
  const { client } = useApp();
  const wallet = useWalletWrite();
  const [error, setError] = useState<unknown>(null);
  const phase = campaignPhase(s, live);
  const donations = useQuery({
    queryKey: ["my-donations", s.address, donor, live.phase, live.donationCount.toString(), live.claimedTotal.toString()],
    // Keeps this donor's list shown while someone else's donation changes the key; never another donor's.
    placeholderData: (previous, query) => (query?.queryKey[1] === s.address && query.queryKey[2] === donor ? previous : undefined),
    queryFn: async () => {
      // This donor's Donated logs from the campaign's creation block, paged under the endpoint's limits.
      const { logs: raw } = await readLogs({
        client,
        address: s.address,
        topics: [DONATED, null, pad(donor, { size: 32 }).toLowerCase() as Hex],
        fromBlock: s.createdAt,
        sizer: sizerFor(client),
      });
      const logs = raw.map((l) => decodeEventLog({ abi: campaignAbi, eventName: "Donated", data: l.data, topics: l.topics as [Hex, ...Hex[]] }));
      const ids = logs.map((l) => l.args.donationId!);
      if (ids.length === 0) return [];
      // Its withdrawals too, so a withdrawn donation says so.
      const { logs: withdrawals } = await readLogs({
        client,
        address: s.address,
        topics: [WITHDRAWN, null, pad(donor, { size: 32 }).toLowerCase() as Hex],
        fromBlock: s.createdAt,
        sizer: sizerFor(client),
      });
      const withdrawn = new Set(
        withdrawals.map((l) => decodeEventLog({ abi: campaignAbi, eventName: "DonationWithdrawn", data: l.data, topics: l.topics as [Hex, ...Hex[]] }).args.donationId),
      );
      // Level and amount as given (donationOf zeroes them once a donation is fully paid back).
      const given = new Map(logs.map((l) => [l.args.donationId!, { level: Number(l.args.level), amount: l.args.amount! }]));
      const reads = await client.multicall({
        contracts: ids.flatMap((id) => [
          { address: s.address, abi: campaignAbi, functionName: "donationOf", args: [id] } as const,
          { address: s.address, abi: campaignAbi, functionName: "reclaimable", args: [id] } as const,
        ]),
        allowFailure: true,
        deployless: true,
      });
      return ids.map((id, i) => {
        const d = reads[2 * i].result as readonly [Address, number, boolean, bigint] | undefined;
        // (Entitlement, amount): only Due (3) pays now.
        const entitlement = reads[2 * i + 1].result as readonly [number, bigint] | undefined;
        const reclaimable = entitlement?.[0] === 3 ? entitlement[1] : 0n;
        const g = given.get(id)!;
        return { id, level: g.level, given: g.amount, surplusTaken: d?.[2] ?? false, amount: d?.[3] ?? 0n, reclaimable, withdrawn: withdrawn.has(id) };
      });
    },
  });
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  async function act(fn: "withdrawDonation" | "reclaimDonation", id: bigint) {
    setError(null);
    try {
      await wallet.write({ address: s.address, abi: campaignAbi, functionName: fn, args: [id] });
      await donations.refetch();
    } catch (e) {
      setError(e);
    }
  }
  const list = donations.data ?? [];
  return (
    <div className="my-donations">
      <h3>{t("donate.myDonations")}</h3>
      {list.length === 0 && <p>{t("donate.noDonations")}</p>}
      <ul>
        {list.map((d) => {
          const label = t("donate.donationLine", {
            id: d.id.toString(),
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
          if (phase === "open" && d.amount > 0n) action = { text: t("donate.withdraw"), fn: "withdrawDonation", enabled: true };
          else if (live.phase === 2) {
            const triggered = live.tippingLevel > 0 && d.level <= live.tippingLevel;
            const text = !triggered ? t("donate.refund") : !d.surplusTaken ? t("donate.takeSurplus") : t("donate.takeRemainder");
            action = { text: d.reclaimable > 0n ? `${text} (${fmt(d.reclaimable)})` : t("donate.nothingNow"), fn: "reclaimDonation", enabled: d.reclaimable > 0n };
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
