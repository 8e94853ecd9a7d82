import { useQuery } from "@tanstack/react-query";
import { campaignPath, href } from "@bascule/core/routes";
import { useApp } from "../hooks/app.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { type Announcement, chainVerifier, fetchAnnouncements, inLanguage, verified } from "../lib/announcements.ts";
import { formatDateTime } from "../lib/format.ts";
import type { CampaignStatic } from "../lib/types.ts";

/**
 * The campaign's announcements as the notifier serves them, each verified here against the
 * organiser the chain names (the notifier is not trusted; an organiser that is a contract is asked
 * through the chain, ERC-1271), minus what a key the organiser revoked signed since; refreshed every 30 s.
 */
export function useAnnouncements(s: Pick<CampaignStatic, "address" | "organiser">) {
  const { config, client } = useApp();
  const notifierUrl = config.notifierUrl ?? "";
  return useQuery({
    queryKey: ["announcements", notifierUrl, s.address],
    enabled: notifierUrl !== "",
    queryFn: async () =>
      verified(await fetchAnnouncements(notifierUrl, s.address, 50), {
        campaign: s.address,
        chainId: config.chainId,
        organiser: s.organiser,
        verifyTypedData: chainVerifier(client),
      }),
    refetchInterval: 30_000,
  });
}

function AnnouncementItem({ a }: { a: Announcement }) {
  const { t, lang, locale } = useI18n();
  return (
    <li className="announcement" data-testid="announcement" lang={a.lang}>
      <h3>
        {a.title}
        {a.lang !== lang && (
          <span className="muted small"> {a.lang === "fr" ? t("announce.inFrench") : t("announce.inEnglish")}</span>
        )}
      </h3>
      <p style={{ whiteSpace: "pre-line" }}>{a.text}</p>
      {a.startTime !== null && <p>{t("announce.when", { date: formatDateTime(a.startTime, locale) })}</p>}
      {a.place !== null && <p>{t("announce.where", { place: a.place })}</p>}
      {a.successor !== null && (
        <p>
          <a href={href(campaignPath(a.successor))} data-testid="successor-link">
            {t("announce.successor")}
          </a>
        </p>
      )}
      <p className="muted small">
        {a.delegation ? t("announce.byDelegate") : t("announce.byOrganiser")} · {formatDateTime(a.publishedAt, locale)}
      </p>
      {a.delegation && (
        // The key's address, which the organiser needs to revoke it from another device.
        <p className="muted small" data-testid="announcement-key">
          {t("announce.key", { address: a.delegation.delegate })}
        </p>
      )}
    </li>
  );
}

/**
 * "Announcements" on the campaign page (all, newest first), or "Latest from the organiser" on the
 * receipt (`latest`): one version per announcement, in the reader's language when the organiser
 * wrote one. Nothing without a notifier.
 */
export function AnnouncementsPanel({
  s,
  latest = false,
}: {
  s: Pick<CampaignStatic, "address" | "organiser">;
  latest?: boolean;
}) {
  const { t, lang } = useI18n();
  const { config } = useApp();
  const q = useAnnouncements(s);
  if (!config.notifierUrl) return null;
  const list = q.data ? inLanguage(q.data.good, lang) : [];
  if (latest && list.length === 0) return null;
  const shown = latest ? list.slice(0, 1) : list;
  return (
    <section className="panel" aria-labelledby="announcements-title" data-testid="announcements">
      <h2 id="announcements-title">{latest ? t("announce.latest") : t("announce.title")}</h2>
      {q.isError && <p role="status">{t("announce.unreachable")}</p>}
      {q.data && shown.length === 0 && <p className="muted">{t("announce.none")}</p>}
      {shown.length > 0 && (
        <ul className="announcements">
          {shown.map((a) => (
            <AnnouncementItem key={a.id} a={a} />
          ))}
        </ul>
      )}
      {!latest && q.data && q.data.dropped > 0 && (
        <p className="muted small" data-testid="announcements-dropped">
          {t("announce.dropped", { count: q.data.dropped })}
        </p>
      )}
      {!latest && q.data && q.data.revoked > 0 && (
        <p className="muted small" data-testid="announcements-revoked">
          {t("announce.revoked", { count: q.data.revoked })}
        </p>
      )}
    </section>
  );
}
