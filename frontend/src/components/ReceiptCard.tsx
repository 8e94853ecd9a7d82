import { useEffect, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { type Receipt, receiptFile } from "../lib/receipt.ts";

/**
 * The receipt, in each of its forms: the plain link (key in the fragment), a QR code, a file, a link
 * protected by a passphrase, and this device; with one plain sentence on where each one is kept.
 */
export function ReceiptCard({ receipt, link }: { receipt: Receipt; link: string }) {
  const { t, intl } = useI18n();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [locked, setLocked] = useState("");
  useEffect(() => {
    let live = true;
    // Loaded on demand: the QR encoder stays out of the initial bundle.
    void import("qrcode").then((q) =>
      q.toDataURL(link, { errorCorrectionLevel: "M", margin: 1, width: 220 }).then((url) => {
        if (live) setQr(url);
      }),
    );
    return () => {
      live = false;
    };
  }, [link]);
  const fileUrl = `data:application/json;charset=utf-8,${encodeURIComponent(receiptFile(link, receipt))}`;
  const copy = (text: string, which: string) => void navigator.clipboard?.writeText(text).then(() => setCopied(which));

  async function lock() {
    setProgress(0);
    // scrypt loads on demand too
    const { lockReceipt } = await import("../lib/receiptLock.ts");
    const route = await lockReceipt(receipt, passphrase, { onProgress: (p) => setProgress(p) });
    setLocked(`${link.split("#")[0]}#${route}`);
    setProgress(null);
  }

  return (
    <section className="receipt panel" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t("receipt.receiptTitle")}</h2>
      <p className="warning" role="note">
        <strong>⚠ {t("receipt.receiptWarning")}</strong>
      </p>
      <label htmlFor="receipt-link">{t("receipt.receiptLink")}</label>
      <input
        id="receipt-link"
        data-testid="receipt-link"
        readOnly
        value={link}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="row">
        <button type="button" onClick={() => copy(link, "plain")}>
          {copied === "plain" ? t("receipt.copied") : t("receipt.copyLink")}
        </button>
        <a className="button" href={fileUrl} download={`bascule-receipt-${receipt.campaign.slice(2, 8)}.json`}>
          {t("receipt.downloadFile")}
        </a>
      </div>
      {qr && <img src={qr} alt={t("receipt.receiptQr")} width={220} height={220} className="qr" />}

      <details className="lock">
        <summary>{t("receipt.lockTitle")}</summary>
        <p className="small">{t("receipt.lockExplain")}</p>
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (passphrase.length >= 8 && progress === null) void lock();
          }}
        >
          <label>
            {t("receipt.passphrase")}
            <input
              type="password"
              autoComplete="new-password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              aria-describedby="lock-rule"
              data-testid="lock-passphrase"
            />
          </label>
          <button type="submit" disabled={passphrase.length < 8 || progress !== null} data-testid="lock-submit">
            {t("receipt.lockButton")}
          </button>
        </form>
        <p id="lock-rule" className="small">
          {t("receipt.lockShort", { count: 8 })}
        </p>
        {progress !== null && (
          <p role="status">{t("receipt.locking", { percent: intl.formatNumber(progress, { style: "percent" }) })}</p>
        )}
        {locked && (
          <>
            <label htmlFor="locked-link">{t("receipt.lockedLink")}</label>
            <input
              id="locked-link"
              data-testid="locked-link"
              readOnly
              value={locked}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" onClick={() => copy(locked, "locked")}>
              {copied === "locked" ? t("receipt.copied") : t("receipt.copyLink")}
            </button>
          </>
        )}
      </details>

      <h3>{t("receipt.whereTitle")}</h3>
      <ul className="small where" data-testid="receipt-where">
        <li>{t("receipt.whereDevice")}</li>
        <li>{t("receipt.whereLink")}</li>
        <li>{t("receipt.whereLocked")}</li>
        <li>{t("receipt.whereFile")}</li>
        <li>{t("receipt.whereQr")}</li>
      </ul>
      <p className="small">{t("receipt.privacyNote")}</p>
    </section>
  );
}
