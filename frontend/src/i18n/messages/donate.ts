/** donate: ICU MessageFormat strings, English and French. */
export const en = {
  "donate.donateTitle": "Donate to the strike fund",
  "donate.donateExplain":
    "Your donation is held in escrow and released only if the number you choose is reached; otherwise you take it back in full. Donating needs a wallet.",
  "donate.donateButton": "Donate",
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
};

export const fr: typeof en = {
  "donate.donateTitle": "Donner à la caisse de grève",
  "donate.donateExplain":
    "Votre don est mis sous séquestre et versé seulement si le nombre choisi est atteint ; sinon vous le reprenez en totalité. Donner demande un portefeuille.",
  "donate.donateButton": "Donner",
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
};
