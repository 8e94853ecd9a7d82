/**
 * replay: the verify page's two checks (the result from the contract's tallies, then the full
 * replay of the event log in a Web Worker). ICU MessageFormat strings, English and French; counts go
 * through ICU numbers and plurals, amounts arrive formatted.
 */
export const en = {
  "replay.tallyTitle": "Result from the contract's own tallies",
  "replay.tallyOk": "The recorded result follows from the contract's per-level tallies.",
  "replay.tallyBad": "The recorded result does NOT follow from the contract's per-level tallies.",
  "replay.tallyProvisional": "Not resolved yet: this is the result the tallies give right now.",
  "replay.title": "Result recomputed in your browser from every event",
  "replay.explain":
    "Your browser reads the campaign's whole event log, page by page, replays it with the reference model and compares the totals with the contract's at the same block.",
  "replay.progressLabel": "Replay of the event log",
  "replay.running":
    "Reading block {block, number} of {toBlock, number}: {events, plural, one {# event} other {# events}} so far.",
  "replay.starting": "Starting the replay…",
  "replay.match":
    "Matches the contract: the {events, plural, one {# event} other {# events}} up to block {block, number} replay to its tallies.",
  "replay.mismatch":
    "Does NOT match the contract: at level {level} ({field}), the events give {left} and the contract {right}.",
  "replay.historyMismatch":
    "NOT VERIFIED: the RPC endpoint's history is incomplete or altered. Up to block {block, number} the contract has recorded {expected, plural, one {# event} other {# events}}; the endpoint gave {seen, plural, one {# event} other {# events}}: {missing, plural, =0 {none is missing, but some were changed, added or reordered} one {# is missing} other {# are missing}}. Use another endpoint.",
  "replay.cancel": "Stop the replay",
  "replay.restart": "Replay again",
  "replay.cancelled": "Replay stopped: no verdict was given.",
  "replay.failed": "The replay could not finish ({code}): no verdict. Try again later or use another RPC endpoint.",
  "replay.inconsistent":
    "The RPC endpoint returned inconsistent logs (out of order or outside the range asked): no verdict. Use another endpoint.",
  "replay.cost": "{seconds} s for {pages, plural, one {# page read} other {# pages read}}.",
  "replay.recent": "Latest events (up to 200)",
  "replay.colBlock": "Block",
  "replay.colEvent": "Event",
  "replay.colArgs": "Details",
  "replay.fieldCounts": "people",
  "replay.fieldRequested": "support requested",
  "replay.fieldDonated": "donations",
  "replay.fieldConditional": "pledges or requests with a condition",
};

export const fr: typeof en = {
  "replay.tallyTitle": "Résultat d’après les totaux du contrat",
  "replay.tallyOk": "Le résultat enregistré découle des totaux par niveau du contrat.",
  "replay.tallyBad": "Le résultat enregistré ne découle PAS des totaux par niveau du contrat.",
  "replay.tallyProvisional": "Pas encore résolue : voici le résultat que donnent les totaux en ce moment.",
  "replay.title": "Résultat recalculé dans votre navigateur à partir de chaque événement",
  "replay.explain":
    "Votre navigateur lit tout le journal des événements de la campagne, page par page, le rejoue avec le modèle de référence et compare les totaux avec ceux du contrat au même bloc.",
  "replay.progressLabel": "Relecture du journal des événements",
  "replay.running":
    "Lecture du bloc {block, number} sur {toBlock, number} : {events, plural, one {# événement} other {# événements}} jusqu’ici.",
  "replay.starting": "Démarrage de la relecture…",
  "replay.match":
    "Correspond au contrat : {events, plural, one {l’unique événement} other {les # événements}} jusqu’au bloc {block, number} redonnent ses totaux.",
  "replay.mismatch":
    "Ne correspond PAS au contrat : au niveau {level} ({field}), les événements donnent {left} et le contrat {right}.",
  "replay.historyMismatch":
    "NON VÉRIFIÉ : l’historique du point d’accès RPC est incomplet ou altéré. Jusqu’au bloc {block, number}, le contrat a enregistré {expected, plural, one {# événement} other {# événements}} ; le point d’accès en a donné {seen, number} : {missing, plural, =0 {aucun ne manque, mais certains ont été modifiés, ajoutés ou réordonnés} one {# manque} other {# manquent}}. Utilisez un autre point d’accès.",
  "replay.cancel": "Arrêter la relecture",
  "replay.restart": "Relire à nouveau",
  "replay.cancelled": "Relecture arrêtée : aucun verdict n’a été donné.",
  "replay.failed":
    "La relecture n’a pas pu aboutir ({code}) : pas de verdict. Réessayez plus tard ou utilisez un autre point d’accès RPC.",
  "replay.inconsistent":
    "Le point d’accès RPC a renvoyé des journaux incohérents (désordonnés ou hors de la plage demandée) : pas de verdict. Utilisez un autre point d’accès.",
  "replay.cost": "{seconds} s pour {pages, plural, one {# page lue} other {# pages lues}}.",
  "replay.recent": "Derniers événements (200 au plus)",
  "replay.colBlock": "Bloc",
  "replay.colEvent": "Événement",
  "replay.colArgs": "Détails",
  "replay.fieldCounts": "personnes",
  "replay.fieldRequested": "soutien demandé",
  "replay.fieldDonated": "dons",
  "replay.fieldConditional": "engagements ou demandes avec condition",
};
