import { useState } from "react";
import type { Address } from "viem";
import { friendlyIban } from "@bascule/core/desk-slip";
import { BankFields } from "../components/BankFields.tsx";
import { Boundary } from "../components/Boundary.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { useApp } from "../hooks/app.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { type DeskClaim, useDeskClaims } from "../hooks/useDeskClaims.ts";
import { useDeskLedger } from "../hooks/useDeskLedger.ts";
import { useUnion } from "../hooks/useUnion.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { RelayerError } from "../lib/errors.ts";
import { formatAmount, formatDateTime } from "../lib/format.ts";
import { type DeskCheck, type DeskPaid, checkAtDesk, deskCsv } from "../lib/union.ts";

/**
 * A payout desk's page (issue 20): the clerk checks a beneficiary's desk slip against the bank
 * details to pay and the claim on chain (SupportClaimed to this desk), sees the amount, and marks it
 * paid in the union's desk ledger (the attester service, desk token), which every clerk of the desk
 * shares: a claim is paid once. The list of claims shows what the ledger holds paid; CSV export.
 * Without the ledger, nothing can be marked, and the page says not to pay.
 */
export const DeskPage = (p: { campaign: Address; desk: Address }) => (
  // Its one panel fails apart, with a button to try again.
  <Boundary resetKeys={[p.campaign, p.desk]}>
    <DeskPanel {...p} />
  </Boundary>
);

const TOKEN_KEY = (desk: Address) => `bascule.desk-token.${desk.toLowerCase()}`;
const CLERK_KEY = "bascule.desk-clerk";

