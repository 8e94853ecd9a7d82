import { useI18n } from "../i18n/i18n.tsx";

/**
 * The choice of a level of a campaign's ladder ("at least N people"), levels counted from 1. With
 * `placeholder`, a first disabled option for "none chosen yet" (value 0). With `maxLevel`, the levels
 * above it are not offered (during the final lock a pledge's threshold may only go down).
 */
export function LevelSelect({
  ladder,
  value,
  onChange,
  placeholder,
  id,
  required,
  disabled,
  maxLevel,
  testId,
}: {
  ladder: readonly number[];
  value: number;
  onChange: (level: number) => void;
  placeholder?: string;
  id?: string;
  required?: boolean;
  disabled?: boolean;
  maxLevel?: number;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(Number(e.target.value))}
      data-testid={testId}
      required={required}
      disabled={disabled}
    >
      {placeholder !== undefined && (
        <option value={0} disabled>
          {placeholder}
        </option>
      )}
      {ladder.slice(0, maxLevel ?? ladder.length).map((l, i) => (
        <option key={i} value={i + 1}>
          {t("common.peopleAtLeast", { count: l })}
        </option>
      ))}
    </select>
  );
}
