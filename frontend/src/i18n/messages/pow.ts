/**
 * The proof of work's progress line in the pledge flow (ICU MessageFormat). An open campaign's
 * relayer asks the device for a short computation before a key's first pledge, so that faking
 * thousands of pledges costs something.
 */
export const en = {
  "pow.working": "Preparing your pledge on this device… {percent, number, percent}",
  "pow.why":
    "This open campaign asks each new pledge for a few seconds of computation, so that nobody can fake thousands of them.",
};

export const fr: typeof en = {
  "pow.working": "Préparation de votre engagement sur cet appareil… {percent, number, percent}",
  "pow.why":
    "Cette campagne ouverte demande à chaque nouvel engagement quelques secondes de calcul, pour que personne ne puisse en fabriquer des milliers.",
};
