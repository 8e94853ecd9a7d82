import { useState } from "react";
import type { Address } from "viem";
import { binds, coverage, finalLockActive, nextTippingPoint, resolve } from "@bascule/core/model";
import { AnnounceForm } from "../components/AnnounceForm.tsx";
import { AnnouncementsPanel } from "../components/AnnouncementsPanel.tsx";
import { Chart } from "../components/Chart.tsx";
import { ConditionPicker, conditionValues } from "../components/ConditionPicker.tsx";
import { ConditionsPanel } from "../components/ConditionsPanel.tsx";
import { Countdown } from "../components/Countdown.tsx";
import { DonatePanel } from "../components/DonatePanel.tsx";
import { Boundary } from "../components/Boundary.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { FediverseFollow } from "../components/FediverseFollow.tsx";
import { FollowLinks } from "../components/FollowLinks.tsx";
import { FundsPanel } from "../components/FundsPanel.tsx";
import { SharePanel, justCreated } from "../components/SharePanel.tsx";
import { GateNote } from "../components/GateNote.tsx";
import { PledgeFlow } from "../components/PledgeFlow.tsx";
import { UnionLinks } from "../components/UnionLinks.tsx";
import { campaignAbi } from "@bascule/core/generated/abis";
import { useCampaign } from "../hooks/useCampaign.ts";
import { campaignPhase, chainNow, currentResolution, totalPledges } from "../lib/campaign.ts";
import { formatCoverage, withPledge } from "../lib/conditions.ts";
import { Phase, type CampaignPhase } from "../lib/types.ts";
import { useApp } from "../hooks/app.tsx";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { type Translate, useI18n } from "../i18n/i18n.tsx";
import { formatAmount, formatDate, formatDateTime, parseAmount } from "../lib/format.ts";
import { href, verifyPath } from "@bascule/core/routes";
import { LevelSelect } from "../components/LevelSelect.tsx";
import { MetadataNote } from "../components/MetadataNote.tsx";
import { NextSteps } from "../components/NextSteps.tsx";

export function phaseLabel(phase: CampaignPhase, t: Translate): string {
  return {
    open: t("common.statusOpen"),
    awaiting: t("common.statusAwaiting"),
    succeeded: t("common.statusSucceeded"),
    failed: t("common.statusFailed"),
  }[phase];
}

