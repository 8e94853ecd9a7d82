/**
 * Until the react-intl i18n lands: formats the replay strings (plain {name} arguments, already
 * formatted) in the current language. Replaced by `useI18n().t` once messages/replay.ts is merged
 * into the shared index.
 */
import { useI18n } from "./i18n.tsx";
import * as replay from "./messages/replay.ts";

export type ReplayMessageId = keyof typeof replay.en;

export function useReplayText(): (id: ReplayMessageId, values?: Record<string, string | number>) => string {
  const { lang } = useI18n();
  const table = lang === "fr" ? replay.fr : replay.en;
  return (id, values) => table[id].replace(/\{(\w+)\}/g, (_, k: string) => String(values?.[k] ?? `{${k}}`));
}