function DeskPanel({ campaign, desk }: { campaign: Address; desk: Address }) {
  const { t, locale, lang } = useI18n();
  const { config } = useApp();
  const { static: s, error } = useCampaign(campaign);
  const union = useUnion(s);
  const claims = useDeskClaims(campaign, desk, s);
  // The token for this tab only (as the organiser's on the invite page); the clerk's name is kept.
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY(desk)) ?? "");
  const [clerk, setClerk] = useState(() => localStorage.getItem(CLERK_KEY) ?? "");
  const at = { chainId: config.chainId, campaign, desk };
  const ledger = useDeskLedger(union.data?.ledgerUrl ?? null, token.trim(), at);
  const [slip, setSlip] = useState("");
  const [iban, setIban] = useState("");
  const [holder, setHolder] = useState("");
  const [result, setResult] = useState<DeskCheck<DeskClaim> | null>(null);
  const [marking, setMarking] = useState(false);
  const [marked, setMarked] = useState<string | null>(null);
  const [markError, setMarkError] = useState<unknown>(null);

  if (error) return <ErrorNote error={error} />;
  if (!s || !claims.data || !union.data) return <p role="status">{t("common.loading")}</p>;
  const info = union.data.payoutDesks.find((d) => d.address.toLowerCase() === desk.toLowerCase());
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const paid: ReadonlyMap<string, DeskPaid> | null = ledger.data ?? null;
  const paidOf = (c: DeskClaim) => paid?.get(c.pledgeKey.toLowerCase()) ?? null;
  const when = (p: { paidAt: number }) => formatDateTime(p.paidAt, locale);
  const csv = deskCsv(
    claims.data.map((c) => ({
      ...c,
      amount: formatAmount(c.amount, s.token.decimals, "", "en").trim(),
      paid: paidOf(c),
    })),
  );
  const ledgerState = !union.data.ledgerUrl
    ? "none"
    : !token.trim()
      ? "token"
      : ledger.data
        ? "ok"
        : ledger.error instanceof RelayerError
          ? "refused"
          : ledger.error
            ? "down"
            : "loading";

  async function check() {
    setMarked(null);
    setMarkError(null);
    setResult(await checkAtDesk(slip, { iban, holder }, at, claims.data ?? [], paid ?? new Map()));
  }

  async function mark(claim: DeskClaim) {
    setMarking(true);
    setMarkError(null);
    try {
      await ledger.markPaid(claim.pledgeKey, clerk.trim());
      setMarked(claim.pledgeKey.toLowerCase());
    } catch (e) {
      setMarkError(e);
    } finally {
      setMarking(false);
    }
  }

  // A claim checked here and since marked paid by another clerk is shown as paid.
  const standing =
    result?.ok && paidOf(result.claim) && marked !== result.claim.pledgeKey.toLowerCase()
      ? { ok: false as const, reason: "alreadyPaid" as const, paid: paidOf(result.claim)! }
      : result;
  const alreadyPaid =
    markError instanceof RelayerError && markError.code === "ALREADY_PAID"
      ? { paidAt: Number(markError.details?.paidAt ?? 0), clerk: String(markError.details?.clerk ?? "") }
      : null;

  return (
    <>
      <section className="panel" aria-labelledby="desk-title">
        <h1 id="desk-title">{t("union.deskLinkNamed", { name: info?.name ?? desk })}</h1>
        <p>{s.metadata?.title}</p>
        {info && <p className="small">{lang === "fr" ? info.instructions.fr : info.instructions.en}</p>}
        <p className="small" data-testid="desk-help">
          {t("union.deskHelp")}
        </p>
        {union.data.ledgerUrl && (
          <div className="form-row">
            <label>
              {t("union.deskTokenLabel")}
              <input
                type="password"
                autoComplete="off"
                value={token}
                data-testid="desk-token"
                onChange={(e) => {
                  setToken(e.target.value);
                  sessionStorage.setItem(TOKEN_KEY(desk), e.target.value);
                }}
              />
            </label>
            <label>
              {t("union.deskClerkLabel")}
              <input
                value={clerk}
                maxLength={64}
                data-testid="desk-clerk"
                onChange={(e) => {
                  setClerk(e.target.value);
                  localStorage.setItem(CLERK_KEY, e.target.value);
                }}
              />
            </label>
          </div>
        )}
        <p
          className={ledgerState === "ok" ? "note" : "warning"}
          role="status"
          data-testid="desk-ledger"
          data-state={ledgerState}
        >
          {ledgerState === "none"
            ? t("union.deskLedgerNone")
            : ledgerState === "token"
              ? t("union.deskLedgerNeedsToken")
              : ledgerState === "ok"
                ? t("union.deskLedgerOk", { count: paid!.size })
                : ledgerState === "down"
                  ? t("union.deskLedgerDown")
                  : ledgerState === "refused"
                    ? t("union.deskLedgerRefused")
                    : t("common.loading")}
        </p>
        {ledgerState === "refused" && <ErrorNote error={ledger.error} />}
      </section>

      <section className="panel desk" aria-labelledby="desk-check-title">
        <h2 id="desk-check-title">{t("union.deskCheckTitle")}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void check();
          }}
        >
          <label htmlFor="desk-slip">{t("union.deskSlipLabel")}</label>
          <textarea
            id="desk-slip"
            rows={3}
            spellCheck={false}
            value={slip}
            data-testid="desk-slip"
            onChange={(e) => {
              setSlip(e.target.value);
              setResult(null);
            }}
          />
          <div className="form-row">
            <BankFields
              testIdPrefix="desk"
              iban={iban}
              holder={holder}
              onIban={(value) => {
                setIban(value);
                setResult(null);
              }}
              onHolder={(value) => {
                setHolder(value);
                setResult(null);
              }}
              holderAutoComplete="off"
            />
          </div>
          <button type="submit" className="primary" disabled={!slip.trim()} data-testid="desk-check">
            {t("union.deskCheck")}
          </button>
        </form>
        {standing && !standing.ok && (
          <p className="error" role="alert" data-testid="desk-refusal" data-reason={standing.reason}>
            {standing.reason === "alreadyPaid"
              ? t("union.desk.alreadyPaid", { when: when(standing.paid!), clerk: standing.paid!.clerk })
              : t(`union.desk.${standing.reason}`)}
          </p>
        )}
        {standing?.ok && (
          <div className="panel" data-testid="desk-pay">
            <p className="big">
              {t("union.deskPay", {
                amount: fmt(standing.claim.amount),
                holder: holder.trim(),
                iban: friendlyIban(standing.iban),
              })}
            </p>
            <p className="small">{t("union.deskPayRef", { reference: standing.claim.reference })}</p>
            {marked === standing.claim.pledgeKey.toLowerCase() ? (
              <p role="status" data-testid="desk-marked">
                {t("union.deskMarked")}
              </p>
            ) : ledgerState !== "ok" ? (
              <p className="warning" data-testid="desk-mark-blocked">
                {t("union.deskMarkNeedsLedger")}
              </p>
            ) : (
              <>
                {!clerk.trim() && <p className="warning">{t("union.deskMarkNeedsClerk")}</p>}
                <button
                  type="button"
                  className="primary"
                  disabled={marking || !clerk.trim()}
                  data-testid="desk-mark"
                  onClick={() => void mark(standing.claim)}
                >
                  {t("union.deskMark")}
                </button>
              </>
            )}
            {alreadyPaid ? (
              <p className="error" role="alert" data-testid="desk-mark-refused">
                {t("union.desk.alreadyPaid", { when: when(alreadyPaid), clerk: alreadyPaid.clerk })}
              </p>
            ) : (
              <ErrorNote error={markError} />
            )}
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="desk-claims-title">
        <h2 id="desk-claims-title">{t("union.deskClaims")}</h2>
        {claims.data.length === 0 ? (
          <p data-testid="desk-none">{t("union.deskNone")}</p>
        ) : (
          <div className="table-wrap">
            <table className="events" data-testid="desk-claims">
              <thead>
                <tr>
                  <th scope="col">{t("union.deskReferenceCol")}</th>
                  <th scope="col">{t("union.deskAmountCol")}</th>
                  <th scope="col">{t("union.deskPaid")}</th>
                </tr>
              </thead>
              <tbody>
                {claims.data.map((c) => {
                  const p = paidOf(c);
                  return (
                    <tr key={c.txHash + c.reference} data-testid="desk-claim">
                      <td>
                        <code>{c.reference}</code>
                      </td>
                      <td>{fmt(c.amount)}</td>
                      <td data-testid={`desk-paid-${c.reference}`} data-paid={paid ? (p ? "yes" : "no") : "unknown"}>
                        {!paid
                          ? t("union.deskPaidUnknown")
                          : p
                            ? t("union.deskPaidWhen", { when: when(p), clerk: p.clerk })
                            : t("union.deskUnpaid")}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <a
          className="button"
          data-testid="desk-csv"
          href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`}
          download={`bascule-desk-${desk.slice(2, 8)}.csv`}
        >
          {t("union.deskCsv")}
        </a>
      </section>
    </>
  );
}
