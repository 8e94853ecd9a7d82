import { useEffect, useState } from "react";
import type { Address } from "viem";
import { campaignUrl, href, posterPath } from "@bascule/core/routes";
import { useI18n } from "../i18n/i18n.tsx";

/** The campaign's address in this dApp, as people will open it. */
export function campaignLink(campaign: Address): string {
  return campaignUrl(`${window.location.origin}${window.location.pathname}`, campaign);
}

const CREATED = "bascule.created";

/** Remembers, for this tab only, that this campaign was just created here (to say "share it now"). */
export function markCreated(campaign: Address): void {
  try {
    sessionStorage.setItem(CREATED, campaign.toLowerCase());
  } catch {
    // private mode: no highlight
  }
}

export function justCreated(campaign: Address): boolean {
  try {
    return sessionStorage.getItem(CREATED) === campaign.toLowerCase();
  } catch {
    return false;
  }
}

/** A QR code of `text` as a data: URL (the encoder is loaded on demand). */
export function useQrCode(text: string, width: number): string | null {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import("qrcode").then((q) =>
      q.toDataURL(text, { errorCorrectionLevel: "M", margin: 1, width }).then((url) => {
        if (live) setQr(url);
      }),
    );
    return () => {
      live = false;
    };
  }, [text, width]);
  return qr;
}

/** Share: the link, a QR code, the system share sheet where there is one, and the printable poster. */
export function SharePanel({ campaign, justCreated = false }: { campaign: Address; justCreated?: boolean }) {
  const { t } = useI18n();
  const link = campaignLink(campaign);
  const qr = useQrCode(link, 200);
  const [copied, setCopied] = useState(false);
  const canShare = typeof navigator.share === "function";
  return (
    <section
      className={`panel share${justCreated ? " highlight" : ""}`}
      aria-labelledby="share-title"
      data-testid="share-panel"
    >
      <h2 id="share-title">{t("share.title")}</h2>
      {justCreated && (
        <p className="ok" role="status" data-testid="share-created">
          {t("share.created")}
        </p>
      )}
      <label htmlFor="share-link">{t("share.link")}</label>
      <input id="share-link" data-testid="share-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
      <div className="row">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true))}>
          {copied ? t("share.copied") : t("share.copy")}
        </button>
        {canShare && (
          <button type="button" onClick={() => void navigator.share({ url: link }).catch(() => undefined)}>
            {t("share.native")}
          </button>
        )}
        <a className="button" href={href(posterPath(campaign))} data-testid="poster-link">
          {t("share.poster")}
        </a>
      </div>
      {qr && (
        <img src={qr} alt={t("share.qrAlt")} width={200} height={200} className="share-qr" data-testid="share-qr" />
      )}
    </section>
  );
}
