import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Address, getAddress, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ANNOUNCEMENT_LIMITS, type TypedDataSigner, signDelegation } from "@bascule/core/announcements";
import { useApp } from "../hooks/app.tsx";
import { useWalletWrite } from "../hooks/useWallet.ts";
import { useI18n } from "../i18n/i18n.tsx";
import {
  type AnnouncementDraft,
  forgetDelegate,
  keepDelegate,
  newDelegateKey,
  revokeDelegate,
  signAndPublish,
  storedDelegate,
} from "../lib/announcements.ts";
import { formatDate } from "../lib/format.ts";
import { NotifierRequestError } from "../lib/notify.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { WalletButton } from "./WalletButton.tsx";

const DELEGATION_DAYS = 30;

/** The draft a filled form makes, or the message id of what is missing. */
export function draftOf(fields: {
  frTitle: string;
  frText: string;
  enTitle: string;
  enText: string;
  place: string;
  time: string;
  successor: string;
}): AnnouncementDraft | "announce.needOne" | "announce.badSuccessor" {
  const versions: AnnouncementDraft["versions"] = [];
  if (fields.frTitle.trim() && fields.frText.trim())
    versions.push({ lang: "fr", title: fields.frTitle, text: fields.frText });
  if (fields.enTitle.trim() && fields.enText.trim())
    versions.push({ lang: "en", title: fields.enTitle, text: fields.enText });
  if (versions.length === 0) return "announce.needOne";
  const successor = fields.successor.trim();
  if (successor && !isAddress(successor, { strict: false })) return "announce.badSuccessor";
  const at = fields.time ? Math.floor(new Date(fields.time).getTime() / 1000) : null;
  return {
    versions,
    place: fields.place.trim() || null,
    startTime: at !== null && Number.isFinite(at) && at > 0 ? at : null,
    successor: successor ? getAddress(successor) : null,
  };
}

const EMPTY = { frTitle: "", frText: "", enTitle: "", enText: "", place: "", time: "", successor: "" };

/**
 * The organiser's form on the campaign page: shown when the connected wallet is the campaign's
 * organiser, or when this browser holds a delegate key the organiser authorised for it. Writes a
 * French and/or an English version, an optional place and time and, once the campaign has failed,
 * the campaign that takes over; signs and publishes at the notifier. The organiser's wallet can also
 * revoke a delegate key (this browser's, or any other by its address) before its expiry.
 */
