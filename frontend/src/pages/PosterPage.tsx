import type { Address } from "viem";
import { Boundary } from "../components/Boundary.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { campaignLink, useQrCode } from "../components/SharePanel.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { campaignPhase, currentResolution, totalPledges } from "../lib/campaign.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatDate, formatDateTime } from "../lib/format.ts";
import { campaignPath, href } from "@bascule/core/routes";

/**
 * A printable A4 poster: the headline sentence, the day, the place, the QR code of the campaign's
 * link and the current count. Printing hides the dApp around it (styles.css, @media print). Anyone
 * can create a campaign: its words and its dates (a deadline of 10^13 s makes `Intl` throw) fail
 * apart from the QR code and link, and from the buttons (Boundary).
 */
export function PosterPage({ address }: { address: Address }) {
  const { t } = useI18n();
  const { static: s, live, error } = useCampaign(address);
  const link = campaignLink(address);
  const qr = useQrCode(link, 600);
  if (error) return <ErrorNote error={error} />;
  if (!s || !live) return <p role="status">{t("common.loading")}</p>;
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
        <Boundary resetKeys={[s, live]}>
          <PosterText s={s} live={live} />
        </Boundary>
        <Boundary resetKeys={[qr]}>
          <PosterQr link={link} qr={qr} open={campaignPhase(s, live) === "open"} />
        </Boundary>
      </article>
    </>
  );
}

/** The campaign's words and dates. */
function PosterText({ s, live }: { s: CampaignStatic; live: CampaignLive }) {
  const { t, locale } = useI18n();
  const phase = campaignPhase(s, live);
  const date = formatDate(s.params.actionDate, locale);
  const count = Number(totalPledges(live));
  const result = currentResolution(s, live);
  // A closed campaign's poster says its result, not "… have pledged · scan to pledge".
  const headline = {
    open: t("campaign.headline", { count, date }),
    awaiting: t("campaign.headlineAwaiting", { count, date }),
    succeeded: t("campaign.headlineSucceeded", { count: Number(result.committed), date }),
    failed: t("campaign.headlineFailed", { date }),
  }[phase];
  return (
    <>
      <h1>{s.metadata?.title ?? t("common.untitled")}</h1>
      <p className="poster-headline" data-testid="poster-headline">
        {headline}
      </p>
      <p className="poster-intro" data-testid="poster-intro">
        {t(phase === "open" ? "share.posterIntro" : "share.posterClosedIntro")}
      </p>
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
    </>
  );
}

/** The campaign's link, as a QR code and as text, and when the count was read. */
function PosterQr({ link, qr, open }: { link: string; qr: string | null; open: boolean }) {
  const { t, locale } = useI18n();
  return (
    <>
      <p data-testid="poster-scan">{t(open ? "share.posterScan" : "share.posterScanClosed")}</p>
      {qr && (
        <img src={qr} alt={t("share.qrAlt")} className="poster-qr" width={300} height={300} data-testid="poster-qr" />
      )}
      <p className="poster-link" data-testid="poster-link">
        {link}
      </p>
      <p className="small">
        {t("share.posterCount", { date: formatDateTime(BigInt(Math.floor(Date.now() / 1000)), locale) })}
      </p>
    </>
  );
}
