import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { type Lang, type Messages, messages } from "./messages.ts";

/** The browser's preferred language among those we have; English otherwise. */
export function detectLang(languages: readonly string[] = navigator.languages ?? [navigator.language]): Lang {
  for (const l of languages) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === "fr" || base === "en") return base;
  }
  return "en";
}

interface I18n {
  lang: Lang;
  t: Messages;
  setLang: (lang: Lang) => void;
  locale: string;
}

const I18nContext = createContext<I18n>({ lang: "en", t: messages.en, setLang: () => {}, locale: "en" });

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
  const value = useMemo(
    () => ({ lang, t: messages[lang], setLang, locale: lang === "fr" ? "fr-FR" : "en-GB" }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language's messages and helpers. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
