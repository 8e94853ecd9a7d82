import { useState } from "react";
import type { Address } from "viem";
import { useI18n } from "../i18n/i18n.tsx";

/**
 * An account as people know it: the name the campaign's description gives (the organiser, a payout
 * desk, the union's services), with the address one tap away; the address itself where there is no
 * name.
 */
export function AccountName({ address, name }: { address: Address; name?: string | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!name) return <code data-testid="account-address">{address}</code>;
  return (
    <span className="account-name" data-testid="account-name">
      <strong>{name}</strong>{" "}
      <button
        type="button"
        className="link"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="account-toggle"
      >
        {t(open ? "officer.hideAddress" : "officer.showAddress")}
      </button>
      {open && (
        <>
          {" "}
          <code data-testid="account-address">{address}</code>
        </>
      )}
    </span>
  );
}
