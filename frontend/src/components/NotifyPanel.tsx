import { useState } from "react";
import type { Address } from "viem";
import { useApp } from "../hooks/app.tsx";
import { type MessageId, useI18n } from "../i18n/i18n.tsx";
import {
  NotifierRequestError,
  followed,
  pushSupport,
  subscribeToCampaign,
  unsubscribeFromCampaign,
} from "../lib/notify.ts";
import { FollowLinks } from "./FollowLinks.tsx";

const SUPPORT_MESSAGE: Record<string, MessageId> = {
  unsupported: "notify.unsupported",
  "ios-install": "notify.iosInstall",
  insecure: "notify.insecure",
  denied: "notify.denied",
};

/**
 * "Notify me" on the receipt page: Web Push for this campaign at the pledge's level, with the
 * sentence saying what the browser's push service learns, and the feed as the private alternative.
 */
export function NotifyPanel({ campaign, level, threshold }: { campaign: Address; level: number; threshold: number }) {
  const { t, lang } = useI18n();
  const { config } = useApp();
  const notifierUrl = config.notifierUrl ?? "";
  const [on, setOn] = useState(() => followed()[campaign.toLowerCase()] !== undefined);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const support = pushSupport();

  function explain(e: unknown): string {
    if (e instanceof NotifierRequestError) {
      if (e.localized) return e.localized[lang];
      if (e.code === "PERMISSION_DENIED") return t("notify.permissionDenied");
      if (e.code === "PUSH_SUBSCRIBE_FAILED") return t("notify.subscribeFailed");
    }
    return t("notify.unreachable");
  }

  async function toggle() {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      if (on) {
        await unsubscribeFromCampaign(notifierUrl, campaign);
        setOn(false);
        setMessage(t("notify.stopped"));
      } else {
        await subscribeToCampaign(notifierUrl, campaign, level, lang);
        setOn(true);
      }
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="notify-title" data-testid="notify-panel">
      <h2 id="notify-title">{t("notify.title")}</h2>
      {!notifierUrl ? (
        <p>{t("notify.noNotifier")}</p>
      ) : (
        <>
          <p>{t("notify.intro")}</p>
          <p className="small" data-testid="notify-privacy">
            {t("notify.privacy")}
          </p>
          <p className="small">{t("notify.lockScreen")}</p>
          {support !== "ok" && !on ? (
            <p className="warning" role="note" data-testid="notify-unsupported">
              {t(SUPPORT_MESSAGE[support])}
            </p>
          ) : (
            <>
              {on && (
                <p className="ok" role="status" data-testid="notify-on">
                  {t("notify.on", { threshold })}
                </p>
              )}
              <button
                type="button"
                className={on ? "" : "primary"}
                disabled={busy}
                onClick={() => void toggle()}
                data-testid="notify-toggle"
              >
                {busy ? t("notify.busy") : on ? t("notify.stop") : t("notify.button")}
              </button>
            </>
          )}
          {message && <p role="status">{message}</p>}
          {error && (
            <p className="error" role="alert" data-testid="notify-error">
              {error}
            </p>
          )}
          <FollowLinks campaign={campaign} />
        </>
      )}
    </section>
  );
}
