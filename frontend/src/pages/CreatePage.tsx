import { useState } from "react";
import { isAddress, keccak256, toHex } from "viem";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { WalletButton } from "../components/WalletButton.tsx";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { createdCampaign } from "@bascule/core/replay";
import { useApp } from "../hooks/app.tsx";
import { useTokenInfo } from "../hooks/useTokenInfo.ts";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { embedMetadata } from "@bascule/core/metadata";
import { type CreateErrors, type CreateForm, parseLadder, validateCreate } from "../lib/validate.ts";
import { parseAmount } from "../lib/format.ts";
import { markCreated } from "../components/SharePanel.tsx";
import { navigate } from "../router.ts";
import { campaignPath, unionPath } from "@bascule/core/routes";
import { useConfig } from "wagmi";
import {
  UnionSetup,
  type UnionSetupErrors,
  VERIFIER_STAND_IN,
  checkUnionSetup,
  createUnionCampaign,
  initialUnionSetup,
} from "../components/UnionSetup.tsx";

const initial: CreateForm = {
  title: "",
  text: "",
  place: "",
  preset: "125",
  ladderMax: "1000",
  ladderCustom: "10, 50, 100",
  deadline: "",
  actionDate: "",
  token: "",
  cap: "0",
  decimals: 18,
  attester: "",
  oracle: "",
  oracleWindowDays: "0",
  claimWindowDays: "30",
  finalLockHours: "24",
  conditions: "proposed",
  conditionsCustom: "50, 100",
};

