/**
 * The verify page's "what the code says" panel (components/CodeFacts.tsx): the three facts a
 * sceptic checks about a campaign's code (docs/verify.md). ICU MessageFormat, ids prefixed by the
 * feature.
 */
export const en = {
  "verifyCode.title": "What the code says",
  "verifyCode.intro":
    "Every campaign is a copy of one program, the implementation, plus its own parameters written into its code once and for all. Three facts to check, here or on a block explorer:",
  "verifyCode.loading": "Reading the code…",
  "verifyCode.readError":
    "The code could not be read from the chain. Reload the page; if it persists, check with {command}.",
  "verifyCode.implementation.title": "1. The program",
  "verifyCode.implementation.text":
    "This campaign runs the implementation {address}, created by the factory. On an explorer, its source code must show as verified with an exact match (metadata hash included).",
  "verifyCode.implementation.metadata": "Its metadata hash, to compare with the explorer and with {command}:",
  "verifyCode.proxy.title": "2. The copy",
  "verifyCode.proxy.ok": "The campaign's code starts with the standard 45-byte ERC-1167 proxy to that implementation.",
  "verifyCode.proxy.noCode": "There is no code at this address.",
  "verifyCode.proxy.notProxy":
    "The campaign's code does not start with the standard 45-byte ERC-1167 proxy: it is not a Bascule campaign.",
  "verifyCode.proxy.otherImplementation":
    "The campaign's code is a proxy to {address}, not to the factory's implementation: do not trust it.",
  "verifyCode.proxy.listed": "The factory lists this campaign: it created it.",
  "verifyCode.proxy.notListed":
    "The factory does not list this address: it is a look-alike that the factory did not create. Do not pledge or donate here.",
  "verifyCode.proxy.explorerNote":
    "Explorers may show this code as a plain contract rather than a proxy, because {count, plural, one {# byte} other {# bytes}} of parameters follow the 45 bytes.",
  "verifyCode.params.title": "3. The parameters",
  "verifyCode.params.ok":
    "The {count, plural, one {# byte} other {# bytes}} after the proxy decode to exactly the parameters this page shows:",
  "verifyCode.params.differ": "The bytes after the proxy differ from what the campaign reports for: {fields}.",
  "verifyCode.params.bad": "The bytes after the proxy are not well-formed campaign parameters.",
  "verifyCode.params.field": "Parameter",
  "verifyCode.params.value": "Value",
  "verifyCode.params.rawHint": "Tap a value to see it as the code holds it.",
  "verifyCode.field.organiser": "Organiser",
  "verifyCode.field.token": "Currency",
  "verifyCode.field.attester": "Who may pledge (gate)",
  "verifyCode.field.oracle": "Participation oracle",
  "verifyCode.field.pledgeDeadline": "Pledge deadline",
  "verifyCode.field.finalLock": "Final lock before the deadline",
  "verifyCode.field.actionDate": "Action date",
  "verifyCode.field.oracleWindow": "Time for the oracle to publish attendance",
  "verifyCode.field.claimWindow": "Time to claim support",
  "verifyCode.field.supportCap": "Most support one person may ask",
  "verifyCode.field.metadataHash": "Fingerprint of the description",
  "verifyCode.field.condition1": "Condition 1 (share of support covered)",
  "verifyCode.field.condition2": "Condition 2 (share of support covered)",
  "verifyCode.field.ladder": "Thresholds",
  "verifyCode.value.ladder": "{levels} people",
  "verifyCode.value.noSpan": "none",
  "verifyCode.value.noCap": "no limit",
  "verifyCode.value.noCondition": "none",
  "verifyCode.value.nativeToken": "ETH, the chain’s own currency",
  "verifyCode.value.noOne": "none",
  "verifyCode.links": "Check on:",
  "verifyCode.noExplorer": "This is a local chain: no public explorer knows it. Check from a terminal with {command}.",
};

