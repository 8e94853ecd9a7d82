import type { PowProgress as Progress } from "../hooks/usePow.ts";
import { useI18n } from "../i18n/i18n.tsx";

/** The proof of work's progress line (pledge flow, open campaigns): a status line, nothing to do. */
export function PowProgress({ progress }: { progress: Progress | null }) {
  const { t } = useI18n();
  if (!progress) return null;
  return (
    <p role="status" data-testid="pow-progress" title={t("pow.why")}>
      {t("pow.working", { percent: Math.min(0.99, progress.fraction) })}
    </p>
  );
}
