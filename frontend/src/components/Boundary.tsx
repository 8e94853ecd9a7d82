import type { ReactNode } from "react";
import { ErrorBoundary, type FallbackProps } from "react-error-boundary";
import { useI18n } from "../i18n/i18n.tsx";

/**
 * Keeps a failure to render inside the part that failed (react-error-boundary): a campaign card, a
 * panel of the campaign page, a page. Anyone can create a campaign, so whatever one of them makes a
 * component throw must not take the list, or the rest of its page, down with it. `fallback` says
 * what failed; by default, a sentence in the reader's language with a button to try again.
 * `resetKeys`: values whose change clears the failure (the route, the campaign).
 */
export function Boundary({
  children,
  fallback,
  resetKeys,
}: {
  children: ReactNode;
  fallback?: (props: FallbackProps) => ReactNode;
  resetKeys?: unknown[];
}) {
  return (
    <ErrorBoundary fallbackRender={fallback ?? ((props) => <PartFailed {...props} />)} resetKeys={resetKeys}>
      {children}
    </ErrorBoundary>
  );
}

function PartFailed({ resetErrorBoundary }: FallbackProps) {
  const { t } = useI18n();
  return (
    <div className="panel" role="alert" data-testid="part-failed">
      <p className="error">{t("common.partFailed")}</p>
      <button type="button" onClick={resetErrorBoundary}>
        {t("common.retry")}
      </button>
    </div>
  );
}
