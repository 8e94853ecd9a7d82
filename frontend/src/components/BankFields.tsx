import { useI18n } from "../i18n/i18n.tsx";

/**
 * The bank account a desk pays, as the beneficiary types it for a slip (DeskSlipPanel) and as the
 * clerk types it again to check one (DeskPage): the IBAN and the holder's name, both hashed into
 * the slip's bankHash (packages/core/src/desk-slip.ts), so both forms must ask for the same fields.
 */
export function BankFields({
  testIdPrefix,
  iban,
  holder,
  onIban,
  onHolder,
  holderAutoComplete,
  ibanInvalid,
  holderInvalid,
}: {
  /** "slip" or "desk": the fields' test ids are `<prefix>-iban` and `<prefix>-holder`. */
  testIdPrefix: string;
  iban: string;
  holder: string;
  onIban(value: string): void;
  onHolder(value: string): void;
  /** "name" on the beneficiary's own device; "off" at the desk, where each name is someone else's. */
  holderAutoComplete: "name" | "off";
  ibanInvalid?: boolean;
  holderInvalid?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t("union.deskIbanLabel")}
        <input
          value={iban}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={ibanInvalid}
          className="iban"
          data-testid={`${testIdPrefix}-iban`}
          onChange={(e) => onIban(e.target.value)}
        />
      </label>
      <label>
        {t("union.deskHolderLabel")}
        <input
          value={holder}
          autoComplete={holderAutoComplete}
          aria-invalid={holderInvalid}
          data-testid={`${testIdPrefix}-holder`}
          onChange={(e) => onHolder(e.target.value)}
        />
      </label>
    </>
  );
}
