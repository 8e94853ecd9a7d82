import { useState } from "react";
import type { Address, LocalAccount } from "viem";
import { bankHash, friendlyIban, signDeskSlip } from "@bascule/core/desk-slip";
import { useI18n } from "../i18n/i18n.tsx";
import type { PayoutDesk } from "../lib/union.ts";
import { BankFields } from "./BankFields.tsx";
import { QrImage } from "./QrImage.tsx";

/**
 * A receipt's desk slip (issue 20): the bank account the beneficiary wants paid, typed here, and the
 * pledge key's signature over it for one desk (packages/core/src/desk-slip.ts), as a QR code and as
 * text. Nothing is stored: the same details typed again make the same slip, at any time.
 */
export function DeskSlipPanel({
  pledgeKey,
  campaign,
  chainId,
  desks,
  initialDesk,
}: {
  pledgeKey: LocalAccount;
  campaign: Address;
  chainId: number;
  desks: readonly PayoutDesk[];
  initialDesk?: Address;
}) {
  const { t } = useI18n();
  const [deskAddress, setDeskAddress] = useState<Address>(initialDesk ?? desks[0].address);
  const [iban, setIban] = useState("");
  const [holder, setHolder] = useState("");
  const [slip, setSlip] = useState<{ text: string; iban: string; holder: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const desk = desks.find((d) => d.address === deskAddress) ?? desks[0];

  async function make() {
    setCopied(false);
    const h = bankHash({ iban, holder });
    if (!h.ok) {
      setSlip(null);
      setProblem(h.reason);
      return;
    }
    setProblem(null);
    const text = await signDeskSlip(pledgeKey, { chainId, campaign, desk: desk.address, bankHash: h.hash });
    setSlip({ text, iban: friendlyIban(h.iban), holder: holder.trim() });
  }

  return (
    <section className="panel" aria-labelledby="slip-title" data-testid="desk-slip-panel">
      <h2 id="slip-title">{t("union.slipTitle")}</h2>
      <p className="small">{t("union.slipHelp", { desk: desk.name })}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void make();
        }}
      >
        <div className="form-row">
          {desks.length > 1 && (
            <label>
              {t("union.slipDesk")}
              <select
                value={desk.address}
                data-testid="slip-desk"
                onChange={(e) => {
                  setDeskAddress(e.target.value as Address);
                  setSlip(null);
                }}
              >
                {desks.map((d) => (
                  <option key={d.address} value={d.address}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <BankFields
            testIdPrefix="slip"
            iban={iban}
            holder={holder}
            onIban={(value) => {
              setIban(value);
              setSlip(null);
            }}
            onHolder={(value) => {
              setHolder(value);
              setSlip(null);
            }}
            holderAutoComplete="name"
            ibanInvalid={problem?.startsWith("iban") ?? false}
            holderInvalid={problem === "nameMissing"}
          />
        </div>
        <button type="submit" className="primary" data-testid="slip-make">
          {t("union.slipMake")}
        </button>
      </form>
      {problem && (
        <p className="error" role="alert" data-testid="slip-problem" data-reason={problem}>
          {t(`union.desk.${problem as "ibanMissing"}`)}
        </p>
      )}
      {slip && (
        <div data-testid="slip-made">
          <p>{t("union.slipMade", { desk: desk.name, iban: slip.iban, holder: slip.holder })}</p>
          <QrImage text={slip.text} alt={t("union.slipTitle")} size={260} testId="slip-qr" />
          <p className="attendance-text" data-testid="slip-text">
            {slip.text}
          </p>
          <button
            type="button"
            onClick={() => void navigator.clipboard?.writeText(slip.text).then(() => setCopied(true))}
            data-testid="slip-copy"
          >
            {copied ? t("union.slipCopied") : t("union.slipCopy")}
          </button>
        </div>
      )}
    </section>
  );
}
