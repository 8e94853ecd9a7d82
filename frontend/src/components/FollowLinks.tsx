import type { Address } from "viem";
import { useApp } from "../hooks/app.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { feedLinks } from "../lib/notify.ts";

/** The campaign's Atom feed and calendar entry: following without telling anyone. */
export function FollowLinks({ campaign }: { campaign: Address }) {
  const { t, lang } = useI18n();
  const { config } = useApp();
  if (!config.notifierUrl) return null;
  const links = feedLinks(config.notifierUrl, campaign, lang);
  return (
    <div data-testid="follow-links">
      <h3>{t("notify.followTitle")}</h3>
      <ul>
        <li>
          <a href={links.atom} type="application/atom+xml" data-testid="feed-link">
            {t("notify.feed")}
          </a>
        </li>
        <li>
          <a href={links.ics} type="text/calendar" download data-testid="ics-link">
            {t("notify.calendar")}
          </a>
        </li>
      </ul>
      <p className="small">{t("notify.feedPrivacy")}</p>
    </div>
  );
}
