/** list: ICU MessageFormat strings, English and French. */
export const en = {
  "list.deadlineOn": "Pledge deadline: {date}",
  "list.untitledAt": "Untitled campaign {address}",
  "list.listTitle": "Campaigns",
  "list.listEmpty": "No campaign with enough pledges yet.",
  "list.listHiddenNote": "A campaign appears here once it has a few pledges; until then it is reachable by its link.",
  "list.pledgesCount": "{count, plural, one {# pledge} other {# pledges}}",
  "list.openReceipt": "Open a receipt",
  "list.receiptFileLabel": "Receipt file",
  "list.readyCount": "{count, plural, one {# person pledged} other {# people pledged}}",
  "list.actNowCount": "{count, plural, =0 {nobody would act yet} one {# would act now} other {# would act now}}",
  "list.committedCount": "{count, plural, one {# person bound to strike} other {# people bound to strike}}",
  "list.sourceIndexer":
    "Figures from an indexer, for speed: not a trustless check. Each campaign's page reads them from the chain itself.",
  "list.sourceChain": "Figures read from the chain.",
  "list.unreadable":
    "{count, plural, one {# campaign could not be read from the chain just now and is not listed: reload the page later.} other {# campaigns could not be read from the chain just now and are not listed: reload the page later.}}",
  "list.cardFailed": "This campaign cannot be shown in the list ({address}).",
  "list.cardOpen": "Open its page",
};

export const fr: typeof en = {
  "list.deadlineOn": "Date limite des engagements : {date}",
  "list.untitledAt": "Campagne sans titre {address}",
  "list.listTitle": "Campagnes",
  "list.listEmpty": "Aucune campagne n’a encore assez d’engagements.",
  "list.listHiddenNote":
    "Une campagne apparaît ici quand elle a quelques engagements ; avant, on y accède par son lien.",
  "list.pledgesCount": "{count, plural, one {# engagement} other {# engagements}}",
  "list.openReceipt": "Ouvrir un reçu",
  "list.receiptFileLabel": "Fichier de reçu",
  "list.readyCount": "{count, plural, one {# personne engagée} other {# personnes engagées}}",
  "list.actNowCount":
    "{count, plural, =0 {personne n’agirait encore} one {# agirait maintenant} other {# agiraient maintenant}}",
  "list.committedCount":
    "{count, plural, one {# personne tenue de faire grève} other {# personnes tenues de faire grève}}",
  "list.sourceIndexer":
    "Chiffres fournis par un indexeur, pour aller plus vite : ils ne sont pas vérifiés. La page de chaque campagne les lit directement sur la chaîne.",
  "list.sourceChain": "Chiffres lus sur la chaîne.",
  "list.unreadable":
    "{count, plural, one {# campagne n’a pas pu être lue sur la chaîne à l’instant et n’est pas listée : rechargez la page plus tard.} other {# campagnes n’ont pas pu être lues sur la chaîne à l’instant et ne sont pas listées : rechargez la page plus tard.}}",
  "list.cardFailed": "Cette campagne ne peut pas être affichée dans la liste ({address}).",
  "list.cardOpen": "Ouvrir sa page",
};
