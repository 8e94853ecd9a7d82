import { useI18n } from "../i18n/i18n.tsx";
import { humanError } from "../lib/errors.ts";

/** A human message for an error, announced to screen readers. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid="error">
      {humanError(error, t, lang)}
    </p>
  );
}
