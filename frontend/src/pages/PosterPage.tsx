import type { Address } from "viem";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { campaignLink, useQrCode } from "../components/SharePanel.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { campaignPhase, totalPledges } from "../lib/campaign.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatDate, formatDateTime } from "../lib/format.ts";
import { campaignPath, href } from "@bascule/core/routes";

/**
 * A printable A4 poster: the headline sentence, the day, the place, the QR code of the campaign's
 * link and the current count. Printing hides the dApp around it (styles.css, @media print).
 */
export function PosterPage({ address }: { address: Address }) {
  const { t, locale } = useI18n();
  const { static: s, live, error } = useCampaign(address);
  const link = campaignLink(address);
  const qr = useQrCode(link, 600);
  if (error) return <ErrorNote error={error} />;
  if (!s || !live) return <p role="status">{t("common.loading")}</p>;
  const phase = campaignPhase(s, live);
  const date = formatDate(s.params.actionDate, locale);
  const headline = t("campaign.headline", { count: Number(totalPledges(live)), date });
  return (
    <>
      <div className="no-print row">
        <a className="button" href={href(campaignPath(address))}>
          {t("share.back")}
        </a>
        <button type="button" className="primary" onClick={() => window.print()} data-testid="poster-print">
          {t("share.print")}
        </button>
      </div>
      <article className="poster" data-testid="poster">
        <h1>{s.metadata?.title ?? t("common.untitled")}</h1>
        <p className="poster-headline" data-testid="poster-headline">
          {headline}
        </p>
        <p className="poster-intro">{t("share.posterIntro")}</p>
        <p className="poster-when">
          <strong>{t("share.posterDate", { date })}</strong>
          {s.metadata?.place ? (
            <>
              <br />
              <strong>{t("share.posterPlace", { place: s.metadata.place })}</strong>
            </>
          ) : null}
        </p>
        {phase === "open" && (
          <p>{t("share.posterDeadline", { deadline: formatDateTime(s.params.pledgeDeadline, locale) })}</p>
        )}
        <p>{t("share.posterScan")}</p>
        {qr && (
          <img src={qr} alt={t("share.qrAlt")} className="poster-qr" width={300} height={300} data-testid="poster-qr" />
        )}
        <p className="poster-link">{link}</p>
        <p className="small">
          {t("share.posterCount", { date: formatDateTime(BigInt(Math.floor(Date.now() / 1000)), locale) })}
        </p>
      </article>
    </>
  );
}
