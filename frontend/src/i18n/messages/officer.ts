/**
 * officer: what a union officer does from the dApp alone (issue 19, item 9): a union campaign with
 * invite codes and payout desks on the create page, the check-in list sent for publication, names
 * instead of addresses. ICU MessageFormat strings, English and French.
 */
export const en = {
  "officer.title": "Union: invite codes and payout desks",
  "officer.explain":
    "For a campaign of your union's members: each member gets a printed invite code, and strike funds (payout desks) pay support by bank transfer to those without a wallet.",
  "officer.organiserName": "Your union’s name (optional)",
  "officer.organiserNameHelp":
    "Shown instead of your account on the campaign’s pages; your account stays one tap away.",
  "officer.inviteCodes": "Members only, with invite codes from the union",
  "officer.inviteHelp":
    "Your wallet sends two transactions: the code checker for this campaign, then the campaign. The union's invite-code service signs for this campaign only.",
  "officer.serviceUrl": "Address of the union’s invite-code service",
  "officer.serviceHelp": "Given by whoever runs the service for your union.",
  "officer.token": "Organiser password of that service",
  "officer.tokenHelp":
    "Typed once here. It is kept only in this browser tab, for the codes page, and forgotten when the tab is closed; it is never written to the campaign.",
  "officer.keeper":
    "Who came is published by the union’s publishing service ({name}), from the list you send from the check-in page.",
  "officer.noKeeper":
    "No publishing service is configured here: give the wallet that will publish who came in “Participation oracle” below.",
  "officer.desks": "Payout desks",
  "officer.desksHelp":
    "A strike fund that pays members by bank transfer. The account is where claims to this desk are paid on the network: check it with the fund’s treasurer.",
  "officer.desksNone": "No payout desk yet.",
  "officer.deskAdd": "Add a payout desk",
  "officer.deskRemove": "Remove this desk",
  "officer.deskLegend": "Payout desk {id}",
  "officer.deskName": "Name of the desk",
  "officer.deskContact": "How to reach it (telephone, e-mail, address)",
  "officer.deskInstructions": "What to bring, when it pays",
  "officer.deskAddress": "The desk’s account (0x…)",
  "officer.errRequired": "Required.",
  "officer.errTooLong": "At most {count, plural, one {# character} other {# characters}}.",
  "officer.errDeskAddress": "Not an account address (0x followed by 40 characters).",
  "officer.errDeskZero": "This address belongs to nobody: support sent there is lost.",
  "officer.errDeskTwice": "This account is already another desk’s.",
  "officer.errTooManyDesks": "At most {count, plural, one {# desk} other {# desks}}.",
  "officer.errUrl": "Not a web address.",
  "officer.step.key": "Making the campaign’s key at the union’s service…",
  "officer.step.predict": "Checking the campaign with the network…",
  "officer.step.bind": "Telling the union’s service which campaign it signs for…",
  "officer.step.verifier": "Confirm in your wallet: the code checker for this campaign (1 of 2)…",
  "officer.step.campaign": "Confirm in your wallet: the campaign (2 of 2)…",
  "officer.send": "Send the list for publication",
  "officer.sendHelp":
    "Your wallet signs the list (no transaction, nothing to pay); the union’s publishing service then publishes it on the network from the action day. Only the campaign’s organiser can send it; a later list replaces an earlier one until it is published.",
  "officer.sending": "Sign in your wallet…",
  "officer.sent":
    "{count, plural, =0 {An empty list was sent.} one {The list of # person was sent; it will be published from the action day.} other {The list of # people was sent; it will be published from the action day.}}",
  "officer.kept":
    "{count, plural, =0 {The publishing service holds an empty list (signed {when}).} one {The publishing service holds a list of # person (signed {when}).} other {The publishing service holds a list of # people (signed {when}).}}",
  "officer.published": "Who came is published on the network: members present can claim their support.",
  "officer.noRelayer": "No publishing service is configured here: save the list as a file for whoever publishes it.",
  "officer.notOrganiser": "Only the campaign’s organiser ({name}) can send the list: connect that wallet.",
  "officer.saveFile": "Save the list as a file (for the other scanners)",
  "officer.organiser": "Organiser",
  "officer.showAddress": "Show the account",
  "officer.hideAddress": "Hide the account",
  "officer.checker": "the union’s code checker",
  "officer.publisher": "the union’s publishing service",
  "officer.deskOwes": "What the desk owes in total: {amount}",
  "officer.deskOwesPaid": "Still to pay: {amount}",
  "officer.noEuro":
    "This campaign is paid in {symbol}, not in a euro token: no exchange rate is used here, convert at the day’s rate.",
};

