import { type ReactNode, useState } from "react";
import { type Address, getAddress } from "viem";
import { useI18n } from "../i18n/i18n.tsx";
import { payeeProblem } from "../lib/payee.ts";

/**
 * The claim form's payee: a wallet address typed by the beneficiary, refused before anything is
 * signed when the support would be lost there (address zero, the campaign, its factory or token, the
 * receipt's own key: lib/payee.ts), with the reason in the reader's language.
 */
export function PayeeForm({
  known,
  disabled,
  onClaim,
  children,
}: {
  known: { campaign: Address; factory: Address; token: Address; pledgeKey: Address };
  disabled: boolean;
  onClaim: (payee: Address) => void;
  /** What the claim would pay now, in words, shown above the field. */
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const [payee, setPayee] = useState("");
  const problem = payeeProblem(payee, known);
  const ready = payee !== "" && problem === null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onClaim(getAddress(payee));
      }}
    >
      {children}
      <div className="field">
        <label htmlFor="payee">{t("receipt.payee")}</label>
        <input
          id="payee"
          className="address-input"
          value={payee}
          onChange={(e) => setPayee(e.target.value.trim())}
          aria-invalid={problem !== null}
          aria-describedby={problem ? "payee-error" : undefined}
          placeholder="0x…"
          autoComplete="off"
          spellCheck={false}
          data-testid="payee"
        />
      </div>
      {problem && (
        <p id="payee-error" className="error" data-testid="payee-error" data-problem={problem}>
          {t(problem)}
        </p>
      )}
      <button type="submit" className="primary" disabled={disabled || !ready} data-testid="claim-submit">
        {t("receipt.claimButton")}
      </button>
    </form>
  );
}
