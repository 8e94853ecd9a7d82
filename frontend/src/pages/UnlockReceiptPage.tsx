import { useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import type { LockedReceipt } from "../lib/receipt.ts";
import { unlockReceipt } from "../lib/receiptLock.ts";
import { keepReceipt } from "../lib/receiptStore.ts";
import { replaceRoute } from "../router.ts";
import { keptReceiptPath } from "@bascule/core/routes";

/** Opens a passphrase-protected receipt link: the key is decrypted here and kept on this device. */
export function UnlockReceiptPage({ locked }: { locked: LockedReceipt }) {
  const { t, intl } = useI18n();
  const [passphrase, setPassphrase] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [wrong, setWrong] = useState(false);

  async function unlock() {
    setWrong(false);
    setProgress(0);
    const r = await unlockReceipt(locked, passphrase, (p) => setProgress(p));
    setProgress(null);
    if (!r) {
      setWrong(true);
      return;
    }
    replaceRoute(keptReceiptPath(keepReceipt(r)));
  }

  return (
    <article>
      <h1>{t("receipt.unlockTitle")}</h1>
      <p>{t("receipt.unlockExplain")}</p>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (passphrase !== "" && progress === null) void unlock();
        }}
      >
        <label>
          {t("receipt.passphrase")}
          <input
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            aria-invalid={wrong}
            aria-describedby={wrong ? "unlock-error" : undefined}
            data-testid="unlock-passphrase"
          />
        </label>
        <button
          type="submit"
          className="primary"
          disabled={passphrase === "" || progress !== null}
          data-testid="unlock-submit"
        >
          {t("receipt.unlockButton")}
        </button>
      </form>
      {progress !== null && (
        <p role="status">{t("receipt.unlocking", { percent: intl.formatNumber(progress, { style: "percent" }) })}</p>
      )}
      {wrong && (
        <p id="unlock-error" className="error" role="alert" data-testid="unlock-wrong">
          {t("receipt.unlockWrong")}
        </p>
      )}
    </article>
  );
}