export const fr: typeof en = {
  "officer.title": "Syndicat : codes d’invitation et guichets de paiement",
  "officer.explain":
    "Pour une campagne réservée aux membres de votre syndicat : chaque membre reçoit un code d’invitation imprimé, et des caisses de grève (guichets de paiement) versent le soutien par virement à qui n’a pas de portefeuille.",
  "officer.organiserName": "Nom de votre syndicat (facultatif)",
  "officer.organiserNameHelp":
    "Affiché à la place de votre compte sur les pages de la campagne ; votre compte reste à portée d’un geste.",
  "officer.inviteCodes": "Réservée aux membres, avec des codes d’invitation du syndicat",
  "officer.inviteHelp":
    "Votre portefeuille envoie deux transactions : le vérificateur de codes de cette campagne, puis la campagne. Le service de codes du syndicat ne signe que pour cette campagne.",
  "officer.serviceUrl": "Adresse du service de codes d’invitation du syndicat",
  "officer.serviceHelp": "Donnée par qui fait tourner le service pour votre syndicat.",
  "officer.token": "Mot de passe d’organisation de ce service",
  "officer.tokenHelp":
    "Saisi une fois ici. Il n’est gardé que dans cet onglet du navigateur, pour la page des codes, et oublié à sa fermeture ; il n’est jamais écrit dans la campagne.",
  "officer.keeper":
    "La liste des présents est publiée par le service de publication du syndicat ({name}), à partir de la liste que vous envoyez depuis la page de pointage.",
  "officer.noKeeper":
    "Aucun service de publication n’est configuré ici : indiquez ci-dessous, dans « Oracle de participation », le portefeuille qui publiera la liste des présents.",
  "officer.desks": "Guichets de paiement",
  "officer.desksHelp":
    "Une caisse de grève qui paie les membres par virement. Le compte est celui où les demandes faites à ce guichet sont versées sur le réseau : vérifiez-le avec la trésorerie de la caisse.",
  "officer.desksNone": "Aucun guichet de paiement pour l’instant.",
  "officer.deskAdd": "Ajouter un guichet de paiement",
  "officer.deskRemove": "Retirer ce guichet",
  "officer.deskLegend": "Guichet de paiement {id}",
  "officer.deskName": "Nom du guichet",
  "officer.deskContact": "Comment le joindre (téléphone, courriel, adresse)",
  "officer.deskInstructions": "Quoi apporter, quand il paie",
  "officer.deskAddress": "Le compte du guichet (0x…)",
  "officer.errRequired": "Obligatoire.",
  "officer.errTooLong": "{count, plural, one {# caractère} other {# caractères}} au plus.",
  "officer.errDeskAddress": "Ce n’est pas une adresse de compte (0x suivi de 40 caractères).",
  "officer.errDeskZero": "Cette adresse n’appartient à personne : le soutien envoyé là est perdu.",
  "officer.errDeskTwice": "Ce compte est déjà celui d’un autre guichet.",
  "officer.errTooManyDesks": "{count, plural, one {# guichet} other {# guichets}} au plus.",
  "officer.errUrl": "Ce n’est pas une adresse web.",
  "officer.step.key": "Création de la clé de la campagne au service du syndicat…",
  "officer.step.predict": "Vérification de la campagne auprès du réseau…",
  "officer.step.bind": "Le service du syndicat apprend pour quelle campagne il signe…",
  "officer.step.verifier": "Confirmez dans votre portefeuille : le vérificateur de codes de cette campagne (1 sur 2)…",
  "officer.step.campaign": "Confirmez dans votre portefeuille : la campagne (2 sur 2)…",
  "officer.send": "Envoyer la liste pour publication",
  "officer.sendHelp":
    "Votre portefeuille signe la liste (aucune transaction, rien à payer) ; le service de publication du syndicat la publie ensuite sur le réseau à partir du jour de l’action. Seul l’organisateur de la campagne peut l’envoyer ; une liste plus récente remplace la précédente tant qu’elle n’est pas publiée.",
  "officer.sending": "Signez dans votre portefeuille…",
  "officer.sent":
    "{count, plural, =0 {Une liste vide a été envoyée.} one {La liste de # personne a été envoyée ; elle sera publiée à partir du jour de l’action.} other {La liste de # personnes a été envoyée ; elle sera publiée à partir du jour de l’action.}}",
  "officer.kept":
    "{count, plural, =0 {Le service de publication détient une liste vide (signée le {when}).} one {Le service de publication détient une liste de # personne (signée le {when}).} other {Le service de publication détient une liste de # personnes (signée le {when}).}}",
  "officer.published":
    "La liste des présents est publiée sur le réseau : les membres présents peuvent demander leur soutien.",
  "officer.noRelayer":
    "Aucun service de publication n’est configuré ici : enregistrez la liste dans un fichier pour qui la publie.",
  "officer.notOrganiser":
    "Seul l’organisateur de la campagne ({name}) peut envoyer la liste : connectez ce portefeuille.",
  "officer.saveFile": "Enregistrer la liste dans un fichier (pour les autres scanners)",
  "officer.organiser": "Organisateur",
  "officer.showAddress": "Voir le compte",
  "officer.hideAddress": "Masquer le compte",
  "officer.checker": "le vérificateur de codes du syndicat",
  "officer.publisher": "le service de publication du syndicat",
  "officer.deskOwes": "Ce que le guichet doit au total : {amount}",
  "officer.deskOwesPaid": "Reste à payer : {amount}",
  "officer.noEuro":
    "Cette campagne est payée en {symbol}, pas en jeton euro : aucun taux de change n’est utilisé ici, convertissez au cours du jour.",
};
