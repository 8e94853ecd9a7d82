import type { MessageId } from "../i18n/i18n.tsx";
import { useI18n } from "../i18n/i18n.tsx";

const SECTIONS: [MessageId, MessageId[]][] = [
  ["how.thresholdsTitle", ["how.thresholds"]],
  ["how.bindsTitle", ["how.binds"]],
  ["how.moneyTitle", ["how.money"]],
  ["how.conditionsTitle", ["how.conditions"]],
  ["how.seeTitle", ["how.seeChain", "how.seeRelayer", "how.seeNotifier", "how.seeOrganiser"]],
  ["how.keepTitle", ["how.keep"]],
];

/** "How it works", in plain words: thresholds, what binds, the money, who sees what, what to keep. */
export function HowPage() {
  const { t } = useI18n();
  return (
    <article data-testid="how-page">
      <h1>{t("how.title")}</h1>
      <p className="big">{t("how.lead")}</p>
      {SECTIONS.map(([title, paragraphs]) => (
        <section key={title} className="panel" aria-labelledby={title}>
          <h2 id={title}>{t(title)}</h2>
          {paragraphs.length === 1 ? (
            <p>{t(paragraphs[0])}</p>
          ) : (
            <ul>
              {paragraphs.map((p) => (
                <li key={p}>{t(p)}</li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </article>
  );
}
