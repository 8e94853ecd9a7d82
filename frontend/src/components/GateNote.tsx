import { zeroAddress } from "viem";
import { useApp } from "../hooks/app.tsx";
import type { CampaignStatic } from "../lib/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { EXPLORERS } from "../lib/config.ts";
import { shortAddress } from "../lib/format.ts";

/** An address, shortened, linked to the chain's explorer where there is one. */
export function AddressLink({ address }: { address: string }) {
  const { config } = useApp();
  const explorer = EXPLORERS[config.chainId];
  const text = <code title={address}>{shortAddress(address)}</code>;
  return explorer ? (
    <a href={`${explorer}/address/${address}`} rel="noreferrer noopener" target="_blank">
      {text}
    </a>
  ) : (
    text
  );
}

/**
 * Who checks the counts. On an open campaign (no attester, no oracle): that its counts are not
 * verified. On a gated one: who the attester and the oracle are (issue 8, MECHANISM "Gates").
 */
export function GateNote({ s }: { s: CampaignStatic }) {
  const { intl } = useI18n();
  const attester = s.params.attester !== zeroAddress;
  const oracle = s.params.oracle !== zeroAddress;
  if (!attester && !oracle) {
    return (
      <p className="note unverified" role="note" data-testid="gate-note">
        {intl.formatMessage({ id: "campaign.unverified" })}
      </p>
    );
  }
  return (
    <div className="note gated" role="note" data-testid="gate-note">
      {attester && (
        <p>
          {intl.formatMessage(
            { id: "campaign.gatedAttester" },
            { address: <AddressLink key="a" address={s.params.attester} /> },
          )}
        </p>
      )}
      {oracle && (
        <p>
          {intl.formatMessage(
            { id: "campaign.gatedOracle" },
            { address: <AddressLink key="o" address={s.params.oracle} /> },
          )}
        </p>
      )}
    </div>
  );
}
