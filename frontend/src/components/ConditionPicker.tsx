import { useEffect, useId, useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";
import {
  type AtLeastChoice,
  atLeastChoice,
  conditionBp,
  conditionKind,
  formatCoverage,
  guaranteed,
} from "../lib/conditions.ts";
import { formatAmount, isEuroToken, roundShown } from "../lib/format.ts";
import type { CampaignStatic } from "../lib/types.ts";

/** The words of condition k of a campaign, for `conditions.option` / `conditions.name` / the sentences. */
export function conditionValues(conditions: readonly number[], k: number, locale: string) {
  const bp = conditionBp(conditions, k);
  return { kind: conditionKind(bp), percent: formatCoverage(bp, locale) };
}

/**
 * The choice of a support condition, for a person who asks for support in a campaign that offers
 * conditions: "no condition / at least half / all of my request covered", or an amount typed as
 * "at least X" (the smallest class that guarantees it is picked), with the sentence the pledge will
 * say and, beneath, what the condition means. During the final lock a new pledge cannot take a
 * condition (`lockedNew`: the options are shown disabled with the reason), and a pledge that has
 * one keeps it (`frozen`).
 */
export function ConditionPicker({
  s,
  support,
  value,
  onChange,
  threshold,
  date,
  lockedNew = false,
  frozen = false,
  testId = "condition",
}: {
  s: CampaignStatic;
  support: bigint;
  value: number;
  onChange: (condition: number) => void;
  /** With both: the pledge's sentence, "I strike on {date} if {threshold} people do and if …". */
  threshold?: number;
  date?: string;
  lockedNew?: boolean;
  frozen?: boolean;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  const id = useId();
  const [atLeast, setAtLeast] = useState("");
  const conditions = s.params.conditions;
  const fmt = (v: bigint) => formatAmount(v, s.token.decimals, s.token.symbol, locale);
  const choice: AtLeastChoice | null = atLeastChoice(atLeast, s.token.decimals, support, conditions);
  const words = (k: number) => conditionValues(conditions, k, locale);
  const disabled = (k: number) => frozen || (lockedNew && k > 0);
  const unit = isEuroToken(s.token.symbol) ? "€" : s.token.symbol;

  // The support request changed under a typed "at least X": the class it needs may change too (only
  // then: a radio clicked afterwards clears the typed amount).
  const picked = choice?.kind === "class" ? choice.condition : null;
  useEffect(() => {
    if (picked !== null && picked !== value) onChange(picked);
  }, [picked, support]);

  function typed(text: string) {
    setAtLeast(text);
    const c = atLeastChoice(text, s.token.decimals, support, conditions);
    if (c?.kind === "class") onChange(c.condition);
  }

  return (
    <fieldset className="conditions" data-testid={`${testId}-picker`}>
      <legend>{t("conditions.legend")}</legend>
      {lockedNew && (
        <p className="note" data-testid={`${testId}-locked`}>
          {t("conditions.lockedNew")}
        </p>
      )}
      {Array.from({ length: conditions.length + 1 }, (_, k) => (
        <label key={k} className="check">
          <input
            type="radio"
            name={`${id}-condition`}
            value={k}
            checked={value === k}
            disabled={disabled(k)}
            onChange={() => {
              setAtLeast("");
              onChange(k);
            }}
            data-testid={`${testId}-${k}`}
          />
          <span>{t("conditions.option", words(k))}</span>
        </label>
      ))}
      {!frozen && !lockedNew && (
        <div className="field">
          <label htmlFor={`${id}-at-least`}>{t("conditions.atLeastLabel", { unit })}</label>
          <p className="small help" id={`${id}-at-least-help`}>
            {t("conditions.atLeastHelp")}
          </p>
          <input
            id={`${id}-at-least`}
            inputMode="decimal"
            autoComplete="off"
            value={atLeast}
            onChange={(e) => typed(e.target.value)}
            aria-invalid={choice !== null && choice.kind !== "class"}
            aria-describedby={`${id}-at-least-help ${id}-at-least-said`}
            data-testid={`${testId}-at-least`}
          />
          <p
            id={`${id}-at-least-said`}
            className={choice !== null && choice.kind !== "class" ? "error" : "small"}
            aria-live="polite"
            data-testid={`${testId}-at-least-said`}
          >
            {choice === null
              ? ""
              : choice.kind === "invalid"
                ? t("conditions.atLeastInvalid")
                : choice.kind === "aboveRequest"
                  ? t("conditions.atLeastAbove", { amount: fmt(support) })
                  : choice.kind === "aboveOffered"
                    ? t("conditions.atLeastAboveOffered", {
                        percent: words(conditions.length).percent,
                        amount: fmt(roundShown(choice.most, s.token.decimals, s.token.symbol, "down")),
                      })
                    : t("conditions.atLeastPicked", {
                        ...words(choice.condition),
                        name: t("conditions.name", words(choice.condition)),
                        guaranteed: fmt(
                          roundShown(
                            guaranteed(support, conditionBp(conditions, choice.condition)),
                            s.token.decimals,
                            s.token.symbol,
                            "down",
                          ),
                        ),
                      })}
          </p>
        </div>
      )}
      {threshold !== undefined && date !== undefined && value > 0 && (
        <p className="big" data-testid={`${testId}-sentence`}>
          {t("conditions.sentence", { ...words(value), threshold, date, amount: fmt(support) })}
        </p>
      )}
      <p className="small" data-testid={`${testId}-beneath`}>
        {value > 0 ? t("conditions.beneath", words(value)) : t("conditions.beneathNone")}
      </p>
    </fieldset>
  );
}