export const fr: typeof en = {
  "verifyCode.title": "Ce que dit le code",
  "verifyCode.intro":
    "Chaque campagne est une copie d’un même programme, l’implémentation, avec ses propres paramètres inscrits une fois pour toutes dans son code. Trois faits à vérifier, ici ou sur un explorateur de blocs :",
  "verifyCode.loading": "Lecture du code…",
  "verifyCode.readError":
    "Le code n’a pas pu être lu sur la chaîne. Rechargez la page ; si cela persiste, vérifiez avec {command}.",
  "verifyCode.implementation.title": "1. Le programme",
  "verifyCode.implementation.text":
    "Cette campagne exécute l’implémentation {address}, créée par la fabrique. Sur un explorateur, son code source doit apparaître vérifié, en correspondance exacte (empreinte des métadonnées comprise).",
  "verifyCode.implementation.metadata":
    "Son empreinte de métadonnées, à comparer avec l’explorateur et avec {command} :",
  "verifyCode.proxy.title": "2. La copie",
  "verifyCode.proxy.ok":
    "Le code de la campagne commence par le proxy ERC-1167 standard de 45 octets vers cette implémentation.",
  "verifyCode.proxy.noCode": "Il n’y a aucun code à cette adresse.",
  "verifyCode.proxy.notProxy":
    "Le code de la campagne ne commence pas par le proxy ERC-1167 standard de 45 octets : ce n’est pas une campagne Bascule.",
  "verifyCode.proxy.otherImplementation":
    "Le code de la campagne est un proxy vers {address}, pas vers l’implémentation de la fabrique : ne vous y fiez pas.",
  "verifyCode.proxy.listed": "La fabrique connaît cette campagne : c’est elle qui l’a créée.",
  "verifyCode.proxy.notListed":
    "La fabrique ne connaît pas cette adresse : c’est une imitation qu’elle n’a pas créée. N’y promettez rien et n’y donnez rien.",
  "verifyCode.proxy.explorerNote":
    "Les explorateurs peuvent présenter ce code comme un contrat ordinaire plutôt qu’un proxy, car {count, plural, one {# octet} other {# octets}} de paramètres suivent les 45 octets.",
  "verifyCode.params.title": "3. Les paramètres",
  "verifyCode.params.ok":
    "{count, plural, one {L’octet qui suit le proxy donne} other {Les # octets qui suivent le proxy donnent}} exactement les paramètres affichés sur cette page :",
  "verifyCode.params.differ":
    "Les octets qui suivent le proxy diffèrent de ce que déclare la campagne pour : {fields}.",
  "verifyCode.params.bad": "Les octets qui suivent le proxy ne sont pas des paramètres de campagne bien formés.",
  "verifyCode.params.field": "Paramètre",
  "verifyCode.params.value": "Valeur",
  "verifyCode.params.rawHint": "Touchez une valeur pour la voir telle que le code la contient.",
  "verifyCode.field.organiser": "Organisateur",
  "verifyCode.field.token": "Monnaie",
  "verifyCode.field.attester": "Qui peut s’engager (contrôle d’accès)",
  "verifyCode.field.oracle": "Oracle de participation",
  "verifyCode.field.pledgeDeadline": "Date limite des engagements",
  "verifyCode.field.finalLock": "Verrou final avant la date limite",
  "verifyCode.field.actionDate": "Date de l’action",
  "verifyCode.field.oracleWindow": "Délai de l’oracle pour publier les présences",
  "verifyCode.field.claimWindow": "Délai pour réclamer le soutien",
  "verifyCode.field.supportCap": "Soutien maximal qu’une personne peut demander",
  "verifyCode.field.metadataHash": "Empreinte de la description",
  "verifyCode.field.condition1": "Condition 1 (part du soutien couverte)",
  "verifyCode.field.condition2": "Condition 2 (part du soutien couverte)",
  "verifyCode.field.ladder": "Seuils",
  "verifyCode.value.ladder": "{levels} personnes",
  "verifyCode.value.noSpan": "aucun",
  "verifyCode.value.noCap": "sans limite",
  "verifyCode.value.noCondition": "aucune",
  "verifyCode.value.nativeToken": "ETH, la monnaie propre à la chaîne",
  "verifyCode.value.noOne": "aucun",
  "verifyCode.links": "Vérifier sur :",
  "verifyCode.noExplorer":
    "C’est une chaîne locale : aucun explorateur public ne la connaît. Vérifiez depuis un terminal avec {command}.",
};
