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

function Page({ route }: { route: string }) {
  const { t } = useI18n();
  if (route === "/") return <ListPage />;
  if (route === "/create") return <CreatePage />;
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
