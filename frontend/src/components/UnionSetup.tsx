import type { Config } from "wagmi";
import { getAccount, getWalletClient, switchChain } from "wagmi/actions";
import { type Address, type Hex, type PublicClient, getAddress, isAddress, keccak256, toHex, zeroAddress } from "viem";
import { DESK_LIMITS, type MetadataDocument, type PayoutDeskEntry, embedMetadata } from "@bascule/core/metadata";
import type { CampaignParameters } from "@bascule/core/campaign-params";
import { type BlindStep, bindKeyAtAttester, createAttesterKey, createBlindCampaign } from "@bascule/core/union-setup";
import type { AppConfig } from "../lib/config.ts";
import { WrongNetworkError } from "../lib/errors.ts";
import { serviceUrl } from "../lib/union.ts";
import { type Translate, useI18n } from "../i18n/i18n.tsx";
import { AccountName } from "./AccountName.tsx";

/** A payout desk as the officer types it. */
export interface DeskDraft {
  name: string;
  contact: string;
  instructions: string;
  address: string;
}

/** The create page's union section: invite codes (a blind-voucher verifier) and payout desks. */
export interface UnionSetupValue {
  /** The union's name, shown instead of the organiser's account. */
  organiserName: string;
  inviteCodes: boolean;
  attesterUrl: string;
  /** The attester's organiser token: React state, then this tab's sessionStorage for the codes page. */
  token: string;
  desks: DeskDraft[];
}

export type UnionSetupErrors = Partial<Record<"organiserName" | "attesterUrl" | "token" | "desks", string>> & {
  desk?: Partial<Record<keyof DeskDraft, string>>[];
};

/** What the attester's organiser token is kept under for a campaign (the codes page reads it). */
export const attesterTokenKey = (campaign: Address) => `bascule.attester-token.${campaign.toLowerCase()}`;

/** Stands in for the verifier while the rest of the form is checked (money needs a gate), as the CLI does. */
export const VERIFIER_STAND_IN = "0x0000000000000000000000000000000000000001";

export function initialUnionSetup(config: Pick<AppConfig, "attesterUrl">): UnionSetupValue {
  return { organiserName: "", inviteCodes: false, attesterUrl: config.attesterUrl ?? "", token: "", desks: [] };
}

const emptyDesk: DeskDraft = { name: "", contact: "", instructions: "", address: "" };

/**
 * Checks the union section: the service's address and token when there are invite codes; each desk
 * named, with instructions, an account that is an address, not the zero address (support sent there
 * is burnt), and not another desk's. Returns the desks as the metadata carries them (the one text of
 * instructions under both languages: the union writes them once, in its own), or the errors.
 * @example checkUnionSetup({ inviteCodes: false, attesterUrl: "", token: "", desks: [] }, t) // { desks: [], errors: {} }
 */
export function checkUnionSetup(
  v: UnionSetupValue,
  t: Translate,
): { desks: PayoutDeskEntry[] | null; organiserName: string | null; errors: UnionSetupErrors } {
  const errors: UnionSetupErrors = {};
  if (v.organiserName.trim().length > DESK_LIMITS.organiserName)
    errors.organiserName = t("officer.errTooLong", { count: DESK_LIMITS.organiserName });
  if (v.inviteCodes) {
    if (v.attesterUrl.trim() === "") errors.attesterUrl = t("officer.errRequired");
    else if (!/^(https?:\/\/|\.{0,2}\/)/.test(v.attesterUrl.trim())) errors.attesterUrl = t("officer.errUrl");
    if (v.token.trim() === "") errors.token = t("officer.errRequired");
  }
  if (v.desks.length > DESK_LIMITS.desks) errors.desks = t("officer.errTooManyDesks", { count: DESK_LIMITS.desks });
  const seen = new Set<string>();
  const deskErrors = v.desks.map((d) => {
    const e: Partial<Record<keyof DeskDraft, string>> = {};
    const long = (k: "name" | "contact" | "instructions", max: number) => {
      if (d[k].trim().length > max) e[k] = t("officer.errTooLong", { count: max });
    };
    if (d.name.trim() === "") e.name = t("officer.errRequired");
    long("name", DESK_LIMITS.name);
    long("contact", DESK_LIMITS.contact);
    if (d.instructions.trim() === "") e.instructions = t("officer.errRequired");
    long("instructions", DESK_LIMITS.instructions);
    const a = d.address.trim();
    if (!isAddress(a, { strict: false })) e.address = t("officer.errDeskAddress");
    else if (a.toLowerCase() === zeroAddress) e.address = t("officer.errDeskZero");
    else if (seen.has(a.toLowerCase())) e.address = t("officer.errDeskTwice");
    else seen.add(a.toLowerCase());
    return e;
  });
  if (deskErrors.some((e) => Object.keys(e).length > 0)) errors.desk = deskErrors;
  if (Object.keys(errors).length > 0) return { desks: null, organiserName: null, errors };
  return {
    errors,
    organiserName: v.organiserName.trim() || null,
    desks: v.desks.map((d) => ({
      name: d.name.trim(),
      // Checksummed: the reader (lib/union.ts) takes only a well-formed address, as typed in any case.
      address: getAddress(d.address.trim()),
      ...(d.contact.trim() ? { contact: d.contact.trim() } : {}),
      instructions: { en: d.instructions.trim(), fr: d.instructions.trim() },
    })),
  };
}

