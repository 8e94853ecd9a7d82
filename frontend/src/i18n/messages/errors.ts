/**
 * errors: one sentence per class of error, saying what happened and what to do next.
 * lib/errors.ts maps every error (wallet, node, contract, relayer) to one of these ids.
 */
export const en = {
  "errors.address": "Not a valid address. An address starts with 0x followed by 40 letters and digits.",
  "errors.wrongNetwork": "Your wallet is on another network. Switch it to the campaign’s network, then try again.",
  "errors.receiptOtherNetwork":
    "This receipt belongs to a campaign on another network. Open it on the site of that network.",
  "errors.rejected": "You declined the request in your wallet. Nothing was sent; you can try again.",
  "errors.payeeZero":
    "This address burns what it receives: the support would be lost for good. Enter the address of a wallet you hold.",
  "errors.payeeCampaign":
    "This is the address of a Bascule contract (the campaign or its factory), not a wallet: the support sent there could never be spent. Enter the address of a wallet you hold.",
  "errors.payeeToken":
    "This is the address of the campaign’s token contract, not a wallet: tokens sent there are lost. Enter the address of a wallet you hold.",
  "errors.payeePledgeKey":
    "This is the address of your pledge key, not a wallet: only this receipt could spend it, and no wallet shows it. Enter the address of a wallet you hold.",
  "errors.funds":
    "Your wallet does not hold enough for this amount plus the network fee. Lower the amount or add funds, then try again.",
  "errors.invalidRequest":
    "Your wallet refused the request as invalid. Check that the amount is no more than what you hold, then try again.",
  "errors.rpc": "The blockchain cannot be reached right now. Check your connection and try again in a minute.",
  "errors.relayerDown":
    "The relayer that sends pledges for free cannot be reached. Try again in a few minutes, or send it with a wallet if you have one.",
  "errors.pledgeNotSeen":
    "The relayer received your pledge, but it is not recorded on the network yet. Keep this page open: your pledge opens as soon as it is recorded. You can also send it with a wallet; it cannot be counted twice.",
  "errors.notCampaign":
    "There is no Bascule campaign at this address on this network. Check the link you were given, or find the campaign in the list.",
  "errors.campaignNotOpen":
    "This campaign was not created by Bascule’s factory: it accepts nothing. Ask the organiser for the right link.",
  "errors.deadlinePassed": "The pledge deadline has passed: pledges, changes and donations are closed.",
  "errors.finalLock":
    "The final lock has begun: until the deadline you can still pledge, lower your threshold or donate, but not withdraw or raise it.",
  "errors.notTriggered": "This pledge is not triggered: there is no support to claim.",
  "errors.nothing": "There is nothing to take right now.",
  "errors.attester":
    "This campaign requires a voucher from its attester (for instance your union). Ask the organiser how to get one.",
  "errors.supportAboveCap": "The support asked is above the campaign’s cap. Lower it, then try again.",
  "errors.levelOutOfRange": "This threshold is not on the campaign’s ladder. Reload the page and choose again.",
  "errors.staleReceipt":
    "This pledge was changed meanwhile (from another device?). Reload the page to see its current state, then try again.",
  "errors.alreadyClaimed": "This support was already claimed.",
  "errors.claimWindowClosed": "The window to claim or take back has closed.",
  "errors.participationPending":
    "Your participation has not been confirmed yet. Come back once the participation list is published.",
  "errors.notParticipant":
    "This pledge is not on the participation list: no support can be paid. Ask the organiser if this is a mistake.",
  "errors.notPledged": "This receipt has no pledge recorded in this campaign.",
  "errors.feeTooHigh": "The relayer’s fee went up. Reload the page and try again.",
  "errors.donationAmount": "Enter an amount above zero.",
  "errors.notDonor": "Only the wallet that made this donation can act on it. Connect that wallet.",
  "errors.notResolved": "The campaign is not resolved yet. Resolve it first, or wait.",
  "errors.alreadyResolved": "The campaign is already resolved. Reload the page.",
  "errors.deadlineNotPassed": "The pledge deadline has not passed yet: the result is not final.",
  "errors.noPermit":
    "This token cannot be given with a single signature. Approve it in your wallet first, then donate.",
  "errors.proofMissing":
    "No proof of participation was found for this receipt. Ask the organiser whether your participation was recorded.",
  "errors.contract":
    "The contract refused this action and nothing changed. Reload the page to see the campaign’s current state, then try again.",
  "errors.unknown":
    "Something went wrong and nothing was changed. Reload the page and try again; if it happens again, tell the organiser.",
};

