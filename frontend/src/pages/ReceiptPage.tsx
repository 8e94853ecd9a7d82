import { useState } from "react";
import { type Address, formatUnits, type Hex, zeroAddress, zeroHash } from "viem";
import { ENTITLEMENTS, Entitlement, binds, cumulativeCounts, finalLockActive, supportShare } from "@bascule/core/model";
import { entitlementMessage } from "../lib/entitlement.ts";
import { AttendancePanel } from "../components/AttendancePanel.tsx";
import { Boundary } from "../components/Boundary.tsx";
import { ConditionPicker, conditionValues } from "../components/ConditionPicker.tsx";
import { formatCoverage, lockRules, pledgeStanding } from "../lib/conditions.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { NotifyPanel } from "../components/NotifyPanel.tsx";
import { AnnouncementsPanel } from "../components/AnnouncementsPanel.tsx";
import { WalletButton } from "../components/WalletButton.tsx";
import { useApp } from "../hooks/app.tsx";
import { usePledgeRecord, useReceiptActions } from "../hooks/usePledge.ts";
import { useCampaign } from "../hooks/useCampaign.ts";
import { campaignPhase, chainNow, currentResolution } from "../lib/campaign.ts";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { useUnion } from "../hooks/useUnion.ts";
import { useParticipationProof } from "../hooks/useProof.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { PayoutDesk } from "../lib/union.ts";
import { DeskSlipPanel } from "../components/DeskSlipPanel.tsx";
import { formatAmount, formatDateTime, parseAmount, roundShown } from "../lib/format.ts";
import { receiptLink } from "../lib/receipt.ts";
import { forgetReceipt, type KeptReceipt } from "../lib/receiptStore.ts";
import { navigate } from "../router.ts";
import { GateNote } from "../components/GateNote.tsx";
import { LevelSelect } from "../components/LevelSelect.tsx";
import { PayeeForm } from "../components/PayeeForm.tsx";
import { ReceiptCard } from "../components/ReceiptCard.tsx";
import { TxLink } from "../components/TxLink.tsx";
import { campaignPath, href } from "@bascule/core/routes";
import { Phase } from "../lib/types.ts";

