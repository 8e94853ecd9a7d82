import { useState } from "react";
import type { Address, LocalAccount } from "viem";
import { useI18n } from "../i18n/i18n.tsx";
import { attendanceCode } from "../lib/union.ts";
import { QrImage } from "./QrImage.tsx";

/**
 * On the action day, a receipt's attendance code: the pledge key's EIP-712 signature for this
 * campaign and action date, as a QR code and as text (the key itself never leaves this device).
 */
export function AttendancePanel({
  pledgeKey,
  campaign,
  chainId,
  actionDate,
}: {
  pledgeKey: LocalAccount;
  campaign: Address;
  chainId: number;
  actionDate: bigint;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t("union.attendanceTitle")}</h2>
      <p className="small">{t("union.attendanceHelp")}</p>
      {code ? (
        <>
          <QrImage text={code} alt={t("union.attendanceTitle")} size={260} testId="attendance-qr" />
          <p className="attendance-text" data-testid="attendance-text">
            {code}
          </p>
        </>
      ) : (
        <button
          type="button"
          className="primary"
          data-testid="attendance-show"
          onClick={() => void attendanceCode(pledgeKey, campaign, chainId, actionDate).then(setCode)}
        >
          {t("union.attendanceShow")}
        </button>
      )}
    </section>
  );
}