export const fr: typeof en = {
  "errors.address": "Adresse invalide. Une adresse commence par 0x suivi de 40 lettres et chiffres.",
  "errors.wrongNetwork": "Votre portefeuille est sur un autre réseau. Passez sur celui de la campagne, puis réessayez.",
  "errors.receiptOtherNetwork":
    "Ce reçu appartient à une campagne d’un autre réseau. Ouvrez-le sur le site de ce réseau.",
  "errors.rejected":
    "Vous avez refusé la demande dans votre portefeuille. Rien n’a été envoyé ; vous pouvez réessayer.",
  "errors.payeeZero":
    "Cette adresse détruit ce qu’elle reçoit : le soutien serait perdu pour de bon. Saisissez l’adresse d’un portefeuille que vous détenez.",
  "errors.payeeCampaign":
    "C’est l’adresse d’un contrat Bascule (la campagne ou sa fabrique), pas d’un portefeuille : le soutien versé là ne pourrait jamais être dépensé. Saisissez l’adresse d’un portefeuille que vous détenez.",
  "errors.payeeToken":
    "C’est l’adresse du contrat du jeton de la campagne, pas d’un portefeuille : les jetons envoyés là sont perdus. Saisissez l’adresse d’un portefeuille que vous détenez.",
  "errors.payeePledgeKey":
    "C’est l’adresse de votre clé d’engagement, pas d’un portefeuille : seul ce reçu pourrait la dépenser, et aucun portefeuille ne l’affiche. Saisissez l’adresse d’un portefeuille que vous détenez.",
  "errors.funds":
    "Votre portefeuille ne contient pas assez pour ce montant et les frais du réseau. Baissez le montant ou ajoutez des fonds, puis réessayez.",
  "errors.invalidRequest":
    "Votre portefeuille a refusé la demande comme invalide. Vérifiez que le montant ne dépasse pas ce que vous avez, puis réessayez.",
  "errors.rpc": "La blockchain est injoignable pour l’instant. Vérifiez votre connexion et réessayez dans une minute.",
  "errors.relayerDown":
    "Le relais qui envoie gratuitement les engagements est injoignable. Réessayez dans quelques minutes, ou envoyez-le avec un portefeuille si vous en avez un.",
  "errors.pledgeNotSeen":
    "Le relais a reçu votre engagement, mais il n’est pas encore enregistré sur le réseau. Gardez cette page ouverte : votre engagement s’ouvrira dès qu’il sera enregistré. Vous pouvez aussi l’envoyer avec un portefeuille ; il ne peut pas être compté deux fois.",
  "errors.notCampaign":
    "Il n’y a pas de campagne Bascule à cette adresse sur ce réseau. Vérifiez le lien reçu, ou cherchez la campagne dans la liste.",
  "errors.campaignNotOpen":
    "Cette campagne n’a pas été créée par la fabrique de Bascule : elle n’accepte rien. Demandez le bon lien à l’organisateur.",
  "errors.deadlinePassed": "La date limite est passée : engagements, modifications et dons sont clos.",
  "errors.finalLock":
    "Le verrou final a commencé : jusqu’à la date limite, on peut encore s’engager, baisser son seuil ou donner, mais plus retirer ni relever.",
  "errors.notTriggered": "Cet engagement n’est pas déclenché : il n’y a pas de soutien à réclamer.",
  "errors.nothing": "Il n’y a rien à reprendre pour l’instant.",
  "errors.attester":
    "Cette campagne demande l’aval de son attestateur (par exemple votre syndicat). Demandez à l’organisateur comment l’obtenir.",
  "errors.supportAboveCap": "Le soutien demandé dépasse le plafond de la campagne. Baissez-le, puis réessayez.",
  "errors.levelOutOfRange": "Ce seuil n’est pas un palier de la campagne. Rechargez la page et choisissez à nouveau.",
  "errors.staleReceipt":
    "Cet engagement a été modifié entre-temps (depuis un autre appareil ?). Rechargez la page pour voir son état, puis réessayez.",
  "errors.alreadyClaimed": "Ce soutien a déjà été réclamé.",
  "errors.claimWindowClosed": "Le délai pour réclamer ou reprendre est écoulé.",
  "errors.participationPending":
    "Votre participation n’est pas encore confirmée. Revenez quand la liste de participation sera publiée.",
  "errors.notParticipant":
    "Cet engagement n’est pas sur la liste de participation : aucun soutien ne peut être versé. Demandez à l’organisateur s’il s’agit d’une erreur.",
  "errors.notPledged": "Ce reçu n’a aucun engagement enregistré dans cette campagne.",
  "errors.feeTooHigh": "Les frais du relais ont augmenté. Rechargez la page et réessayez.",
  "errors.donationAmount": "Saisissez un montant supérieur à zéro.",
  "errors.notDonor": "Seul le portefeuille qui a fait ce don peut agir dessus. Connectez ce portefeuille.",
  "errors.notResolved": "La campagne n’est pas encore résolue. Résolvez-la d’abord, ou attendez.",
  "errors.alreadyResolved": "La campagne est déjà résolue. Rechargez la page.",
  "errors.deadlineNotPassed": "La date limite n’est pas encore passée : le résultat n’est pas définitif.",
  "errors.noPermit":
    "Ce jeton ne se donne pas en une seule signature. Autorisez-le d’abord dans votre portefeuille, puis donnez.",
  "errors.proofMissing":
    "Aucune preuve de participation trouvée pour ce reçu. Demandez à l’organisateur si votre participation a été enregistrée.",
  "errors.contract":
    "Le contrat a refusé cette action et rien n’a changé. Rechargez la page pour voir l’état de la campagne, puis réessayez.",
  "errors.unknown":
    "Un problème est survenu et rien n’a été modifié. Rechargez la page et réessayez ; si cela se reproduit, prévenez l’organisateur.",
};
