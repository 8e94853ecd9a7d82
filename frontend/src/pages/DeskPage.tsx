import { useEffect, useState } from "react";
import type { Address } from "viem";
import { Boundary } from "../components/Boundary.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { useDeskClaims } from "../hooks/useDeskClaims.ts";
import { useUnion } from "../hooks/useUnion.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatAmount } from "../lib/format.ts";
import { deskCsv } from "../lib/union.ts";

/**
 * A payout desk's page: the claims paid to the desk's address (SupportClaimed events), by reference
 * and amount; the desk marks each paid after its bank transfer (kept in this browser, CSV export).
 * Needs no pledge key: the reference is computed from the pledge key's address in the event.
 */
export const DeskPage = (p: { campaign: Address; desk: Address }) => (
  // Its one panel fails apart, with a button to try again.
  <Boundary resetKeys={[p.campaign, p.desk]}>
    <DeskPanel {...p} />
  </Boundary>
);

function DeskPanel({ campaign, desk }: { campaign: Address; desk: Address }) {
  const { t, locale, lang } = useI18n();
  const { static: s, error } = useCampaign(campaign);
  const union = useUnion(s);
  const paidKey = `bascule.desk.paid.${campaign.toLowerCase()}.${desk.toLowerCase()}`;
  const [paid, setPaid] = useState<string[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(paidKey) ?? "[]") as string[];
    } catch {
      return [];
    }
  });
  useEffect(() => localStorage.setItem(paidKey, JSON.stringify(paid)), [paidKey, paid]);
  const claims = useDeskClaims(campaign, desk, s);

  if (error) return <ErrorNote error={error} />;
  if (!s || !claims.data || !union.data) return <p role="status">{t("common.loading")}</p>;
  const info = union.data.payoutDesks.find((d) => d.address.toLowerCase() === desk.toLowerCase());
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const rows = claims.data.map((c) => ({ ...c, paid: paid.includes(c.reference) }));
  const csv = deskCsv(rows.map((r) => ({ ...r, amount: formatAmount(r.amount, s.token.decimals, "", "en").trim() })));

  return (
    <section className="panel" aria-labelledby="desk-title">
      <h1 id="desk-title">
        {t("union.deskTitle")}: {info?.name ?? desk}
      </h1>
      <p>{s.metadata?.title}</p>
      {info && <p className="small">{lang === "fr" ? info.instructions.fr : info.instructions.en}</p>}
      <p className="small">{t("union.deskHelp")}</p>
      {rows.length === 0 ? (
        <p data-testid="desk-none">{t("union.deskNone")}</p>
      ) : (
        <table data-testid="desk-claims">
          <thead>
            <tr>
              <th scope="col">{t("union.deskReferenceCol")}</th>
              <th scope="col">{t("union.deskAmountCol")}</th>
              <th scope="col">{t("union.deskPaid")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.txHash + r.reference} data-testid="desk-claim">
                <td>
                  <code>{r.reference}</code>
                </td>
                <td>{fmt(r.amount)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t("union.deskPaid")} ${r.reference}`}
                    checked={r.paid}
                    data-testid={`desk-paid-${r.reference}`}
                    onChange={(e) =>
                      setPaid((list) =>
                        e.target.checked ? [...list, r.reference] : list.filter((x) => x !== r.reference),
                      )
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
  );
}
