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
};

export const fr: typeof en = {
  "list.deadlineOn": "Date limite des engagements : {date}",
  "list.untitledAt": "Campagne sans titre {address}",
  "list.listTitle": "Campagnes",
  "list.listEmpty": "Aucune campagne n’a encore assez d’engagements.",
  "list.listHiddenNote": "Une campagne apparaît ici quand elle a quelques engagements ; avant, on y accède par son lien.",
  "list.pledgesCount": "{count, plural, one {# engagement} other {# engagements}}",
  "list.openReceipt": "Ouvrir un reçu",
  "list.receiptFileLabel": "Fichier de reçu",
};