/** Organiser: create a campaign, every rule of the factory checked before the wallet opens. */
export function CreatePage() {
  const { t, lang } = useI18n();
  const { client, config } = useApp();
  const wallet = useWalletWrite();
  const [form, setForm] = useState<CreateForm>(initial);
  const [errors, setErrors] = useState<CreateErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // The union's section (invite codes, payout desks): its own component, its own state.
  const wagmiConfig = useConfig();
  const [union, setUnion] = useState(() => initialUnionSetup(config));
  const [unionErrors, setUnionErrors] = useState<UnionSetupErrors>({});
  const [step, setStep] = useState<string | null>(null);
  const set = (k: keyof CreateForm) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const ladderPreview = parseLadder(form);
  // The cap is typed in the token's units: read its decimals and symbol before parsing it.
  const token = useTokenInfo(form.token);
  const unit = form.token === "" ? "ETH" : (token.data?.symbol ?? "?");
  // Conditions are on support: offered only once the campaign pays some (a cap above 0).
  const capTyped = parseAmount(form.cap, form.token === "" ? 18 : (token.data?.decimals ?? 18));
  const withSupport = capTyped !== null && capTyped > 0n;
  // A well-formed address that does not answer decimals() and symbol() is not a token: say so as
  // soon as it is typed, not "not a valid address".
  const tokenTyped = form.token !== "" && isAddress(form.token);
  const tokenError = tokenTyped && token.isError ? t("create.errNotToken") : undefined;
  const shown: CreateErrors = { ...errors, token: errors.token ?? tokenError };

  async function submit() {
    setError(null);
    const block = await client.getBlock({ blockTag: "latest" });
    const now = Math.max(Math.floor(Date.now() / 1000), Number(block.timestamp));
    if (form.token !== "" && !token.data) {
      setErrors({
        token: !isAddress(form.token)
          ? t("errors.address")
          : token.isError
            ? t("create.errNotToken")
            : t("create.tokenChecking"),
      });
      return;
    }
    const { params, errors } = validateCreate(
      {
        ...form,
        decimals: form.token === "" ? 18 : token.data!.decimals,
        // With invite codes the attester is the verifier deployed just before the campaign.
        ...(union.inviteCodes ? { attester: VERIFIER_STAND_IN } : {}),
      },
      now,
      t,
    );
    setErrors(errors);
    const unionCheck = checkUnionSetup(union, t);
    setUnionErrors(unionCheck.errors);
    if (!params || !unionCheck.desks) return;
    setBusy(true);
    try {
      const doc = {
        title: form.title.trim(),
        text: form.text.trim(),
        actionDate: form.actionDate,
        place: form.place.trim(),
        languages: [lang],
      };
      if (union.inviteCodes) {
        const campaign = await createUnionCampaign({
          wagmiConfig,
          client,
          config,
          value: union,
          desks: unionCheck.desks,
          organiserName: unionCheck.organiserName,
          doc,
          params,
          onStep: setStep,
        });
        markCreated(campaign);
        navigate(unionPath(campaign));
        return;
      }
      const { uri, hash } = embedMetadata({
        ...doc,
        ...(unionCheck.organiserName ? { organiserName: unionCheck.organiserName } : {}),
        ...(unionCheck.desks.length > 0 ? { payoutDesks: unionCheck.desks } : {}),
      });
      const salt = keccak256(toHex(crypto.getRandomValues(new Uint8Array(32))));
      const txHash = await wallet.write({
        address: config.factory,
        abi: campaignFactoryAbi,
        functionName: "createCampaign",
        args: [{ ...params, metadataHash: hash }, uri, salt],
      });
      const receipt = await client.getTransactionReceipt({ hash: txHash });
      const campaign = createdCampaign(receipt.logs);
      markCreated(campaign);
      navigate(campaignPath(campaign));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setStep(null);
    }
  }

  const help: Partial<Record<keyof CreateForm, string>> = {
    title: t("create.helpTitle"),
    text: t("create.helpText"),
    place: t("create.helpPlace"),
    preset: t("create.helpLadder"),
    deadline: t("create.helpDeadline"),
    actionDate: t("create.helpAction"),
    token: t("create.helpToken"),
    cap: t("create.helpCap"),
    attester: t("create.helpAttester"),
    oracle: t("create.helpOracle"),
    oracleWindowDays: t("create.helpOracleWindow"),
    claimWindowDays: t("create.helpClaimWindow"),
    finalLockHours: t("create.helpFinalLock"),
    conditions: t("create.helpConditions"),
  };
  const describedBy = (k: keyof CreateForm) =>
    [help[k] ? `h-${k}` : "", shown[k] ? `e-${k}` : ""].filter(Boolean).join(" ") || undefined;
  const field = (k: keyof CreateForm, label: string, input: React.ReactNode) => (
    <div className="field">
      <label htmlFor={`f-${k}`}>{label}</label>
      {help[k] && (
        <p className="small help" id={`h-${k}`}>
          {help[k]}
        </p>
      )}
      {input}
      {shown[k] && (
        <p className="error" id={`e-${k}`} data-testid={`create-error-${k}`}>
          {shown[k]}
        </p>
      )}
      {k === "token" && tokenTyped && !shown.token && (
        <p className="small" role="status" data-testid="create-token-info">
          {token.data
            ? t("create.tokenFound", { symbol: token.data.symbol, decimals: token.data.decimals })
            : t("create.tokenChecking")}
        </p>
      )}
    </div>
  );
  const text = (k: keyof CreateForm, label: string, type = "text") =>
    field(
      k,
      label,
      <input
        id={`f-${k}`}
        type={type}
        value={String(form[k])}
        onChange={set(k)}
        aria-invalid={!!shown[k]}
        aria-describedby={describedBy(k)}
      />,
    );

  return (
    <article>
      <h1>{t("create.createTitle")}</h1>
      <p className="note" data-testid="who-needs-wallet">
        {t("create.whoNeedsWallet")}
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {text("title", t("create.title"))}
        {field(
          "text",
          t("create.text"),
          <textarea
            id="f-text"
            value={form.text}
            onChange={set("text")}
            rows={3}
            aria-describedby={describedBy("text")}
          />,
        )}
        {text("place", t("create.place"))}
        {field(
          "preset",
          t("create.ladderPreset"),
          <select id="f-preset" value={form.preset} onChange={set("preset")} aria-describedby={describedBy("preset")}>
            <option value="125">{t("create.preset125")}</option>
            <option value="custom">{t("create.presetCustom")}</option>
          </select>,
        )}
        {form.preset === "125"
          ? text("ladderMax", t("create.ladderMax"), "number")
          : text("ladderCustom", t("create.ladderCustom"))}
        {ladderPreview && <p className="muted">{ladderPreview.join(" · ")}</p>}
        {text("deadline", t("common.deadline"), "datetime-local")}
        {text("actionDate", t("common.actionDate"), "date")}
        {text("token", t("create.tokenErc20"))}
        {text("cap", `${t("create.cap")} (${unit})`)}
        {withSupport &&
          field(
            "conditions",
            t("create.conditions"),
            <select
              id="f-conditions"
              value={form.conditions}
              onChange={set("conditions")}
              aria-describedby={describedBy("conditions")}
              data-testid="create-conditions"
            >
              <option value="proposed">{t("create.conditionsProposed")}</option>
              <option value="none">{t("create.conditionsNone")}</option>
              <option value="custom">{t("create.conditionsCustom")}</option>
            </select>,
          )}
        {withSupport && form.conditions === "custom" && text("conditionsCustom", t("create.conditionsCustomLabel"))}
        {text("finalLockHours", t("create.finalLockHours"), "number")}
        <fieldset className="gates">
          <legend>{t("create.gatesTitle")}</legend>
          <p className="small">{t("create.gatesExplain")}</p>
          {!union.inviteCodes && text("attester", t("create.attester"))}
          {text("oracle", t("create.oracle"))}
          {text("oracleWindowDays", t("create.oracleWindowDays"), "number")}
        </fieldset>
        {text("claimWindowDays", t("create.claimWindowDays"), "number")}
        <UnionSetup
          value={union}
          errors={unionErrors}
          keeperAddress={config.keeperAddress}
          onChange={(next) => {
            // Invite codes just chosen: the union's publishing service becomes the participation
            // oracle (shown, and changeable, in the fields above) unless one was typed.
            if (next.inviteCodes && !union.inviteCodes && config.keeperAddress && form.oracle === "")
              setForm({
                ...form,
                oracle: config.keeperAddress,
                oracleWindowDays: form.oracleWindowDays === "0" ? "3" : form.oracleWindowDays,
              });
            setUnion(next);
          }}
        />
        {wallet.isConnected ? (
          <button type="submit" className="primary" disabled={busy}>
            {t("create.createButton")}
          </button>
        ) : (
          <WalletButton />
        )}
        {step && (
          <p role="status" data-testid="union-step">
            {t(`officer.step.${step}` as "officer.step.key")}
          </p>
        )}
        <ErrorNote error={error} />
      </form>
    </article>
  );
}
