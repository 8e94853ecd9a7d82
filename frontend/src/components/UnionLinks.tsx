import type { CampaignStatic } from "../lib/types.ts";
import { useUnion } from "../hooks/useUnion.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { checkinPath, deskPath, href, unionPath } from "@bascule/core/routes";

/** Links to the union's tools (invite codes, check-in) on a campaign gated by blind vouchers or an oracle. */
export function UnionLinks({ s }: { s: CampaignStatic }) {
  const { t } = useI18n();
  const union = useUnion(s);
  const gated = !!union.data?.key || s.params.oracle !== "0x0000000000000000000000000000000000000000";
  if (!gated) return null;
  return (
    <nav className="small" aria-label={t("union.organiserLinks")}>
      {t("union.organiserLinksLead")}{" "}
      {union.data?.key && (
        <>
          <a href={href(unionPath(s.address))} data-testid="invites-link">
            {t("union.invitesLink")}
          </a>
          {" · "}
        </>
      )}
      <a href={href(checkinPath(s.address))} data-testid="checkin-link">
        {t("union.checkinLink")}
      </a>
      {(union.data?.payoutDesks ?? []).map((d) => (
        <span key={d.address}>
          {" · "}
          <a href={href(deskPath(s.address, d.address))} data-testid="desk-link">
            {t("union.deskLinkNamed", { name: d.name })}
          </a>
        </span>
      ))}
    </nav>
  );
}
