import { useEffect, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import { type Receipt, receiptFile } from "../lib/receipt.ts";

/** The receipt, three ways: link (key in the fragment), QR code, file; and the warning. */
export function ReceiptCard({ receipt, link }: { receipt: Receipt; link: string }) {
  const { t } = useI18n();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
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
  return (
    <section className="receipt panel" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t("receipt.receiptTitle")}</h2>
      <p className="warning" role="note">
        <strong>⚠ {t("receipt.receiptWarning")}</strong>
      </p>
      <label htmlFor="receipt-link">{t("receipt.receiptLink")}</label>
      <input id="receipt-link" data-testid="receipt-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
      <div className="row">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(link).then(() => setCopied(true));
          }}
        >
          {copied ? t("receipt.copied") : t("receipt.copyLink")}
        </button>
        <a className="button" href={fileUrl} download={`bascule-receipt-${receipt.campaign.slice(2, 8)}.json`}>
          {t("receipt.downloadFile")}
        </a>
      </div>
      {qr && <img src={qr} alt={t("receipt.receiptQr")} width={220} height={220} className="qr" />}
      <p className="small">{t("receipt.privacyNote")}</p>
    </section>
  );
}
