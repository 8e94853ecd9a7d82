import type { PowProgress as Progress } from "../hooks/usePow.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { en, fr } from "../i18n/messages/pow.ts";

/** The proof of work's progress line (pledge flow, open campaigns): a status line, nothing to do. */
export function PowProgress({ progress }: { progress: Progress | null }) {
  const { lang, locale } = useI18n();
  if (!progress) return null;
  const m = lang === "fr" ? fr : en;
  const percent = new Intl.NumberFormat(locale, { style: "percent" }).format(Math.min(0.99, progress.fraction));
  return (
    <p role="status" data-testid="pow-progress" title={m["pow.why"]}>
      {m["pow.working"].replace("{percent, number, percent}", percent)}
    </p>
  );
}
