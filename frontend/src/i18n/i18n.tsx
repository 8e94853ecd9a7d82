import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { createIntl, createIntlCache, type IntlShape, RawIntlProvider } from "react-intl";
import { type Lang, locales, type MessageId, messages } from "./index.ts";

export type { Lang, MessageId } from "./index.ts";

/** The browser's preferred language among those we have; English otherwise. */
export function detectLang(languages: readonly string[] = navigator.languages ?? [navigator.language]): Lang {
  for (const l of languages) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === "fr" || base === "en") return base;
  }
  return "en";
}

/** Values an ICU message takes: numbers for plurals and `{n, number}`, strings already formatted. */
export type MessageValues = Record<string, string | number | bigint | Date>;

/** Formats one message: `t("campaign.headline", { count: 3, date })`. */
export type Translate = (id: MessageId, values?: MessageValues) => string;

interface I18n {
  lang: Lang;
  /** The Intl locale ("fr-FR", "en-GB"): pass it to the format helpers of lib/format.ts. */
  locale: string;
  t: Translate;
  setLang: (lang: Lang) => void;
  intl: IntlShape;
}

const cache = createIntlCache();

/** An Intl object for a language, outside React too (tests, error messages). */
export function makeIntl(lang: Lang): IntlShape {
  return createIntl({ locale: locales[lang], defaultLocale: "en-GB", messages: messages[lang] }, cache);
}

/** A plain translate function for a language (for code outside components, and tests). */
export function translator(lang: Lang, intl: IntlShape = makeIntl(lang)): Translate {
  return (id, values) => intl.formatMessage({ id }, values as Record<string, string | number>) as string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLang] = useState<Lang>(() => {
    if (initial) return initial;
    const saved = typeof localStorage !== "undefined" ? localStorage.getItem("bascule.lang") : null;
    return saved === "fr" || saved === "en" ? saved : detectLang();
  });
  useEffect(() => {
    document.documentElement.lang = lang;
    try {
      localStorage.setItem("bascule.lang", lang);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, [lang]);
  const intl = useMemo(() => makeIntl(lang), [lang]);
  const t = useMemo(() => translator(lang, intl), [lang, intl]);
  const set = useCallback((l: Lang) => setLang(l), []);
  const value = useMemo(() => ({ lang, locale: locales[lang], t, setLang: set, intl }), [lang, t, set, intl]);
  return (
    <RawIntlProvider value={intl}>
      <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
    </RawIntlProvider>
  );
}

/** The current language, its Intl locale and `t(id, values)` for the messages of every feature. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n outside I18nProvider");
  return i18n;
}
