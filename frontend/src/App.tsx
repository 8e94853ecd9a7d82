import { lazy, Suspense } from "react";
import { isAddress, type Address } from "viem";
import { useI18n } from "./i18n/i18n.tsx";
import { parseLockedRoute } from "./lib/receipt.ts";
import { keptReceipt } from "./lib/receiptStore.ts";
import { CampaignPage } from "./pages/CampaignPage.tsx";
import { ListPage } from "./pages/ListPage.tsx";
import { useRoute } from "./router.ts";

// Pages a striker does not need first load on demand: the initial bundle stays small.
const CreatePage = lazy(() => import("./pages/CreatePage.tsx").then((m) => ({ default: m.CreatePage })));
const VerifyPage = lazy(() => import("./pages/VerifyPage.tsx").then((m) => ({ default: m.VerifyPage })));
const ReceiptPage = lazy(() => import("./pages/ReceiptPage.tsx").then((m) => ({ default: m.ReceiptPage })));
const UnlockReceiptPage = lazy(() => import("./pages/UnlockReceiptPage.tsx").then((m) => ({ default: m.UnlockReceiptPage })));
const InvitesPage = lazy(() => import("./pages/InvitesPage.tsx").then((m) => ({ default: m.InvitesPage })));
const CheckinPage = lazy(() => import("./pages/CheckinPage.tsx").then((m) => ({ default: m.CheckinPage })));
const DeskPage = lazy(() => import("./pages/DeskPage.tsx").then((m) => ({ default: m.DeskPage })));
const HowPage = lazy(() => import("./pages/HowPage.tsx").then((m) => ({ default: m.HowPage })));
const PosterPage = lazy(() => import("./pages/PosterPage.tsx").then((m) => ({ default: m.PosterPage })));

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
  const my = /^\/my\/([0-9a-f]{16})$/.exec(route);
  if (my) {
    const kept = keptReceipt(my[1]);
    return kept ? <ReceiptPage key={route} receipt={kept} localId={my[1]} /> : <p className="error" role="alert">{t("receipt.notKept")}</p>;
  }
  if (route.startsWith("/rp/")) {
    const locked = parseLockedRoute(route);
    return locked ? <UnlockReceiptPage key={route} locked={locked} /> : <p className="error" role="alert">{t("receipt.badReceipt")}</p>;
  }
  // a receipt link whose key could not be read (takeReceiptFromAddressBar took the valid ones)
  if (route.startsWith("/r/")) return <p className="error" role="alert">{t("receipt.badReceipt")}</p>;
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
        <Suspense fallback={<p role="status">{t("common.loading")}</p>}>
          <Page route={route} />
        </Suspense>
      </main>
      <footer className="muted">{t("common.tagline")}</footer>
    </>
  );
}
