/** chart: ICU MessageFormat strings, English and French. */
export const en = {
  "chart.chartTitle": "Pledges per level",
  "chart.chartDesc": "Bars: pledges at each threshold, committed or pending. Curve: people ready at each threshold, against the diagonal; where the curve reaches the diagonal, the strike tips.",
  "chart.committed": "committed",
  "chart.pending": "pending",
  "chart.cumulative": "people ready at or below this threshold",
  "chart.diagonal": "threshold (diagonal)",
  "chart.levelLabel": "{count, plural, one {# person} other {# people}}",
  "chart.axisLevel": "threshold (people)",
  "chart.pledgesColumn": "pledges",
};

export const fr: typeof en = {
  "chart.chartTitle": "Engagements par palier",
  "chart.chartDesc": "Barres : engagements à chaque seuil, engagés ou en attente. Courbe : personnes prêtes à chaque seuil, face à la diagonale ; là où la courbe atteint la diagonale, la grève bascule.",
  "chart.committed": "engagés",
  "chart.pending": "en attente",
  "chart.cumulative": "personnes prêtes à ce seuil ou en dessous",
  "chart.diagonal": "seuil (diagonale)",
  "chart.levelLabel": "{count, plural, one {# personne} other {# personnes}}",
  "chart.axisLevel": "seuil (personnes)",
  "chart.pledgesColumn": "engagements",
};
