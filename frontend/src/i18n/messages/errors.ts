/** errors: ICU MessageFormat strings, English and French. */
export const en = {
  "errors.errAddress": "Not a valid address.",
  "errors.errWrongNetwork": "Your wallet is on another network. Switch it to the campaign’s network and try again.",
  "errors.errRejected": "You declined the request in your wallet. Nothing was sent.",
  "errors.errFunds": "Not enough funds in your wallet for this amount plus fees.",
  "errors.errRpc": "The blockchain node cannot be reached. Check your connection and try again.",
  "errors.errDeadlinePassed": "The pledge deadline has passed: pledges, changes and donations are closed.",
  "errors.errRelayerDown": "The relayer cannot be reached.",
  "errors.errUnknown": "Something went wrong.",
  "errors.errNotTriggered": "This pledge is not triggered: there is no support to claim.",
  "errors.errNothing": "There is nothing to take right now.",
  "errors.errAttester": "This campaign requires a voucher from its attester; ask the organiser.",
  "errors.switchNetwork": "Switch network",
};

export const fr: typeof en = {
  "errors.errAddress": "Adresse invalide.",
  "errors.errWrongNetwork": "Votre portefeuille est sur un autre réseau. Passez sur celui de la campagne et réessayez.",
  "errors.errRejected": "Vous avez refusé la demande dans votre portefeuille. Rien n’a été envoyé.",
  "errors.errFunds": "Fonds insuffisants dans votre portefeuille pour ce montant et les frais.",
  "errors.errRpc": "Le nœud de la blockchain est injoignable. Vérifiez votre connexion et réessayez.",
  "errors.errDeadlinePassed": "La date limite est passée : engagements, modifications et dons sont clos.",
  "errors.errRelayerDown": "Le relais est injoignable.",
  "errors.errUnknown": "Une erreur est survenue.",
  "errors.errNotTriggered": "Cet engagement n’est pas déclenché : il n’y a pas de soutien à réclamer.",
  "errors.errNothing": "Il n’y a rien à reprendre pour l’instant.",
  "errors.errAttester": "Cette campagne demande l’aval de son attestateur ; demandez à l’organisateur.",
  "errors.switchNetwork": "Changer de réseau",
};
