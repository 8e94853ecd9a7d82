/** share: the campaign's link, QR code and printable poster. */
export const en = {
  "share.title": "Share this campaign",
  "share.created":
    "Your campaign is created. Share it now: the more people see it, the sooner its thresholds are reached.",
  "share.link": "Link to the campaign",
  "share.copy": "Copy the link",
  "share.copied": "Copied",
  "share.native": "Share…",
  "share.qrAlt": "QR code of the campaign's link",
  "share.poster": "Printable poster (A4)",
  "share.print": "Print",
  "share.back": "Back to the campaign",
  "share.posterIntro":
    "Choose your own threshold: “I will strike if at least N people commit too.” Your pledge binds only if it is reached. Nobody strikes alone.",
  "share.posterDate": "Action day: {date}",
  "share.posterPlace": "Place: {place}",
  "share.posterDeadline": "Pledge before {deadline}.",
  "share.posterScan": "Scan to pledge from your phone, without an account and without giving your name:",
  "share.posterCount": "Count on {date}.",
  "share.posterClosedIntro": "Pledges are closed. The result and what happens next are on the campaign’s page.",
  "share.posterScanClosed": "Scan to see the result and what happens next:",
};

export const fr: typeof en = {
  "share.title": "Partager cette campagne",
  "share.created":
    "Votre campagne est créée. Partagez-la maintenant : plus elle est vue, plus vite ses seuils sont atteints.",
  "share.link": "Lien vers la campagne",
  "share.copy": "Copier le lien",
  "share.copied": "Copié",
  "share.native": "Partager…",
  "share.qrAlt": "QR code du lien de la campagne",
  "share.poster": "Affiche à imprimer (A4)",
  "share.print": "Imprimer",
  "share.back": "Retour à la campagne",
  "share.posterIntro":
    "Choisissez votre seuil : « Je fais grève si au moins N personnes s’engagent aussi. » Votre engagement ne compte que s’il est atteint. Personne ne fait grève seul.",
  "share.posterDate": "Jour de l’action : {date}",
  "share.posterPlace": "Lieu : {place}",
  "share.posterDeadline": "Engagez-vous avant le {deadline}.",
  "share.posterScan": "Scannez pour vous engager depuis votre téléphone, sans compte et sans donner votre nom :",
  "share.posterCount": "Décompte au {date}.",
  "share.posterClosedIntro": "Les engagements sont clos. Le résultat et la suite sont sur la page de la campagne.",
  "share.posterScanClosed": "Scannez pour voir le résultat et la suite :",
};