/**
 * Creates the union campaign from the officer's wallet, in the CLI's order
 * (packages/core/src/union-setup.ts): a new campaign key at the union's service (organiser token),
 * the description naming that service, key and the desks, then the verifier bound to the predicted
 * campaign and the campaign. The token is kept in this tab only, for the codes page that follows.
 */
export async function createUnionCampaign(o: {
  wagmiConfig: Config;
  client: PublicClient;
  config: AppConfig;
  value: UnionSetupValue;
  desks: PayoutDeskEntry[];
  organiserName: string | null;
  doc: MetadataDocument;
  /** The factory's parameters but the description's hash, made here with the key's id. */
  params: Omit<CampaignParameters, "metadataHash">;
  onStep: (step: BlindStep | "key") => void;
}): Promise<Address> {
  if (getAccount(o.wagmiConfig).chainId !== o.config.chainId) {
    try {
      await switchChain(o.wagmiConfig, { chainId: o.config.chainId });
    } catch {
      throw new WrongNetworkError("wrong network");
    }
  }
  const wallet = await getWalletClient(o.wagmiConfig, { chainId: o.config.chainId });
  const url = serviceUrl(o.value.attesterUrl.trim());
  const token = o.value.token.trim();
  o.onStep("key");
  const key = await createAttesterKey(url, token, o.doc.title);
  const { uri, hash } = embedMetadata({
    ...o.doc,
    ...(o.organiserName ? { organiserName: o.organiserName } : {}),
    // As typed ("./attester" stays relative to wherever the dApp is served).
    attester: { url: o.value.attesterUrl.trim(), keyId: key.keyId },
    ...(o.desks.length > 0 ? { payoutDesks: o.desks } : {}),
  });
  const salt: Hex = keccak256(toHex(crypto.getRandomValues(new Uint8Array(32))));
  const { campaign } = await createBlindCampaign({
    wallet,
    client: o.client,
    factory: o.config.factory,
    params: { ...o.params, metadataHash: hash },
    metadataURI: uri,
    salt,
    key: { modulus: key.modulus, exponent: BigInt(key.exponent) },
    bind: (address, chainId) => bindKeyAtAttester(url, token, key.keyId, chainId, address),
    onStep: o.onStep,
  });
  sessionStorage.setItem(attesterTokenKey(campaign), token);
  return campaign;
}

