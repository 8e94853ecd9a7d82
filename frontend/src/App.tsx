import { lazy, Suspense } from "react";
import { href, parseRoute } from "@bascule/core/routes";
import { Boundary } from "./components/Boundary.tsx";
import { useI18n } from "./i18n/i18n.tsx";
import { heldInviteCode, heldLockedReceipt } from "./lib/addressBar.ts";
import { parseLockedRoute } from "./lib/receipt.ts";
import { keptReceipt } from "./lib/receiptStore.ts";
import { CampaignPage } from "./pages/CampaignPage.tsx";
import { ListPage } from "./pages/ListPage.tsx";
import { useRoute } from "./router.ts";

// Pages a striker does not need first load on demand: the initial bundle stays small.
const CreatePage = lazy(() => import("./pages/CreatePage.tsx").then((m) => ({ default: m.CreatePage })));
const VerifyPage = lazy(() => import("./pages/VerifyPage.tsx").then((m) => ({ default: m.VerifyPage })));
const ReceiptPage = lazy(() => import("./pages/ReceiptPage.tsx").then((m) => ({ default: m.ReceiptPage })));
const UnlockReceiptPage = lazy(() =>
  import("./pages/UnlockReceiptPage.tsx").then((m) => ({ default: m.UnlockReceiptPage })),
);
const InvitesPage = lazy(() => import("./pages/InvitesPage.tsx").then((m) => ({ default: m.InvitesPage })));
const CheckinPage = lazy(() => import("./pages/CheckinPage.tsx").then((m) => ({ default: m.CheckinPage })));
const DeskPage = lazy(() => import("./pages/DeskPage.tsx").then((m) => ({ default: m.DeskPage })));
const HowPage = lazy(() => import("./pages/HowPage.tsx").then((m) => ({ default: m.HowPage })));
const PosterPage = lazy(() => import("./pages/PosterPage.tsx").then((m) => ({ default: m.PosterPage })));

function Page({ route }: { route: string }) {
  const { t } = useI18n();
  const r = parseRoute(route);
  switch (r?.page) {
    case "list":
      return <ListPage />;
    case "create":
      return <CreatePage />;
    case "how":
      return <HowPage />;
    case "union":
      return <InvitesPage key={r.campaign} address={r.campaign} />;
    case "checkin":
      return <CheckinPage key={r.campaign} address={r.campaign} />;
    case "desk":
      return <DeskPage key={route} campaign={r.campaign} desk={r.desk} />;
    case "campaign":
      return (
        <CampaignPage key={r.campaign} address={r.campaign} inviteCode={r.inviteCode ?? heldInviteCode(r.campaign)} />
      );
    case "poster":
      return <PosterPage key={r.campaign} address={r.campaign} />;
    case "verify":
      return <VerifyPage key={r.campaign} address={r.campaign} />;
    case "kept-receipt": {
      const kept = keptReceipt(r.id);
      return kept ? (
        <ReceiptPage key={route} receipt={kept} localId={r.id} />
      ) : (
        <div>
          <p className="error" role="alert" data-testid="receipt-not-kept">
            {t("receipt.notKept")}
          </p>
          <p>
            <a href={href("/")}>{t("receipt.notKeptOpenFile")}</a>
          </p>
        </div>
      );
    }
    case "unlock": {
      const held = heldLockedReceipt(r.id);
      return held ? (
        <UnlockReceiptPage key={route} locked={held} />
      ) : (
        <p className="error" role="alert" data-testid="unlock-gone">
          {t("receipt.unlockGone")}
        </p>
      );
    }
    case "locked-receipt": {
      const locked = parseLockedRoute(route);
      return locked ? (
        <UnlockReceiptPage key={route} locked={locked} />
      ) : (
        <p className="error" role="alert">
          {t("receipt.badReceipt")}
        </p>
      );
    }
    // a receipt link whose key could not be read (takeReceiptFromAddressBar took the valid ones)
    case "receipt":
    case "bad-receipt":
      return (
        <p className="error" role="alert">
          {t("receipt.badReceipt")}
        </p>
      );
    default:
      return <p>{t("common.notFound")}</p>;
  }
}

function PageFailed() {
  const { t } = useI18n();
  return (
    <p className="error" role="alert" data-testid="page-failed">
      {t("common.pageFailed")} <a href="#/">{t("common.navCampaigns")}</a>
    </p>
  );
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  return (
    <>
      <a
        href="#main"
        className="skip"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        {t("common.skip")}
      </a>
      <header className="top">
        <a href="#/" className="brand">
          {t("common.appName")}
        </a>
        <nav aria-label={t("common.navMain")}>
          <a href="#/">{t("common.navCampaigns")}</a>
          {/* On a phone the short label, so the navigation holds on one row under the name */}
          <a href="#/create">
            <span className="nav-long">{t("common.navCreate")}</span>
            <span className="nav-short">{t("common.navCreateShort")}</span>
          </a>
          <a href="#/how">{t("how.nav")}</a>
        </nav>
        <button
          type="button"
          className="lang"
          lang={lang === "fr" ? "en" : "fr"}
          onClick={() => setLang(lang === "fr" ? "en" : "fr")}
          data-testid="lang-switch"
          aria-label={t("common.languageSwitch", { to: t("common.switchTo") })}
        >
          {t("common.switchTo")}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {/* A page that fails to render leaves the header and the navigation; another route clears it. */}
        <Boundary fallback={PageFailed} resetKeys={[route]}>
          <Suspense fallback={<p role="status">{t("common.loading")}</p>}>
            <Page route={route} />
          </Suspense>
        </Boundary>
      </main>
      <footer className="muted">{t("common.tagline")}</footer>
    </>
  );
}