/** "My pledge": what a receipt holds, and what its key may still do. */
export function ReceiptPage({ receipt, localId }: { receipt: KeptReceipt; localId: string }) {
  const { t, locale, lang } = useI18n();
  const { config } = useApp();
  const wallet = useWalletWrite();
  const actions = useReceiptActions(receipt, localId);
  const key = actions.key;
  const { static: s, live, error } = useCampaign(receipt.campaign);
  const record = usePledgeRecord(receipt.campaign, key.address, live);
  const union = useUnion(s ?? undefined);
  // Once the participation set is published, whether this key is on it is checked before any click.
  const needsProof = record.data?.entitlement === Entitlement.NeedsProof && !record.data.claimed;
  const proof = useParticipationProof(
    receipt.campaign,
    key.address,
    live?.participationRoot ?? zeroHash,
    needsProof && !!live && live.participationRoot !== zeroHash,
  );
  const onList = needsProof && proof.data !== undefined ? proof.data !== null : null;
  const [deskSent, setDeskSent] = useState<PayoutDesk | null>(null);
  const [newLevel, setNewLevel] = useState(0);
  const [supportText, setSupportText] = useState<string | null>(null);
  const [newCondition, setNewCondition] = useState<number | null>(null);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const [txHash, setTxHash] = useState<Hex | undefined>();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [actionError, setActionError] = useState<unknown>(null);
  const [fallback, setFallback] = useState<null | (() => Promise<unknown>)>(null);

  if (receipt.chainId !== config.chainId)
    return (
      <p className="error" role="alert">
        {t("errors.receiptOtherNetwork")}
      </p>
    );
  if (error) return <ErrorNote error={error} />;
  if (!s || !live || !record.data) return <p role="status">{t("common.loading")}</p>;

  const r = record.data;
  const phase = campaignPhase(s, live);
  const result = currentResolution(s, live);
  const ladder = s.params.ladder;
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const conditions = s.params.conditions;
  const triggered = binds(result, { level: r.level, condition: r.condition });
  // The support asked: what is on-chain while pledged, else what this receipt last asked (kept on the device).
  const previousSupport = r.level > 0 ? r.support : BigInt(receipt.support ?? "0");
  const cap = s.params.supportCap;
  const supportShown = supportText ?? (previousSupport > 0n ? formatUnits(previousSupport, s.token.decimals) : "");
  const newSupport = supportShown.trim() === "" ? 0n : parseAmount(supportShown, s.token.decimals);
  const withdrawn = r.level === 0 && r.nonce > 0;
  // MECHANISM "The final lock": a new pledge has no condition; a recorded one keeps its condition, and
  // if it has one it may only lower its support (not to 0, which would record condition 0).
  const locked = finalLockActive(s.params, BigInt(chainNow(live)));
  const rules = lockRules(locked, r);
  const supportOnly = rules.conditionalSupportOnly;
  // During the lock a recorded pledge may not be withdrawn nor raised: neither is offered.
  const lockedPledge = locked && r.level > 0;
  const supportRaised = lockedPledge && newSupport !== null && newSupport > r.support;
  const supportOk =
    newSupport !== null &&
    newSupport <= cap &&
    !supportRaised &&
    (!supportOnly || (newSupport > 0n && newSupport <= r.support));
  const lockStart = formatDateTime(s.params.pledgeDeadline - s.params.finalLock, locale);
  const offersConditions = conditions.length > 0 && cap > 0n;
  const conditionFrozen = locked && r.level > 0;
  const conditionShown = conditionFrozen
    ? r.condition
    : rules.newPledgeConditionFree
      ? 0
      : (newCondition ?? r.condition);
  const conditionToSend = offersConditions && newSupport !== null && newSupport > 0n ? conditionShown : 0;
  // An existing pledge's threshold is proposed as it is: a change of support or condition keeps it.
  const levelToSend = supportOnly ? r.level : newLevel || r.level;
  const conditionWords = (k: number) => conditionValues(conditions, k, locale);
  // Where the pledge stands now, before resolution, in a campaign with conditions (the model's
  // provisional resolution over the chain's tallies; donationToAdmit when it does not count).
  const standing =
    offersConditions && r.level > 0 && (r.support > 0n || r.condition > 0) && live.phase !== Phase.Resolved
      ? pledgeStanding(ladder, live.tallies, conditions, { level: r.level, condition: r.condition })
      : null;

  // How far one's own threshold is (MECHANISM C(j)): the pledges with this threshold or a lower one,
  // who all strike if it is reached; before the result only, and not for "whatever the number".
  const threshold = r.level > 0 ? ladder[r.level - 1] : 0;
  const towards =
    r.level > 0 && threshold > 1 && live.phase !== Phase.Resolved
      ? (cumulativeCounts(live.tallies.counts)[r.level - 1] ?? 0n)
      : null;

  /** What `claim` would do now, in words (ICampaign.Entitlement), with the date that matters. */
  function entitlementSentence(entitlement: number, amount: bigint): string {
    const m = entitlementMessage(entitlement, amount, {
      hasOracle: s!.params.oracle !== zeroAddress,
      rootPublished: live!.participationRoot !== zeroHash,
      now: chainNow(live!),
      oracleEnd: live!.oracleEnd,
      claimEnd: live!.claimEnd,
    });
    return t(m.id, { amount: fmt(m.amount), date: m.date === null ? "" : formatDateTime(m.date, locale) });
  }

  async function run(task: () => Promise<void>) {
    setActionError(null);
    setFallback(null);
    setBusy(true);
    setStatus("");
    try {
      await task();
      await record.refetch();
    } catch (e) {
      // "Sent; waiting to be recorded…" no longer holds once the relayer or the chain refused it.
      setStatus("");
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  const events = {
    onQueued: () => setStatus(t("receipt.queued")),
    onRelayerDown: (viaWallet: () => Promise<unknown>) => setFallback(() => viaWallet),
  };

  async function sendPledge(level: number, support: bigint, condition = r.condition) {
    setTxHash(await actions.pledge(r, { level, support, condition }, events));
    setStatus(
      level === 0 ? t("receipt.withdrawn") : r.level === 0 ? t("receipt.confirmedPledge") : t("receipt.changed"),
    );
  }

  async function claim(to: Address) {
    const done = await actions.claim(s!, live!, to, events);
    setTxHash(done.txHash);
    setStatus(done.withProof ? t("receipt.proofAttached") : "");
  }

  const submit = (
    <button type="submit" disabled={busy || levelToSend === 0 || !supportOk} data-testid="change-submit">
      {r.level > 0 ? t("receipt.changeSubmit") : withdrawn ? t("receipt.pledgeAgain") : t("campaign.pledgeButton")}
    </button>
  );

  return (
    <article className="receipt-page">
      <h1>{t("receipt.myPledgeTitle")}</h1>
      <p>
        <a href={href(campaignPath(s.address))}>{s.metadata?.title ?? t("common.untitled")}</a>
      </p>
      <p className="warning" role="note">
        {t("receipt.receiptWarning")}
      </p>
      <section className="panel" aria-live="polite">
        <p className="big" data-testid="pledge-status">
          {r.level > 0
            ? t("receipt.pledgeLevel", { threshold: ladder[r.level - 1] })
            : withdrawn
              ? t("receipt.pledgeWithdrawnState")
              : t("receipt.pledgeNone")}
        </p>
        {towards !== null && (
          <p data-testid="pledge-progress">
            {towards >= BigInt(threshold)
              ? t("receipt.thresholdReached", { count: Number(towards), threshold })
              : t("receipt.thresholdProgress", { count: Number(towards), threshold })}
          </p>
        )}
        {r.level > 0 && r.support > 0n && (
          <p data-testid="pledge-support">{t("receipt.supportAsked", { amount: fmt(r.support) })}</p>
        )}
        {r.level > 0 && r.condition > 0 && (
          <p data-testid="pledge-condition">
            {t("conditions.receiptCondition", { name: t("conditions.name", conditionWords(r.condition)) })}
          </p>
        )}
        {r.level > 0 && (
          <p data-testid="pledge-outcome">
            {live.phase === Phase.Resolved
              ? triggered
                ? t("receipt.finalIn")
                : t("receipt.finalOut")
              : triggered
                ? t("receipt.provisionalIn")
                : t("receipt.provisionalOut")}
          </p>
        )}
        {standing && (standing.counted || standing.donation !== null || r.condition > 0) && (
          <p
            className={standing.counted ? "big" : "warning"}
            data-testid="pledge-standing"
            data-counted={standing.counted ? "yes" : "no"}
          >
            {standing.counted
              ? r.support > 0n
                ? t("conditions.countedNowAmount", {
                    percent: formatCoverage(standing.coverageBp, locale),
                    amount: fmt(
                      roundShown(
                        supportShare(r.support, standing.resolution),
                        s.token.decimals,
                        s.token.symbol,
                        "down",
                      ),
                    ),
                  })
                : t("conditions.countedNow", { percent: formatCoverage(standing.coverageBp, locale) })
              : standing.donation !== null
                ? t("conditions.notCounted", {
                    amount: fmt(roundShown(standing.donation, s.token.decimals, s.token.symbol, "up")),
                    threshold: ladder[r.level - 1],
                  })
                : t("conditions.notCountedNoDonation")}
          </p>
        )}
        {supportOnly && (
          <p className="note" data-testid="pledge-lock-conditional">
            {t("conditions.lockedChange")}
          </p>
        )}
        {lockedPledge && !supportOnly && phase === "open" && (
          <p className="note" data-testid="pledge-lock">
            {t("receipt.lockActive", { date: lockStart })}
          </p>
        )}
        {!locked && s.params.finalLock > 0n && phase === "open" && (
          <p className="small" data-testid="pledge-lock-ahead">
            {t("receipt.lockAhead", { date: lockStart })}
          </p>
        )}
      </section>

      {/* From 12 hours before the action, a pledge of a campaign with a participation oracle can check in;
          once the result is known, only a pledge it binds (a failed campaign has no check-in). */}
      {r.level > 0 &&
        s.params.oracle !== zeroAddress &&
        (phase === "open" || triggered) &&
        chainNow(live) >= Number(s.params.actionDate) - 12 * 3600 && (
          <Boundary>
            <AttendancePanel
              pledgeKey={key}
              campaign={s.address}
              chainId={config.chainId}
              actionDate={s.params.actionDate}
            />
          </Boundary>
        )}

      <Boundary>
        <AnnouncementsPanel s={s} latest />
      </Boundary>

      {r.level > 0 &&
        (live.phase !== Phase.Resolved || (triggered && chainNow(live) < Number(s.params.actionDate))) && (
          <Boundary>
            <NotifyPanel campaign={s.address} level={r.level} threshold={ladder[r.level - 1]} />
          </Boundary>
        )}

      <Boundary>
        <GateNote s={s} />
      </Boundary>

      {phase === "open" && (
        <section className="panel">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (levelToSend > 0 && supportOk)
                void run(() => sendPledge(levelToSend, newSupport ?? 0n, conditionToSend));
            }}
          >
            <div className="form-row">
              <label>
                {r.level > 0
                  ? t("receipt.changeLevel")
                  : withdrawn
                    ? t("receipt.pledgeAgain")
                    : t("campaign.pledgeButton")}
                <LevelSelect
                  ladder={ladder}
                  value={levelToSend}
                  onChange={setNewLevel}
                  placeholder={t("campaign.chooseThreshold")}
                  disabled={supportOnly}
                  maxLevel={lockedPledge ? r.level : undefined}
                  testId="change-level"
                />
              </label>
              {cap > 0n && (
                <label>
                  {t("campaign.supportLabel", { cap: fmt(cap) })}
                  <input
                    inputMode="decimal"
                    value={supportShown}
                    onChange={(e) => setSupportText(e.target.value)}
                    aria-invalid={!supportOk}
                    data-testid="change-support"
                  />
                </label>
              )}
              {!offersConditions && submit}
            </div>
            {!supportOk && (
              <p className="error" data-testid="change-support-error">
                {supportOnly
                  ? t("conditions.lockedChange")
                  : supportRaised
                    ? t("receipt.lockSupportRaised", { amount: fmt(r.support) })
                    : t("campaign.supportInvalid", { cap: fmt(cap) })}
              </p>
            )}
            {offersConditions && newSupport !== null && newSupport > 0n && supportOk && (
              <ConditionPicker
                s={s}
                support={newSupport}
                value={conditionShown}
                onChange={setNewCondition}
                lockedNew={rules.newPledgeConditionFree}
                frozen={conditionFrozen}
                testId="change-condition"
              />
            )}
            {offersConditions && <div className="row">{submit}</div>}
          </form>
          {r.level > 0 && !lockedPledge && !confirmWithdraw && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => setConfirmWithdraw(true)}
              data-testid="withdraw-pledge"
            >
              {t("receipt.withdrawPledge")}
            </button>
          )}
          {r.level > 0 && !lockedPledge && confirmWithdraw && (
            <div className="confirm" role="group" aria-labelledby="withdraw-title" data-testid="withdraw-confirm">
              <h2 id="withdraw-title">{t("receipt.withdrawConfirmTitle")}</h2>
              <p>{t("receipt.withdrawConfirmText")}</p>
              <div className="row">
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => {
                    setConfirmWithdraw(false);
                    void run(() => sendPledge(0, 0n));
                  }}
                  data-testid="withdraw-yes"
                >
                  {t("receipt.withdrawYes")}
                </button>
                <button type="button" onClick={() => setConfirmWithdraw(false)}>
                  {t("receipt.withdrawNo")}
                </button>
              </div>
            </div>
          )}
        </section>
      )}

      {live.phase === Phase.Resolved && triggered && r.support > 0n && (
        <section className="panel" aria-labelledby="claim-title">
          <h2 id="claim-title">{t("receipt.claimTitle")}</h2>
          {deskSent && (
            <div className="panel" data-testid="desk-sent">
              <p>{t("union.deskSent", { desk: deskSent.name })}</p>
              <p className="small">{lang === "fr" ? deskSent.instructions.fr : deskSent.instructions.en}</p>
            </div>
          )}
          {r.claimed ? (
            <>
              <p data-testid="claimed">{t("receipt.claimedAlready")}</p>
              {/* Claimed to a desk, or perhaps: the slip can be made again at any time (a slip for a
                  desk this claim was not sent to is refused there). */}
              {(union.data?.payoutDesks ?? []).length > 0 && (
                <Boundary>
                  <DeskSlipPanel
                    pledgeKey={key}
                    campaign={s.address}
                    chainId={config.chainId}
                    desks={union.data!.payoutDesks}
                    initialDesk={deskSent?.address}
                  />
                </Boundary>
              )}
            </>
          ) : (
            <>
              {(union.data?.payoutDesks ?? []).map((desk) => (
                <div key={desk.address} className="row">
                  <button
                    type="button"
                    className="primary"
                    disabled={busy || r.claimable === 0n || onList === false}
                    data-testid="claim-desk"
                    onClick={() =>
                      void run(async () => {
                        await claim(desk.address);
                        setDeskSent(desk);
                      })
                    }
                  >
                    {t("union.claimViaDesk")} {desk.name}
                  </button>
                </div>
              ))}
              <PayeeForm
                known={{ campaign: s.address, factory: config.factory, token: s.token.address, pledgeKey: key.address }}
                disabled={busy || r.claimable === 0n || onList === false}
                onClaim={(to) => void run(() => claim(to))}
              >
                <p
                  data-testid="claimable"
                  data-entitlement={ENTITLEMENTS[r.entitlement] ?? "None"}
                  className={onList === false ? "warning" : undefined}
                >
                  {onList === false
                    ? t("receipt.notOnList", { amount: fmt(r.amount) })
                    : onList === true
                      ? t("receipt.onList", { amount: fmt(r.amount), date: formatDateTime(live.claimEnd, locale) })
                      : entitlementSentence(r.entitlement, r.amount)}
                </p>
              </PayeeForm>
            </>
          )}
        </section>
      )}
      {status && (
        <p role="status" data-testid="receipt-status">
          {status} <TxLink hash={txHash} />
        </p>
      )}
      <ErrorNote error={actionError} />
      {fallback && (
        <div className="panel">
          <p>{t("receipt.viaWallet")}</p>
          {wallet.isConnected ? (
            <button type="button" disabled={busy} onClick={() => void run(async () => void (await fallback()))}>
              {t("receipt.submitPledge")}
            </button>
          ) : (
            <WalletButton />
          )}
        </div>
      )}
      <details className="panel">
        <summary>{t("receipt.receiptTitle")}</summary>
        <Boundary>
          <ReceiptCard receipt={receipt} link={receiptLink(window.location.href.split("#")[0], receipt)} />
        </Boundary>
        <button
          type="button"
          className="link"
          onClick={() => {
            forgetReceipt(localId);
            navigate(campaignPath(receipt.campaign));
          }}
          data-testid="forget-receipt"
        >
          {t("receipt.forget")}
        </button>
      </details>
    </article>
  );
}