/** The create page's union section (a component of its own: the page's other fields change apart). */
export function UnionSetup(p: {
  value: UnionSetupValue;
  onChange: (value: UnionSetupValue) => void;
  errors: UnionSetupErrors;
  keeperAddress?: Address;
}) {
  const { t } = useI18n();
  const v = p.value;
  const set = (patch: Partial<UnionSetupValue>) => p.onChange({ ...v, ...patch });
  const setDesk = (i: number, patch: Partial<DeskDraft>) =>
    set({ desks: v.desks.map((d, j) => (j === i ? { ...d, ...patch } : d)) });
  const input = (
    id: string,
    label: string,
    value: string,
    onValue: (value: string) => void,
    error: string | undefined,
    extra: { type?: string; help?: string; testId?: string; multiline?: boolean } = {},
  ) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {extra.help && (
        <p className="small help" id={`${id}-help`}>
          {extra.help}
        </p>
      )}
      {extra.multiline ? (
        <textarea
          id={id}
          rows={2}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={[extra.help ? `${id}-help` : "", error ? `${id}-error` : ""].join(" ").trim() || undefined}
          data-testid={extra.testId}
        />
      ) : (
        <input
          id={id}
          type={extra.type ?? "text"}
          autoComplete={extra.type === "password" ? "off" : undefined}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={[extra.help ? `${id}-help` : "", error ? `${id}-error` : ""].join(" ").trim() || undefined}
          data-testid={extra.testId}
        />
      )}
      {error && (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
  return (
    <fieldset className="gates" data-testid="union-setup">
      <legend>{t("officer.title")}</legend>
      <p className="small">{t("officer.explain")}</p>
      {input(
        "u-organiser-name",
        t("officer.organiserName"),
        v.organiserName,
        (x) => set({ organiserName: x }),
        p.errors.organiserName,
        { help: t("officer.organiserNameHelp"), testId: "union-organiser-name" },
      )}
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={v.inviteCodes}
            onChange={(e) => set({ inviteCodes: e.target.checked })}
            data-testid="union-invite-codes"
          />{" "}
          {t("officer.inviteCodes")}
        </label>
      </div>
      {v.inviteCodes && (
        <>
          <p className="small">{t("officer.inviteHelp")}</p>
          {input(
            "u-attester-url",
            t("officer.serviceUrl"),
            v.attesterUrl,
            (x) => set({ attesterUrl: x }),
            p.errors.attesterUrl,
            {
              help: t("officer.serviceHelp"),
              testId: "union-attester-url",
            },
          )}
          {input("u-token", t("officer.token"), v.token, (x) => set({ token: x }), p.errors.token, {
            type: "password",
            help: t("officer.tokenHelp"),
            testId: "union-token",
          })}
          <p className="small" data-testid="union-keeper">
            {p.keeperAddress ? (
              <>
                {t("officer.keeper", { name: t("officer.publisher") })}{" "}
                <AccountName address={p.keeperAddress} name={t("officer.publisher")} />
              </>
            ) : (
              t("officer.noKeeper")
            )}
          </p>
        </>
      )}
      <h3>{t("officer.desks")}</h3>
      <p className="small">{t("officer.desksHelp")}</p>
      {v.desks.length === 0 && <p className="small muted">{t("officer.desksNone")}</p>}
      {p.errors.desks && <p className="error">{p.errors.desks}</p>}
      {v.desks.map((d, i) => {
        const e = p.errors.desk?.[i] ?? {};
        return (
          <fieldset key={i} className="desk-draft" data-testid="union-desk">
            <legend>{t("officer.deskLegend", { id: i + 1 })}</legend>
            {input(`u-desk-${i}-name`, t("officer.deskName"), d.name, (x) => setDesk(i, { name: x }), e.name, {
              testId: "union-desk-name",
            })}
            {input(
              `u-desk-${i}-contact`,
              t("officer.deskContact"),
              d.contact,
              (x) => setDesk(i, { contact: x }),
              e.contact,
              { testId: "union-desk-contact" },
            )}
            {input(
              `u-desk-${i}-instructions`,
              t("officer.deskInstructions"),
              d.instructions,
              (x) => setDesk(i, { instructions: x }),
              e.instructions,
              { testId: "union-desk-instructions", multiline: true },
            )}
            {input(
              `u-desk-${i}-address`,
              t("officer.deskAddress"),
              d.address,
              (x) => setDesk(i, { address: x }),
              e.address,
              { testId: "union-desk-address" },
            )}
            <button
              type="button"
              onClick={() => set({ desks: v.desks.filter((_, j) => j !== i) })}
              data-testid="union-desk-remove"
            >
              {t("officer.deskRemove")}
            </button>
          </fieldset>
        );
      })}
      {v.desks.length < DESK_LIMITS.desks && (
        <button type="button" onClick={() => set({ desks: [...v.desks, emptyDesk] })} data-testid="union-desk-add">
          {t("officer.deskAdd")}
        </button>
      )}
    </fieldset>
  );
}