export function AnnounceForm({ s, failed }: { s: Pick<CampaignStatic, "address" | "organiser">; failed: boolean }) {
  const { t, lang, locale } = useI18n();
  const { config } = useApp();
  const wallet = useWalletWrite();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [delegate, setDelegate] = useState(() => storedDelegate(s.address));
  const [revokeAddress, setRevokeAddress] = useState("");
  const [revoking, setRevoking] = useState(false);
  const [revokeMessage, setRevokeMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const isOrganiser = wallet.address !== undefined && getAddress(wallet.address) === getAddress(s.organiser as Address);
  if (!config.notifierUrl) return null;
  if (!isOrganiser && !delegate) {
    // The organiser may not have connected yet (on a failed campaign nothing else asks for a wallet).
    return wallet.isConnected ? null : (
      <details className="panel small" data-testid="announce-connect">
        <summary>{t("announce.organiserConnect")}</summary>
        <WalletButton />
      </details>
    );
  }
  const notifierUrl = config.notifierUrl;

  const organiserSigner = (): TypedDataSigner => ({
    address: wallet.address!,
    signTypedData: ((data: never) => wallet.signTyped(data)) as TypedDataSigner["signTypedData"],
  });

  function explain(e: unknown): string {
    if (e instanceof NotifierRequestError && e.localized) return e.localized[lang];
    if (e instanceof NotifierRequestError) return t("notify.unreachable");
    return e instanceof Error ? e.message : String(e);
  }

  async function publish() {
    setError(null);
    setPublished(false);
    const draft = draftOf(fields);
    if (typeof draft === "string") return setError(t(draft));
    setBusy(true);
    try {
      const signer = isOrganiser ? organiserSigner() : privateKeyToAccount(delegate!.privateKey);
      await signAndPublish(
        notifierUrl,
        signer,
        s.address,
        config.chainId,
        { ...draft, successor: failed ? draft.successor : null },
        isOrganiser ? null : delegate!.delegation,
      );
      setFields(EMPTY);
      setPublished(true);
      await queryClient.invalidateQueries({ queryKey: ["announcements"] });
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  async function makeDelegate() {
    setError(null);
    try {
      const key = newDelegateKey();
      const expiry = Math.floor(Date.now() / 1000) + DELEGATION_DAYS * 86_400;
      const delegation = await signDelegation(organiserSigner(), s.address, config.chainId, key.address, expiry);
      const stored = { privateKey: key.privateKey, delegation };
      keepDelegate(s.address, stored);
      setDelegate(stored);
    } catch (e) {
      setError(explain(e));
    }
  }

  async function revoke() {
    setRevokeMessage(null);
    const typed = (revokeAddress.trim() || delegate?.delegation.delegate) ?? "";
    if (!isAddress(typed, { strict: false })) return setRevokeMessage({ ok: false, text: t("announce.revokeBad") });
    const target = getAddress(typed);
    setRevoking(true);
    try {
      await revokeDelegate(notifierUrl, organiserSigner(), s.address, config.chainId, target);
      if (delegate && getAddress(delegate.delegation.delegate) === target) {
        forgetDelegate(s.address);
        setDelegate(null);
      }
      setRevokeAddress("");
      setRevokeMessage({ ok: true, text: t("announce.revokeDone") });
      await queryClient.invalidateQueries({ queryKey: ["announcements"] });
    } catch (e) {
      setRevokeMessage({ ok: false, text: explain(e) });
    } finally {
      setRevoking(false);
    }
  }

  const field = (name: keyof typeof EMPTY) => ({
    value: fields[name],
    onChange: (e: { target: { value: string } }) => setFields({ ...fields, [name]: e.target.value }),
  });

  return (
    <section className="panel" aria-labelledby="announce-form-title" data-testid="announce-form">
      <h2 id="announce-form-title">{t("announce.formTitle")}</h2>
      <p className="small">{t("announce.formIntro")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void publish();
        }}
      >
        <label className="field">
          {t("announce.frTitle")}
          <input
            lang="fr"
            maxLength={ANNOUNCEMENT_LIMITS.title}
            data-testid="announce-fr-title"
            {...field("frTitle")}
          />
        </label>
        <label className="field">
          {t("announce.frText")}
          <textarea
            lang="fr"
            maxLength={ANNOUNCEMENT_LIMITS.text}
            rows={4}
            data-testid="announce-fr-text"
            {...field("frText")}
          />
        </label>
        <label className="field">
          {t("announce.enTitle")}
          <input
            lang="en"
            maxLength={ANNOUNCEMENT_LIMITS.title}
            data-testid="announce-en-title"
            {...field("enTitle")}
          />
        </label>
        <label className="field">
          {t("announce.enText")}
          <textarea
            lang="en"
            maxLength={ANNOUNCEMENT_LIMITS.text}
            rows={4}
            data-testid="announce-en-text"
            {...field("enText")}
          />
        </label>
        <label className="field">
          {t("announce.place")}
          <input maxLength={ANNOUNCEMENT_LIMITS.place} data-testid="announce-place" {...field("place")} />
        </label>
        <label className="field">
          {t("announce.time")}
          <input type="datetime-local" data-testid="announce-time" {...field("time")} />
        </label>
        {failed && (
          <label className="field">
            {t("announce.successorLabel")}
            <input spellCheck={false} data-testid="announce-successor" {...field("successor")} />
          </label>
        )}
        <button type="submit" disabled={busy} data-testid="announce-publish">
          {busy ? t("announce.busy") : t("announce.publish")}
        </button>
      </form>
      {published && (
        <p role="status" data-testid="announce-published">
          {t("announce.published")}
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="announce-error">
          {error}
        </p>
      )}
      {delegate ? (
        <p className="small" data-testid="announce-delegate">
          {t("announce.delegateOn", { date: formatDate(delegate.delegation.expiry, locale) })}{" "}
          <button
            type="button"
            className="link"
            onClick={() => {
              forgetDelegate(s.address);
              setDelegate(null);
            }}
          >
            {t("announce.delegateForget")}
          </button>
        </p>
      ) : (
        isOrganiser && (
          <p>
            <button type="button" onClick={() => void makeDelegate()} data-testid="announce-make-delegate">
              {t("announce.delegateMake")}
            </button>
          </p>
        )
      )}
      {isOrganiser && (
        <details className="small" data-testid="announce-revoke">
          <summary>{t("announce.revokeTitle")}</summary>
          <p>{t("announce.revokeIntro")}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void revoke();
            }}
          >
            <label className="field">
              {t("announce.revokeLabel")}
              <input
                spellCheck={false}
                placeholder={delegate?.delegation.delegate}
                data-testid="announce-revoke-address"
                value={revokeAddress}
                onChange={(e) => setRevokeAddress(e.target.value)}
              />
            </label>
            <button type="submit" disabled={revoking} data-testid="announce-revoke-submit">
              {t("announce.revoke")}
            </button>
          </form>
          {revokeMessage && (
            <p
              role={revokeMessage.ok ? "status" : "alert"}
              className={revokeMessage.ok ? undefined : "error"}
              data-testid="announce-revoke-message"
            >
              {revokeMessage.text}
            </p>
          )}
        </details>
      )}
    </section>
  );
}
