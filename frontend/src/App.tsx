import { isAddress, type Address } from "viem";
import { useI18n } from "./i18n/i18n.tsx";
import { parseReceiptRoute } from "./lib/receipt.ts";
import { CampaignPage } from "./pages/CampaignPage.tsx";
import { CheckinPage } from "./pages/CheckinPage.tsx";
import { DeskPage } from "./pages/DeskPage.tsx";
import { InvitesPage } from "./pages/InvitesPage.tsx";
import { CreatePage } from "./pages/CreatePage.tsx";
import { HowPage } from "./pages/HowPage.tsx";
import { ListPage } from "./pages/ListPage.tsx";
import { PosterPage } from "./pages/PosterPage.tsx";
import { ReceiptPage } from "./pages/ReceiptPage.tsx";
import { VerifyPage } from "./pages/VerifyPage.tsx";
import { useRoute } from "./router.ts";

function Page({ route }: { route: string }) {
  const { t } = useI18n();
  if (route === "/") return <ListPage />;
  if (route === "/create") return <CreatePage />;
  const u = /^\/(union|checkin)\/(0x[0-9a-fA-F]{40})$/.exec(route);
  if (u && isAddress(u[2])) {
    const address = u[2] as Address;
    return u[1] === "union" ? <InvitesPage key={address} address={address} /> : <CheckinPage key={address} address={address} />;
  }
  const deskRoute = /^\/desk\/(0x[0-9a-fA-F]{40})\/(0x[0-9a-fA-F]{40})$/.exec(route);
  if (deskRoute && isAddress(deskRoute[1]) && isAddress(deskRoute[2])) {
    return <DeskPage key={route} campaign={deskRoute[1] as Address} desk={deskRoute[2] as Address} />;
  }
  const invite = /^\/c\/(0x[0-9a-fA-F]{40})\/invite\/([^/]{1,64})$/.exec(route);
  if (invite && isAddress(invite[1])) {
    return <CampaignPage key={invite[1]} address={invite[1] as Address} inviteCode={decodeURIComponent(invite[2])} />;
  }
  if (route === "/how") return <HowPage />;
  const poster = /^\/c\/(0x[0-9a-fA-F]{40})\/poster$/.exec(route);
  if (poster && isAddress(poster[1])) return <PosterPage key={poster[1]} address={poster[1] as Address} />;
  const c = /^\/(c|v)\/(0x[0-9a-fA-F]{40})$/.exec(route);
  if (c && isAddress(c[2])) {
    const address = c[2] as Address;
    return c[1] === "c" ? <CampaignPage key={address} address={address} /> : <VerifyPage key={address} address={address} />;
  }
  if (route.startsWith("/r/")) {
    const receipt = parseReceiptRoute(route);
    return receipt ? <ReceiptPage key={route} receipt={receipt} /> : <p className="error" role="alert">{t("receipt.badReceipt")}</p>;
  }
  return <p>{t("common.notFound")}</p>;
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  return (
    <>
      <a href="#main" className="skip" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        {t("common.skip")}
      </a>
      <header className="top">
        <a href="#/" className="brand">
          {t("common.appName")}
        </a>
        <nav aria-label={t("common.navMain")}>
          <a href="#/">{t("common.navCampaigns")}</a>
          <a href="#/create">{t("common.navCreate")}</a>
          <a href="#/how">{t("how.nav")}</a>
        </nav>
        <button
          type="button"
          className="lang"
          lang={lang === "fr" ? "en" : "fr"}
          onClick={() => setLang(lang === "fr" ? "en" : "fr")}
          data-testid="lang-switch"
          aria-label={`${t("common.language")}: ${t("common.switchTo")}`}
        >
          {t("common.switchTo")}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer className="muted">{t("common.tagline")}</footer>
    </>
  );
}
