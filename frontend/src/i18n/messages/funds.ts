/** funds: ICU MessageFormat strings, English and French. */
export const en = {
  "funds.fundsTitle": "Funds",
  "funds.escrowed": "Escrowed",
  "funds.triggered": "Triggered donations (F)",
  "funds.requested": "Support requested (R)",
  "funds.coverage": "Coverage F / R",
  "funds.surplus": "Surplus F − paid",
  "funds.claimed": "Support claimed",
};

export const fr: typeof en = {
  "funds.fundsTitle": "Fonds",
  "funds.escrowed": "En séquestre",
  "funds.triggered": "Dons déclenchés (F)",
  "funds.requested": "Soutien demandé (R)",
  "funds.coverage": "Couverture F / R",
  "funds.surplus": "Excédent F − versé",
  "funds.claimed": "Soutien réclamé",
};
