import { useState } from "react";
import type { Address } from "viem";
import { useApp } from "../hooks/app.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { fediverseHandle } from "../lib/federation.ts";

/**
 * "Follow from Mastodon or Mobilizon: @campaign-0x…@host", copyable, when the site runs the
 * federation service (AppConfig.federationHost); nothing otherwise. It says what following leaves
 * on the server and recommends one follow per instance (docs/federation.md, privacy).
 */
export function FediverseFollow({ campaign }: { campaign: Address }) {
  const { t, intl } = useI18n();
  const { config } = useApp();
  const [copied, setCopied] = useState(false);
  if (!config.federationHost) return null;
  const handle = fediverseHandle(campaign, config.federationHost);
  return (
    <div data-testid="fediverse-follow">
      <p>
        {/* One message with the handle inside it: the French colon keeps its no-break space. */}
        {intl.formatMessage(
          { id: "notify.fediverse" },
          {
            handle: (
              <code key="handle" data-testid="fediverse-handle">
                {handle}
              </code>
            ),
          },
        )}{" "}
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(handle).then(() => setCopied(true))}
          data-testid="fediverse-copy"
        >
          {copied ? t("notify.fediverseCopied") : t("notify.fediverseCopy")}
        </button>
      </p>
      <p className="small">{t("notify.fediversePrivacy")}</p>
    </div>
  );
}
