/**
 * French typography as every French text of Bascule must follow it (the dApp's catalogues, the
 * services' refusals, the notifier's messages): a typographic apostrophe (’) in prose, never a
 * straight one, and a no-break space (U+202F, or U+00A0) before : ; ! ? and inside « ».
 * One checker, so the tests of each room hold their texts to the same rule.
 */

/** Letters, French accents included, on each side of an apostrophe in a word ("l’action"). */
const LETTER = "A-Za-zÀ-ÖØ-öø-ÿŒœ";
const NO_BREAK = "\u202f\u00a0";

/**
 * Code-like fragments a French sentence may quote as they are typed (a command, a time, a link):
 * a colon inside them needs no space.
 */
export const TYPOGRAPHY_ALLOWED = [/[a-z]+:\/\/\S*/g, /\b\d{1,2}:\d{2}\b/g, /\bnpm run [\w:-]+/g] as const;

/**
 * The typography faults of a French text, each with a few characters around it; [] when it is right.
 * @example
 * frenchTypographyFaults("Résultat d'après"); // ["straight apostrophe: …tat d'après…"]
 * frenchTypographyFaults("Guichet : Caisse"); // ["no no-break space before “:”: …Guichet : Cai…"]
 * frenchTypographyFaults("voir https://example.org à 10:00"); // []
 */
export function frenchTypographyFaults(text: string): string[] {
  let prose = text;
  for (const code of TYPOGRAPHY_ALLOWED) prose = prose.replace(code, (m) => "_".repeat(m.length));
  const faults: string[] = [];
  const around = (i: number) => `…${text.slice(Math.max(0, i - 8), i + 6)}…`;
  for (const m of prose.matchAll(new RegExp(`[${LETTER}]'[${LETTER}]`, "g")))
    faults.push(`straight apostrophe: ${around(m.index + 1)}`);
  for (const m of prose.matchAll(/[:;!?]/g)) {
    const before = prose[m.index - 1];
    // "?!" and "…" chains: the space goes before the first mark only
    if (before !== undefined && /[:;!?]/.test(before)) continue;
    if (before === undefined || !NO_BREAK.includes(before))
      faults.push(`no no-break space before “${m[0]}”: ${around(m.index)}`);
  }
  for (const m of prose.matchAll(/«(.)|(.)»/g)) {
    const inside = m[1] ?? m[2];
    if (!NO_BREAK.includes(inside)) faults.push(`no no-break space inside « »: ${around(m.index)}`);
  }
  return faults;
}
