/** donate: ICU MessageFormat strings, English and French. */
export const en = {
  "donate.donateTitle": "Donate to the strike fund",
  "donate.donateExplain":
    "Your donation is held in escrow and released only if the number you choose is reached; otherwise you take it back in full. Donating needs a wallet.",
  "donate.donateButton": "Donate",
  "donate.closedTitle": "Donations",
  "donate.closedExplain":
    "Donations are closed. If you gave, connect the wallet you gave with to see what comes back to you.",
  "donate.myDonations": "My donations",
  "donate.noDonations": "You have no donation in this campaign.",
  "donate.withdraw": "Withdraw",
  "donate.refund": "Refund",
  "donate.takeSurplus": "Take back surplus",
  "donate.takeRemainder": "Take back remainder",
  "donate.nothingNow": "Nothing to take back now",
  "donate.donationLine": "Donation no. {id}: {amount}, if {condition}",
  "donate.withdrawnLine": "— withdrawn: {amount} went back to your wallet.",
  "donate.thanks": "Thank you: your donation is in escrow.",
  "donate.balance": "In your wallet: {amount}.",
  "donate.aboveBalance": "Your wallet holds {amount}: lower the amount, or add funds to your wallet first.",
  "donate.aboveBalanceEth":
    "Your wallet holds {amount}, and the network fee comes on top: lower the amount, or add funds to your wallet first.",
  "donate.lockedWithdraw":
    "The final lock has begun: donations can no longer be withdrawn. Once the result is known, you take back what is not paid to the strikers.",
  "donate.gateUnchecked":
    "Before you donate: this campaign's attester {address} is a contract we cannot check. It may accept anyone, so the support you give may be paid to throw-away keys rather than to strikers.",
  "donate.gateLookAlike":
    "Before you donate: this campaign is a look-alike. Its attester {address} is a union's verifier bound to another campaign ({campaign}), so no union member can pledge here. Look for the real campaign.",
};

export const fr: typeof en = {
  "donate.donateTitle": "Donner à la caisse de grève",
  "donate.donateExplain":
    "Votre don est mis sous séquestre et versé seulement si le nombre choisi est atteint ; sinon vous le reprenez en totalité. Donner demande un portefeuille.",
  "donate.donateButton": "Donner",
  "donate.closedTitle": "Dons",
  "donate.closedExplain":
    "Les dons sont clos. Si vous avez donné, connectez le portefeuille qui a donné pour voir ce qui vous revient.",
  "donate.myDonations": "Mes dons",
  "donate.noDonations": "Vous n’avez aucun don dans cette campagne.",
  "donate.withdraw": "Retirer",
  "donate.refund": "Se faire rembourser",
  "donate.takeSurplus": "Reprendre l’excédent",
  "donate.takeRemainder": "Reprendre le reliquat",
  "donate.nothingNow": "Rien à reprendre pour l’instant",
  "donate.donationLine": "Don n° {id} : {amount}, s’il y en a {condition}",
  "donate.withdrawnLine": "— retiré : {amount} est revenu dans votre portefeuille.",
  "donate.thanks": "Merci : votre don est sous séquestre.",
  "donate.balance": "Dans votre portefeuille : {amount}.",
  "donate.aboveBalance":
    "Votre portefeuille contient {amount} : baissez le montant, ou ajoutez d’abord des fonds à votre portefeuille.",
  "donate.aboveBalanceEth":
    "Votre portefeuille contient {amount}, et les frais du réseau s’y ajoutent : baissez le montant, ou ajoutez d’abord des fonds à votre portefeuille.",
  "donate.lockedWithdraw":
    "Le verrou final a commencé : les dons ne peuvent plus être retirés. Une fois le résultat connu, vous reprendrez ce qui n’est pas versé aux grévistes.",
  "donate.gateUnchecked":
    "Avant de donner : l’attestateur de cette campagne, {address}, est un contrat que nous ne pouvons pas vérifier. Il peut accepter n’importe qui : le soutien que vous donnez peut être versé à des clés jetables plutôt qu’à des grévistes.",
  "donate.gateLookAlike":
    "Avant de donner : cette campagne est une imitation. Son attestateur {address} est le vérificateur d’un syndicat lié à une autre campagne ({campaign}) : aucun membre du syndicat ne peut s’engager ici. Cherchez la vraie campagne.",
};
