import { zeroAddress } from "viem";
import { useApp } from "../hooks/app.tsx";
import { useUnion } from "../hooks/useUnion.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { EXPLORERS } from "../lib/config.ts";
import { shortAddress } from "../lib/format.ts";
import { AccountName } from "./AccountName.tsx";

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
 * Who confirms presence, by name where one is known: the union's publishing service (the keeper
 * this dApp is configured with), or the organiser named in the description; else the account.
 */
function OracleName({ s }: { s: CampaignStatic }) {
  const { t } = useI18n();
  const { config } = useApp();
  const oracle = s.params.oracle.toLowerCase();
  const name =
    config.keeperAddress && oracle === config.keeperAddress.toLowerCase()
      ? t("officer.publisher")
      : oracle === s.organiser.toLowerCase() && s.union.organiserName
        ? s.union.organiserName
        : null;
  return name ? <AccountName address={s.params.oracle} name={name} /> : <AddressLink address={s.params.oracle} />;
}

/**
 * What the attester is, said plainly (issue 20: the factory takes any non-zero attester, so "gated"
 * alone proves nothing): Bascule's verifier bound to this campaign, an account (the organiser's own or
 * not), a look-alike's verifier (bound to another campaign), or a contract we cannot check.
 */
function AttesterLine({ s }: { s: CampaignStatic }) {
  const { intl } = useI18n();
  const union = useUnion(s);
  const address = <AddressLink key="a" address={s.params.attester} />;
  const gate = union.data?.gate;
  if (!gate) {
    return (
      <p data-testid="gate-attester" data-gate="checking">
        {intl.formatMessage({ id: "campaign.gateChecking" }, { address })}
      </p>
    );
  }
  const id =
    gate.kind === "verified"
      ? "campaign.gateVerified"
      : gate.kind === "look-alike"
        ? "campaign.gateLookAlike"
        : gate.kind === "unchecked"
          ? "campaign.gateUnchecked"
          : gate.kind === "account" && gate.organiser
            ? "campaign.gateAccountOrganiser"
            : "campaign.gateAccount";
  const warn = gate.kind === "look-alike" || gate.kind === "unchecked";
  return (
    <p
      data-testid="gate-attester"
      data-gate={gate.kind}
      className={warn ? "warning" : undefined}
      role={warn ? "alert" : undefined}
    >
      {intl.formatMessage(
        { id },
        {
          address,
          campaign: gate.kind === "look-alike" ? <AddressLink key="c" address={gate.boundTo} /> : "",
        },
      )}
    </p>
  );
}

/**
 * Who checks the counts. On an open campaign (no attester, no oracle): that its counts are not
 * verified. On a gated one: who the attester and the oracle are (issue 8, MECHANISM "Gates"), the
 * attester classified from its code (above). Shown on the campaign page, the receipt and the verify page.
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
      {attester && <AttesterLine s={s} />}
      {oracle && <p>{intl.formatMessage({ id: "campaign.gatedOracle" }, { address: <OracleName key="o" s={s} /> })}</p>}
    </div>
  );
}

/**
 * The warning a donor sees before signing, when the attester may accept anyone or the campaign is a
 * look-alike (nothing for a verified gate, an account, or none).
 */
export function DonateGateWarning({ s }: { s: CampaignStatic }) {
  const { intl } = useI18n();
  const union = useUnion(s);
  const gate = union.data?.gate;
  if (!gate || (gate.kind !== "unchecked" && gate.kind !== "look-alike")) return null;
  return (
    <p className="warning" role="alert" data-testid="donate-gate-warning" data-gate={gate.kind}>
      {intl.formatMessage(
        { id: gate.kind === "unchecked" ? "donate.gateUnchecked" : "donate.gateLookAlike" },
        {
          address: <AddressLink key="a" address={s.params.attester} />,
          campaign: gate.kind === "look-alike" ? <AddressLink key="c" address={gate.boundTo} /> : "",
        },
      )}
    </p>
  );
}
