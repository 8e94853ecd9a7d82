import type { MetadataField } from "@bascule/core/metadata";
import { useI18n } from "../i18n/i18n.tsx";

/**
 * Says what of a campaign's description was left out because it did not match its schema (a title
 * that is not a string, a text beyond its bound…), or that none of it could be read: the reader
 * knows something is missing, and nothing malformed is rendered.
 */
export function MetadataNote({ omitted, unreadable = false }: { omitted: MetadataField[]; unreadable?: boolean }) {
  const { t, intl } = useI18n();
  if (!unreadable && omitted.length === 0) return null;
  return (
    <p className="small muted" data-testid="metadata-note">
      {unreadable
        ? t("common.metaUnreadable")
        : t("common.metaOmitted", {
            fields: intl.formatList(
              omitted.map((f) => t(`common.metaField.${f}`)),
              { type: "conjunction" },
            ),
          })}
    </p>
  );
}
