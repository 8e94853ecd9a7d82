/** funds: the money, in plain words and the token's own unit, following the campaign's phase. */
export const en = {
  "funds.title": "The strike fund",
  "funds.unit": "Amounts in {symbol}{euro, select, yes {, a euro stablecoin: 1 {symbol} = 1 €} other {}}.",
  "funds.escrowed": "Held in escrow now",
  "funds.triggeredOpen": "Donations that would be released if the strike happened now",
  "funds.requestedOpen": "Support asked by the people who would strike now",
  "funds.coverageOpen": "Share of that support the donations would cover",
  "funds.triggered": "Donations released for the strikers",
  "funds.requested": "Support asked by the people bound to strike",
  "funds.coverage": "Share of the support covered",
  "funds.claimed": "Support already paid out",
  "funds.surplus": "Left over, for the donors to take back",
  "funds.noSupportAsked":
    "Nobody bound to strike asked for support: no donation is paid out, each goes back to its donor, who takes it back from this page.",
  "funds.failed":
    "No threshold was reached: every donation, {amount} in all, can be taken back in full by its donor. Nobody is paid.",
};

export const fr: typeof en = {
  "funds.title": "La caisse de grève",
  "funds.unit": "Montants en {symbol}{euro, select, yes {, un euro numérique : 1 {symbol} = 1 €} other {}}.",
  "funds.escrowed": "Sous séquestre en ce moment",
  "funds.triggeredOpen": "Dons qui seraient versés si la grève avait lieu maintenant",
  "funds.requestedOpen": "Soutien demandé par les personnes qui feraient grève maintenant",
  "funds.coverageOpen": "Part de ce soutien que les dons couvriraient",
  "funds.triggered": "Dons versés pour les grévistes",
  "funds.requested": "Soutien demandé par les personnes tenues de faire grève",
  "funds.coverage": "Part du soutien couverte",
  "funds.claimed": "Soutien déjà versé",
  "funds.surplus": "Reste, que les donateurs peuvent reprendre",
  "funds.noSupportAsked":
    "Aucune personne tenue de faire grève n’a demandé de soutien : aucun don n’est versé, chacun revient à son donateur, qui le reprend depuis cette page.",
  "funds.failed":
    "Aucun seuil n’a été atteint : chaque don, {amount} en tout, peut être repris en totalité par son donateur. Personne n’est payé.",
};