export function CampaignPage({ address, inviteCode }: { address: Address; inviteCode?: string }) {
  const { t, locale } = useI18n();
  const { static: s, live, error } = useCampaign(address);
  const { config } = useApp();
  const fresh = justCreated(address);
  const wallet = useWalletWrite();
  const [level, setLevel] = useState(0);
  const [supportText, setSupportText] = useState("");
  const [condition, setCondition] = useState(0);
  const [step, setStep] = useState<"choose" | "recap" | "receipt">("choose");
  const [actionError, setActionError] = useState<unknown>(null);

  if (error) return <ErrorNote error={error} />;
  if (!s || !live) return <p role="status">{t("common.loading")}</p>;

  const phase = campaignPhase(s, live);
  const result = currentResolution(s, live);
  const ladder = s.params.ladder;
  const next = live.phase === Phase.Open ? nextTippingPoint(ladder, live.tallies.counts) : null;
  const cap = s.params.supportCap;
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const support = supportText.trim() === "" ? 0n : parseAmount(supportText, s.token.decimals);
  const supportOk = support !== null && support <= cap;
  const title = s.metadata?.title ?? t("common.untitled");
  const total = Number(totalPledges(live));
  const date = formatDate(s.params.actionDate, locale);
  // Conditions are offered to a person who asks for support, except to a new pledge in the final lock.
  const conditions = s.params.conditions;
  const offersConditions = conditions.length > 0 && cap > 0n;
  const asksSupport = supportOk && support !== null && support > 0n;
  const locked = finalLockActive(s.params, BigInt(chainNow(live)));
  const chosenCondition = offersConditions && asksSupport && !locked ? condition : 0;
  // "If you pledge now": the provisional resolution with this pledge added.
  const prospect =
    offersConditions && asksSupport && level > 0
      ? (() => {
          const t2 = withPledge(live.tallies, conditions.length, {
            level,
            support: support!,
            condition: chosenCondition,
          });
          const r = resolve(ladder, t2, conditions);
          return { counts: binds(r, { level, condition: chosenCondition }), coverageBp: coverage(r) };
        })()
      : null;

  const conditionWords = (k: number) => conditionValues(conditions, k, locale);

  async function resolveNow() {
    setActionError(null);
    try {
      await wallet.write({ address: s!.address, abi: campaignAbi, functionName: "resolve", args: [] });
    } catch (e) {
      setActionError(e);
    }
  }

  const headline = {
    open: t("campaign.headline", { count: total, date }),
    awaiting: t("campaign.headlineAwaiting", { count: total, date }),
    succeeded: t("campaign.headlineSucceeded", { count: Number(result.committed), date }),
    failed: t("campaign.headlineFailed", { date }),
  }[phase];

  return (
    <article className="campaign">
      <header>
        <p className={`badge ${phase}`} data-testid="phase">
          {phaseLabel(phase, t)}
        </p>
        <h1>{title}</h1>
        <MetadataNote omitted={s.metadataOmitted} unreadable={s.metadataCheck !== "unknown" && s.metadata === null} />
        <Boundary>
          {s.metadata?.place && <p className="muted">{s.metadata.place}</p>}
          {s.metadata?.text && <p>{s.metadata.text}</p>}
        </Boundary>
      </header>

      {/* Each panel in its own boundary: one that fails to render leaves the others. */}
      {/* Right after creating it, sharing comes first. */}
      {fresh && (
        <Boundary>
          <SharePanel campaign={s.address} justCreated />
        </Boundary>
      )}
      <Boundary resetKeys={[step]}>
        <section className="headline panel" aria-labelledby="headline">
          <p id="headline" className="big" data-testid="headline">
            {headline}
          </p>
          {phase === "succeeded" && (
            <p data-testid="outcome">
              {t("campaign.subSucceeded", {
                threshold: ladder[result.tippingLevel - 1],
                free: total - Number(result.committed),
              })}
            </p>
          )}
          {phase === "failed" && <p data-testid="outcome">{t("campaign.subFailed", { count: total })}</p>}
          {phase === "open" && step === "choose" && (
            <form
              className="pledge-control"
              onSubmit={(e) => {
                e.preventDefault();
                if (supportOk && level > 0) setStep("recap");
              }}
            >
              <label htmlFor="pledge-level" className="big">
                {t("campaign.headlineIf")}
              </label>{" "}
              <LevelSelect
                id="pledge-level"
                ladder={ladder}
                value={level}
                onChange={setLevel}
                placeholder={t("campaign.chooseThreshold")}
                required
                testId="pledge-level"
              />
              {/* ", moi aussi." follows the chosen number with no space before its comma */}
              <span className="big" data-testid="headline-me-too">
                {t("campaign.headlineMeToo")}
              </span>
              {cap > 0n && (
                <div className="field">
                  <label htmlFor="pledge-support">{t("campaign.supportLabel", { cap: fmt(cap) })}</label>
                  <input
                    id="pledge-support"
                    inputMode="decimal"
                    value={supportText}
                    onChange={(e) => setSupportText(e.target.value)}
                    aria-invalid={!supportOk}
                    aria-describedby={!supportOk ? "support-error" : undefined}
                    data-testid="pledge-support"
                  />
                  {!supportOk && (
                    <p id="support-error" className="error">
                      {t("campaign.supportInvalid", { cap: fmt(cap) })}
                    </p>
                  )}
                </div>
              )}
              {offersConditions && asksSupport && (
                <ConditionPicker
                  s={s}
                  support={support!}
                  value={chosenCondition}
                  onChange={setCondition}
                  threshold={level > 0 ? ladder[level - 1] : undefined}
                  date={date}
                  lockedNew={locked}
                />
              )}
              <div>
                <button
                  type="submit"
                  className="primary"
                  disabled={!supportOk || level === 0}
                  data-testid="pledge-button"
                >
                  {t("campaign.pledgeButton")}
                </button>
                {/* The deadline beside the button: on a phone the dates panel is two screens below. */}
                <p className="small" data-testid="pledge-deadline">
                  {t("campaign.pledgeUntil", { date: formatDateTime(s.params.pledgeDeadline, locale) })}{" "}
                  <Countdown deadline={s.params.pledgeDeadline} offset={live.chainOffset} testId="pledge-countdown" />
                </p>
              </div>
            </form>
          )}
          {phase === "open" && step === "recap" && (
            <div className="recap" data-testid="recap" role="group" aria-labelledby="recap-title">
              <h2 id="recap-title">{t("campaign.recapTitle")}</h2>
              <ul>
                {chosenCondition > 0 ? (
                  <>
                    <li data-testid="recap-condition">
                      {t("conditions.sentence", {
                        ...conditionWords(chosenCondition),
                        threshold: ladder[level - 1],
                        date,
                        amount: fmt(support!),
                      })}
                    </li>
                    <li>{t("conditions.beneath", conditionWords(chosenCondition))}</li>
                  </>
                ) : (
                  <>
                    <li>
                      {t("campaign.recapThreshold", {
                        date,
                        place: s.metadata?.place || "none",
                        threshold: ladder[level - 1],
                      })}
                    </li>
                    <li>
                      {support && support > 0n
                        ? t("campaign.recapSupport", { amount: fmt(support) })
                        : t("campaign.recapNoSupport")}
                    </li>
                  </>
                )}
                {prospect && (
                  <li data-testid="recap-prospect">
                    {prospect.counts
                      ? t("conditions.prospectIn", { percent: formatCoverage(prospect.coverageBp, locale) })
                      : t("conditions.prospectOut")}
                  </li>
                )}
                <li>
                  {s.params.finalLock > 0n
                    ? t(chosenCondition > 0 ? "conditions.recapChangeLock" : "campaign.recapChangeLock", {
                        lockStart: formatDateTime(s.params.pledgeDeadline - s.params.finalLock, locale),
                      })
                    : t("campaign.recapChange", { deadline: formatDateTime(s.params.pledgeDeadline, locale) })}
                </li>
              </ul>
              <div className="row">
                <button
                  type="button"
                  className="primary"
                  onClick={() => setStep("receipt")}
                  data-testid="recap-confirm"
                  autoFocus
                >
                  {t("campaign.recapConfirm")}
                </button>
                <button type="button" className="link" onClick={() => setStep("choose")}>
                  {t("common.back")}
                </button>
              </div>
            </div>
          )}
          {step === "receipt" && (
            <PledgeFlow
              s={s}
              level={level}
              support={support ?? 0n}
              condition={chosenCondition}
              inviteCode={inviteCode}
              onCancel={() => setStep("recap")}
            />
          )}
        </section>
      </Boundary>

      <Boundary>
        <NextSteps s={s} phase={phase} result={result} claimEnd={live.claimEnd} oracleEnd={live.oracleEnd} />
      </Boundary>

      <Boundary>
        <GateNote s={s} />
      </Boundary>

      <Boundary>
        <section className="panel" aria-labelledby="result-title">
          <h2 id="result-title" className="sr-only">
            {t(phase === "succeeded" || phase === "failed" ? "chart.titleClosed" : "chart.titleOpen")}
          </h2>
          {live.phase !== Phase.Resolved && (
            <>
              <p className="big" data-testid="next-tip">
                {next
                  ? t(next.anyLevel ? "campaign.nextTipAny" : "campaign.nextTip", {
                      more: Number(next.pledgesNeeded),
                      threshold: next.threshold,
                      then: Number(next.committedThen),
                    })
                  : t("campaign.allReached")}
              </p>
              <p data-testid="provisional">
                {result.succeeded
                  ? t("campaign.provisional", { count: Number(result.committed) })
                  : t("campaign.provisionalNone")}
              </p>
            </>
          )}
          <Chart
            ladder={ladder}
            counts={live.tallies.counts}
            tippingLevel={result.tippingLevel}
            committed={result.committed}
            phase={phase}
            next={next}
          />
        </section>
      </Boundary>

      <Boundary>
        <section className="panel dates">
          <dl>
            <div>
              <dt>{t("common.deadline")}</dt>
              <dd>
                {formatDateTime(s.params.pledgeDeadline, locale)} —{" "}
                <Countdown deadline={s.params.pledgeDeadline} offset={live.chainOffset} />
              </dd>
            </div>
            <div>
              <dt>{t("common.actionDate")}</dt>
              <dd>{date}</dd>
            </div>
          </dl>
          {s.params.finalLock > 0n && phase === "open" && (
            <p className={locked ? "note" : "small"} data-testid="final-lock" data-locked={locked ? "yes" : "no"}>
              {t(locked ? "campaign.finalLockActive" : "campaign.finalLock", {
                date: formatDateTime(s.params.pledgeDeadline - s.params.finalLock, locale),
              })}
              {offersConditions && <> {t("conditions.finalLockRules")}</>}
            </p>
          )}
          {phase === "awaiting" && (
            <>
              <p>{t("campaign.outcomeAwaiting")}</p>
              {wallet.isConnected && (
                <button type="button" onClick={() => void resolveNow()} data-testid="resolve">
                  {t("campaign.resolveButton")}
                </button>
              )}
              <ErrorNote error={actionError} />
            </>
          )}
        </section>
      </Boundary>

      {conditions.length > 0 && (
        <Boundary>
          <ConditionsPanel s={s} live={live} />
        </Boundary>
      )}
      <Boundary>
        <FundsPanel s={s} live={live} result={result} />
      </Boundary>
      <Boundary>
        <DonatePanel s={s} live={live} />
      </Boundary>
      {!fresh && (
        <Boundary>
          <SharePanel campaign={s.address} />
        </Boundary>
      )}
      <Boundary>
        <AnnouncementsPanel s={s} />
      </Boundary>
      <Boundary>
        <AnnounceForm s={s} failed={phase === "failed"} />
      </Boundary>
      {config.notifierUrl || config.federationHost ? (
        <Boundary>
          <section className="panel">
            <FollowLinks campaign={s.address} />
            <FediverseFollow campaign={s.address} />
          </section>
        </Boundary>
      ) : null}
      <p>
        <a href={href(verifyPath(s.address))} data-testid="verify-link">
          {t("campaign.verifyLink")}
        </a>
      </p>
      <Boundary>
        <UnionLinks s={s} />
      </Boundary>
    </article>
  );
}
